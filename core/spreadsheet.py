"""Reading an uploaded spreadsheet (.xlsx, or .csv in UTF-8 / GBK / UTF-16) into rows of cell values.

The roster import and the payroll office's deduction lists both take what the office has at hand, so both accept
the same files and refuse the same ones with the same words.
"""

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def read_rows(data: bytes, filename: str, *, wrong_type_message: str, sheet_title: str | None = None) -> list[list]:
    """Rows of the workbook's sheet `sheet_title` (else its first sheet) or of the CSV text. Raises one
    ValidationError for a file that cannot be used: an old .xls, an unreadable workbook, text in an unknown
    encoding, or another type (`wrong_type_message`, which names what the upload should be)."""
    suffix = Path(filename or "").suffix.lower()
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ValidationError(_("This is an old-style Excel file (.xls). Open it in Excel or WPS and save it as "
                                ".xlsx, then upload that."), code="xls")
    if data[:4] == b"PK\x03\x04" and suffix in (".xlsx", ".xlsm", ""):
        return xlsx_rows(data, sheet_title=sheet_title)
    if suffix in (".csv", ".txt") and data[:4] != b"PK\x03\x04":
        return csv_rows(data)
    raise ValidationError(wrong_type_message, code="file_type")


def xlsx_rows(data: bytes, *, sheet_title: str | None = None) -> list[list]:
    from openpyxl import load_workbook  # heavy: loaded only when a workbook is read

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a damaged or foreign zip
        raise ValidationError(_("The file could not be read as an Excel workbook (.xlsx). Save it again from "
                                "Excel or WPS as .xlsx and upload that."), code="xlsx_unreadable") from None
    try:
        sheet = workbook[sheet_title] if sheet_title in workbook.sheetnames else workbook.worksheets[0]
        # Cells are kept as they are: a numeric 身份证号 cell is refused later with its own message.
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def csv_rows(data: bytes) -> list[list]:
    text = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" (UTF-16)
        text = data.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "gb18030"):  # UTF-8 with or without BOM, then GBK (GB18030 is its superset)
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise ValidationError(_("The CSV file is neither UTF-8 nor GBK text; save it again as “CSV UTF-8”."),
                              code="csv_encoding")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", "\t", ";"], key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
