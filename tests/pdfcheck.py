"""Reading PDFs the way an auditor would: which fonts are embedded, and what text the pages hold.

pdftotext alone is not enough: it returns the right text even when the glyphs print as empty boxes
(no CJK font), so tests check pdffonts for an embedded CJK font as well (STACK.md).
"""

import subprocess
import tempfile


def _run(tool, data, *args):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run([tool, *args, handle.name, *(["-"] if tool == "pdftotext" else [])],
                              capture_output=True, text=True, check=True).stdout


def pdf_text(data):
    return _run("pdftotext", data, "-layout")


def pdf_fonts(data):
    """Rows of pdffonts as dicts: name, type, embedded (bool)."""
    lines = _run("pdffonts", data).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        if len(parts) < 7:
            continue
        # name type [type…] encoding emb sub uni object ID: emb is the 5th column from the end.
        rows.append({"name": parts[0], "embedded": parts[-5] == "yes"})
    return rows


def assert_cjk_font_embedded(data):
    fonts = pdf_fonts(data)
    cjk = [f for f in fonts if "CJK" in f["name"] or "WenQuanYi" in f["name"]]
    assert cjk, f"no CJK font in the PDF: {fonts}"
    assert all(f["embedded"] for f in cjk), f"CJK font not embedded: {cjk}"


def pdf_pages(data):
    return int(next(line.split()[-1] for line in _run("pdfinfo", data).splitlines() if line.startswith("Pages:")))
