"""core.pdfa: the PDF/A check fails on what an archive must not be (no pdfaid, a font not embedded, encrypted)."""

import hashlib

import pytest
from django.utils import translation

from core import pdf, pdfa

PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _rc4(key, data):
    box, j, out = list(range(256)), 0, bytearray()
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _handmade_pdf(*, font=False, encrypt=False):
    """A one-page PDF written by hand: with Helvetica named but not embedded, or with RC4 40-bit encryption
    (standard security handler, empty passwords, no strings or streams to encrypt)."""
    content = b"BT /F1 12 Tf 20 20 Td (Hi) Tj ET" if font else b""
    resources = b"/Resources << /Font << /F1 5 0 R >> >>" if font else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R " + resources + b" >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    file_id = hashlib.md5(b"unionportal test").digest()
    trailer_extra = b""
    if encrypt:
        assert not content  # the content stream would have to be encrypted too
        owner = _rc4(hashlib.md5(PAD).digest()[:5], PAD)
        permissions = (-4).to_bytes(4, "little", signed=True)
        key = hashlib.md5(PAD + owner + permissions + file_id).digest()[:5]
        user = _rc4(key, PAD)
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <"
                       + user.hex().encode() + b"> /P -4 >>")
        trailer_extra = b" /Encrypt %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (len(objects) + 1, file_id.hex().encode(),
                                                                   file_id.hex().encode())
            + trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


@pytest.fixture(scope="module")
def archival():
    with pdf.archival_pdfs(created="2027-12-31T18:00:00+08:00"):
        return pdf.render_pdf("pdf/base.html", {"title": "档案"}, filename="a.pdf")[2]


def test_an_archival_pdf_passes(archival):
    assert pdfa.pdfa_problems(archival) == []


def test_an_ordinary_pdf_is_not_pdf_a():
    ordinary = pdf.render_pdf("pdf/base.html", {"title": "档案"}, filename="a.pdf")[2]
    problems = pdfa.pdfa_problems(ordinary)
    assert any("does not declare PDF/A" in problem for problem in problems)
    assert any("output intent" in problem for problem in problems)


def test_another_part_is_named():
    assert pdfa.pdfa_problems(_archival_variant("pdf/a-2b")) == [
        "The XMP metadata declares PDF/A-2b, not PDF/A-3b."]


def _archival_variant(variant):
    with pdf.archival_pdfs(variant=variant, created="2027-12-31T18:00:00+08:00"):
        return pdf.render_pdf("pdf/base.html", {"title": "档案"}, filename="a.pdf")[2]


def test_a_font_not_embedded_fails():
    problems = pdfa.pdfa_problems(_handmade_pdf(font=True))
    assert "Fonts not embedded: Helvetica." in problems


def test_an_encrypted_pdf_fails():
    problems = pdfa.pdfa_problems(_handmade_pdf(encrypt=True))
    assert "The PDF is encrypted; PDF/A forbids encryption." in problems
    assert "The PDF is encrypted; PDF/A forbids encryption." not in pdfa.pdfa_problems(_handmade_pdf())


def test_what_is_not_a_pdf_fails(archival):
    assert pdfa.pdfa_problems(b"not a pdf") == ["The file cannot be read as a PDF."]
    assert pdfa.pdfa_problems(archival[: len(archival) // 3]) != []
