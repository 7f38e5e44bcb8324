"""Checking that a PDF is the PDF/A an archive claims, with the tools Debian ships (poppler-utils: pdfinfo, pdffonts).

Not a full validator: veraPDF (the reference PDF/A validator) is a Java download this machine cannot reach. What is
checked is what an archive most often gets wrong and a reader cannot repair later: the XMP metadata declares the
PDF/A part and conformance (``pdfaid``), the PDF/A output intent is there, every font is embedded, and the file is
not encrypted (PDF/A forbids encryption). Each problem is a sentence the auditor can read; no problems: it passes.
"""

import re
import subprocess
import tempfile
import zlib

from django.utils.translation import gettext as _

TOOLS_TIMEOUT = 60


class PdfToolsMissing(RuntimeError):
    """poppler-utils is not installed: nothing can be checked (the deployment's system packages list it)."""


def poppler(name, data, *args):
    """Run a poppler-utils tool (pdfinfo, pdffonts, pdftotext …) on the PDF ``data``; the completed process."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        try:
            to_stdout = ["-"] if name == "pdftotext" else []  # its output file comes after the input
            return subprocess.run([name, *args, handle.name, *to_stdout], capture_output=True, text=True,
                                  timeout=TOOLS_TIMEOUT)
        except FileNotFoundError as error:
            raise PdfToolsMissing(f"{name} (poppler-utils) is not installed") from error


def _objects(data):
    """The PDF's bytes with every Flate stream inflated (object streams hide the catalogue's entries)."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompress(data[match.end():end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def font_rows(data):
    """The fonts pdffonts lists, as [{"name", "embedded"}] (the ``emb`` column is fifth from the end: name and
    type may hold spaces); None when the PDF cannot be read."""
    listing = poppler("pdffonts", data)
    if listing.returncode != 0:
        return None
    return [{"name": parts[0], "embedded": parts[-5] == "yes"}
            for parts in (line.split() for line in listing.stdout.splitlines()[2:]) if len(parts) >= 7]


def unembedded_fonts(data):
    """Names of the fonts not embedded in ``data``; None when the PDF cannot be read."""
    rows = font_rows(data)
    return None if rows is None else [row["name"] for row in rows if not row["embedded"]]


def pdfa_problems(data, *, part="3", conformance="B"):
    """What keeps ``data`` from being PDF/A-``part````conformance`` (PDF/A-3b by default): [] when nothing."""
    info = poppler("pdfinfo", data)
    if info.returncode != 0 or not data.startswith(b"%PDF-"):
        return [_("The file cannot be read as a PDF.")]
    problems = []
    encrypted = re.search(r"^Encrypted:\s+(\w+)", info.stdout, re.MULTILINE)
    if encrypted is None or encrypted.group(1) != "no":
        problems.append(_("The PDF is encrypted; PDF/A forbids encryption."))
    meta = poppler("pdfinfo", data, "-meta").stdout
    declared = (re.search(r'pdfaid:part(?:="|>)(\d)', meta), re.search(r'pdfaid:conformance(?:="|>)(\w)', meta))
    if not all(declared):
        problems.append(_("The XMP metadata does not declare PDF/A (pdfaid part and conformance)."))
    elif (declared[0].group(1), declared[1].group(1).upper()) != (part, conformance.upper()):
        problems.append(_("The XMP metadata declares PDF/A-%(found)s, not PDF/A-%(expected)s.") % {
            "found": f"{declared[0].group(1)}{declared[1].group(1).lower()}",
            "expected": f"{part}{conformance.lower()}"})
    objects = _objects(data)
    if b"/OutputIntents" not in objects or b"/GTS_PDFA1" not in objects:
        problems.append(_("The PDF has no PDF/A output intent (colour profile)."))
    fonts = unembedded_fonts(data)
    if fonts is None:
        problems.append(_("The fonts of the PDF cannot be listed."))
    elif fonts:
        problems.append(_("Fonts not embedded: %(fonts)s.") % {"fonts": ", ".join(fonts)})
    return problems
