"""Reading PDFs the way an auditor would: which fonts are embedded, and what text the pages hold.

pdftotext alone is not enough: it returns the right text even when the glyphs print as empty boxes
(no CJK font), so tests check pdffonts for an embedded CJK font as well (STACK.md).
"""

from core.pdfa import font_rows, poppler


def _run(tool, data, *args):
    done = poppler(tool, data, *args)
    done.check_returncode()
    return done.stdout


def pdf_text(data):
    return _run("pdftotext", data, "-layout")


def pdf_fonts(data):
    """Rows of pdffonts as dicts: name, embedded (bool) — read by core.pdfa, as the archive check reads them."""
    rows = font_rows(data)
    assert rows is not None, "pdffonts could not read the PDF"
    return rows


def assert_cjk_font_embedded(data):
    fonts = pdf_fonts(data)
    cjk = [f for f in fonts if "CJK" in f["name"] or "WenQuanYi" in f["name"]]
    assert cjk, f"no CJK font in the PDF: {fonts}"
    assert all(f["embedded"] for f in cjk), f"CJK font not embedded: {cjk}"


def pdf_pages(data):
    return int(next(line.split()[-1] for line in _run("pdfinfo", data).splitlines() if line.startswith("Pages:")))
