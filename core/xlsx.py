"""Writing .xlsx exports (openpyxl, write-only mode): one way to lay out headers, plain-text cells and bytes."""

import io

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_sheet(title, *, headers, widths=(), freeze="A2"):
    """A write-only workbook with one sheet whose first row holds the bold ``headers``. Returns (workbook, sheet)."""
    # openpyxl is heavy: loaded only when a workbook is written.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = freeze
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = value_cell(sheet, header)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return workbook, sheet


#: How sums in yuan are shown in every workbook the portal writes (the number itself stays a number).
MONEY_FORMAT = "#,##0.00"


def value_cell(sheet, value, *, number_format=None):
    """A cell for ``value`` ("" becomes empty). Text is always text: openpyxl stores text starting with "=" as a
    formula, which would run in the reader's Excel (formula injection) — names and answers are typed by people."""
    from openpyxl.cell import WriteOnlyCell  # heavy: see new_sheet

    cell = WriteOnlyCell(sheet, value=value if value != "" else None)
    if cell.data_type == "f":
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
