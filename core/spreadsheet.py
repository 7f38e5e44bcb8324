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


#: Bounds on what an upload may hold before anything is built from it (a 1.7 KB workbook can claim a million rows).
MAX_ROWS = 50_000
MAX_COLUMNS = 200
#: After this many empty rows in a row the sheet is taken to have ended (a stray cell far below is not data).
MAX_EMPTY_RUN = 1_000
#: The largest upload a spreadsheet import takes (a roll of 10,000 members is about 2 MB as .xlsx or .csv).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def check_upload_size(upload):
    """Refuse an upload above MAX_UPLOAD_BYTES before it is read (forms call this in their clean step)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than %(limit)d MB; split it into smaller files.")
                              % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="too_large")


def _too_many_rows():
    return ValidationError(_("The file has more than %(limit)s rows; split it into smaller files.")
                           % {"limit": f"{MAX_ROWS:,}"}, code="too_many_rows")


def xlsx_rows(data: bytes, *, sheet_title: str | None = None) -> list[list]:
    from openpyxl import load_workbook  # heavy: loaded only when a workbook is read

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a damaged or foreign zip
        raise ValidationError(_("The file could not be read as an Excel workbook (.xlsx). Save it again from "
                                "Excel or WPS as .xlsx and upload that."), code="xlsx_unreadable") from None
    try:
        sheet = workbook[sheet_title] if sheet_title in workbook.sheetnames else workbook.worksheets[0]
        # The sheet's declared size (its <dimension>) is not trusted: a sparse sheet that claims A1:XFD1048576 would
        # be read as a million rows of 16,384 empty cells. Only rows that exist are read, up to the bounds.
        sheet.reset_dimensions()
        rows, empty_run = [], 0
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            empty_run = empty_run + 1 if all(value is None or value == "" for value in row) else 0
            if empty_run > MAX_EMPTY_RUN:
                break
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            # Cells are kept as they are: a numeric 身份证号 cell is refused later with its own message.
            rows.append(list(row))
        while rows and all(value is None or value == "" for value in rows[-1]):
            rows.pop()
        return rows
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
    # A NUL is never part of a name or a number, and PostgreSQL refuses text that holds one.
    text = text.replace("\x00", "")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", "\t", ";"], key=first_line.count)
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append(row[:MAX_COLUMNS])
    return rows
