"""The books' lists on paper (issue 12 §1): budget vs actual and the voucher list as .xlsx, holding what the page
shows (the same selectors, the same filters, every page of the list). Amounts are numbers with a thousands format,
so the reader's spreadsheet can add them up."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import MONEY_FORMAT, XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes

from .selectors import budget_totals, voucher_amount


def _money_cell(sheet, amount):
    return value_cell(sheet, "" if amount is None else amount, number_format=MONEY_FORMAT)


def _stamp():
    return timezone.localdate().strftime("%Y%m%d")


def budget_xlsx(rows, *, year, as_of):
    """Budget vs actual of `year` at `as_of` (the page's rows, then one totals row per kind): (filename, type,
    bytes)."""
    title = _("Budget vs actual")
    workbook, sheet = new_sheet(title, headers=[pgettext("account", "Code"), _("Item"), _("Budget"), _("Actual"),
                                                _("Remaining"), _("Execution %")], widths=(10, 28, 15, 15, 15, 10))
    for row in rows:
        sheet.append([value_cell(sheet, row.account.code), value_cell(sheet, "  " * row.depth + row.account.name),
                      _money_cell(sheet, row.budget), _money_cell(sheet, row.actual), _money_cell(sheet, row.remaining),
                      value_cell(sheet, "" if row.percent is None else row.percent, number_format="0.0")])
    for total in budget_totals(rows):
        sheet.append([value_cell(sheet, ""), value_cell(sheet, f"{_('Total')} {total.label}"),
                      _money_cell(sheet, total.budget), _money_cell(sheet, total.actual),
                      _money_cell(sheet, total.remaining),
                      value_cell(sheet, "" if total.percent is None else total.percent, number_format="0.0")])
    filename = f"{title}-{year}-{as_of:%Y%m%d}.xlsx"
    return filename, XLSX_MIMETYPE, workbook_bytes(workbook)


def vouchers_xlsx(vouchers):
    """The vouchers of the list with its filters, every page: (filename, type, bytes)."""
    title = _("Vouchers")
    workbook, sheet = new_sheet(title, headers=[_("Number"), _("Date"), _("Summary"), _("Debit lines"), _("Amount"),
                                                _("State")], widths=(11, 11, 36, 30, 14, 10))
    for voucher in vouchers:
        debits = "; ".join(f"{line.account.code} {line.account.name} {line.debit:,.2f}"
                           for line in voucher.lines.all() if line.debit)
        sheet.append([value_cell(sheet, voucher.number_label or _("draft")),
                      value_cell(sheet, voucher.date, number_format="yyyy-mm-dd"), value_cell(sheet, voucher.summary),
                      value_cell(sheet, debits), _money_cell(sheet, voucher_amount(voucher)),
                      value_cell(sheet, voucher.get_state_display())])
    return f"{title}-{_stamp()}.xlsx", XLSX_MIMETYPE, workbook_bytes(workbook)
