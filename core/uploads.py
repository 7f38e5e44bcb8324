"""One check for every uploaded document (hardship case files, notice and tracker attachments): its size, its
kind by the name's extension, and the same kind by its content (issue 11: hostile uploads).

The extension alone is what a renamed file fakes (``setup.exe`` saved as ``发票.pdf``), so each kind also says
what its content starts with — its magic bytes — and, for the Office formats (zip archives), which part the
archive must hold. A refusal is a ``ValidationError`` in the user's language with a code the forms keep:
``type`` (extension not accepted), ``too_large``, ``content`` (content does not match the extension).
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

#: How many bytes of the content the sniffing reads.
HEAD_BYTES = 16


def _starts(*prefixes: bytes) -> Callable:
    return lambda head, upload: head.startswith(prefixes)


def _office(part: str) -> Callable:
    """An Office Open XML file: a zip archive holding ``part`` (word/document.xml, xl/workbook.xml). Only the
    archive's directory is read, never its members."""

    def looks_like(head, upload):
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                return part in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False

    return looks_like


@dataclass(frozen=True)
class FileKind:
    """A kind of document people upload: how it is named to them, its content type, and how its content is
    recognised (``looks_like(head, upload)``)."""

    label: str
    content_type: str
    looks_like: Callable


KINDS = {
    ".pdf": FileKind("PDF", "application/pdf", _starts(b"%PDF")),
    ".jpg": FileKind("JPEG", "image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": FileKind("JPEG", "image/jpeg", _starts(b"\xff\xd8\xff")),
    ".png": FileKind("PNG", "image/png", _starts(b"\x89PNG")),
    ".docx": FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      _office("word/document.xml")),
    ".xlsx": FileKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      _office("xl/workbook.xml")),
}

#: The kinds of a scanned proof (receipts, household registers): PDF and pictures.
SCANS = (".pdf", ".jpg", ".jpeg", ".png")
#: The kinds of an office document besides scans.
DOCUMENTS = (*SCANS, ".docx", ".xlsx")


def _labels(suffixes) -> str:
    labels = list(dict.fromkeys(KINDS[suffix].label for suffix in suffixes))
    return pgettext("list separator", ", ").join(labels)


def upload_check(upload, *, allowed=SCANS, max_bytes: int) -> FileKind:
    """Refuse ``upload`` unless its extension is one of ``allowed``, it is at most ``max_bytes`` long, and its
    content is of the kind its extension says. Returns the kind; leaves the file at its start."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in allowed or suffix not in KINDS:
        raise ValidationError(_("Attach %(kinds)s files only.") % {"kinds": _labels(allowed)}, code="type")
    if upload.size > max_bytes:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {"limit": max_bytes // 2**20},
                              code="too_large")
    kind = KINDS[suffix]
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    matches = kind.looks_like(head, upload)
    upload.seek(0)
    if not matches:
        raise ValidationError(
            _("The content of “%(name)s” does not match its type: it is not a %(kind)s file. A renamed file is "
              "refused; attach the document itself.") % {"name": Path(upload.name).name[:80], "kind": kind.label},
            code="content")
    return kind
