"""core.uploads.upload_check: one check of size, extension and content for every uploaded document."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.uploads import DOCUMENTS, SCANS, upload_check

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
MB = 2**20


def _zip(*parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


def _refusal(name, content, **kwargs):
    with pytest.raises(ValidationError) as refused:
        upload_check(SimpleUploadedFile(name, content), max_bytes=kwargs.pop("max_bytes", 10 * MB), **kwargs)
    return refused.value


def test_it_refuses_a_program_renamed_as_a_pdf_in_chinese():
    with translation.override("zh-hans"):
        refusal = _refusal("发票.pdf", EXE)
    assert refusal.code == "content"
    assert refusal.messages == ["“发票.pdf”的内容与文件类型不符：它不是 PDF 文件。改过扩展名的文件不予接收，请上传文件本身。"]


@pytest.mark.parametrize(("name", "content"), [
    ("scan.pdf", b"<html>not a pdf"), ("photo.png", b"\xff\xd8\xff\xe0jpeg-really"), ("photo.jpg", b"\x89PNG\r\n"),
    ("report.docx", b"PK\x03\x04 not really a zip"), ("report.docx", _zip("xl/workbook.xml")),
    ("sheet.xlsx", _zip("word/document.xml")), ("empty.pdf", b""),
])
def test_it_refuses_content_that_does_not_match_the_extension(name, content):
    assert _refusal(name, content, allowed=DOCUMENTS).code == "content"


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("通知.pdf", b"%PDF-1.7\n", "application/pdf"), ("a.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    ("a.png", b"\x89PNG\r\n\x1a\n", "image/png"), ("a.docx", _zip("[Content_Types].xml", "word/document.xml"),
                                                    "application/vnd.openxmlformats-officedocument.wordprocessingml"
                                                    ".document"),
    ("a.xlsx", _zip("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_it_accepts_each_kind_and_leaves_the_file_at_its_start(name, content, content_type):
    upload = SimpleUploadedFile(name, content)
    assert upload_check(upload, allowed=DOCUMENTS, max_bytes=MB).content_type == content_type
    assert upload.read() == content


def test_it_refuses_an_extension_not_allowed_and_names_the_kinds_allowed():
    with translation.override("zh-hans"):
        assert _refusal("run.exe", EXE).messages == ["只接受 PDF、JPEG、PNG 文件。"]
    with translation.override("en"):
        refusal = _refusal("a.docx", _zip("word/document.xml"), allowed=SCANS)
    assert (refusal.code, refusal.messages) == ("type", ["Attach PDF, JPEG, PNG files only."])


def test_it_refuses_a_file_above_the_limit_before_reading_it():
    with translation.override("zh-hans"):
        refusal = _refusal("big.pdf", b"%PDF" + b"0" * MB, max_bytes=MB)
    assert (refusal.code, refusal.messages) == ("too_large", ["文件超过 1 MB。"])
