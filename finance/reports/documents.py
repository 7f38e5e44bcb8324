"""Report documents: each report as a PDF (core.pdf, templates/finance/pdf/) and as an .xlsx workbook (core.xlsx).

Renderers return ``(filename, mimetype, bytes)``. Every PDF prints the union's name, the period, when it was
generated and by whom. ``stamp`` is that generated-at time: for closed periods the caller passes the periods' close
time, so rendering the same closed period twice gives the same bytes (WeasyPrint writes no creation date).

Budget execution and dues collection come from other areas of the books: their renderers take plain rows
(BudgetRow, DuesRow), so whoever has the figures can print them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.names import display_name
from core.money import money
from core.pdf import render_pdf
from core.xlsx import MONEY_FORMAT, XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes
from finance.charts import budget_chart

from . import books


def percent(value):
    return "" if value is None else f"{value}%"


def period_text(date_from, date_to):
    if date_from.month == 1 and date_from.day == 1 and date_to == datetime.date(date_from.year, 12, 31):
        return _("Year %(year)s") % {"year": date_from.year}
    return f"{date_from:%Y-%m-%d} – {date_to:%Y-%m-%d}"


def _who(user):
    return display_name(user)


def report_context(*, title, date_from, date_to, stamp, by, **extra):
    return {"title": title, "period": period_text(date_from, date_to), "generated_at": timezone.localtime(stamp),
            "generated_by": _who(by), **extra}


def report_filename(title, date_from, date_to, extension):
    return f"{title}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{extension}"


# -- trial balance (科目余额表) ---------------------------------------------------------------------------------------

def trial_balance_pdf(*, date_from, date_to, stamp, by):
    report = books.trial_balance(date_from=date_from, date_to=date_to)
    title = _("Trial balance")
    rows = [{"code": row.account.code, "name": row.account.name, "depth": row.depth,
             "cells": [money(getattr(row, name), blank_zero=True) for name in books.TRIAL_TOTALS]}
            for row in report.shown_rows()]
    totals = [money(report.totals[name]) for name in books.TRIAL_TOTALS]
    return render_pdf("finance/pdf/trial_balance.html",
                      report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by,
                               rows=rows, totals=totals),
                      filename=report_filename(title, date_from, date_to, "pdf"))


def trial_balance_xlsx(*, date_from, date_to, stamp, by):
    report = books.trial_balance(date_from=date_from, date_to=date_to)
    title = _("Trial balance")
    headers = [pgettext("account", "Code"), _("Account"), _("Opening debit"), _("Opening credit"), _("Debit"), _("Credit"),
               _("Closing debit"), _("Closing credit")]
    workbook, sheet = new_sheet(title, headers=headers, widths=(10, 24, 15, 15, 15, 15, 15, 15))
    for row in report.shown_rows():
        sheet.append([value_cell(sheet, row.account.code), value_cell(sheet, "  " * row.depth + row.account.name)]
                     + [value_cell(sheet, getattr(row, name), number_format=MONEY_FORMAT) for name in books.TRIAL_TOTALS])
    sheet.append([value_cell(sheet, ""), value_cell(sheet, _("Total"))]
                 + [value_cell(sheet, report.totals[name], number_format=MONEY_FORMAT) for name in books.TRIAL_TOTALS])
    _xlsx_footer(sheet, date_from, date_to, stamp, by)
    return report_filename(title, date_from, date_to, "xlsx"), XLSX_MIMETYPE, workbook_bytes(workbook)


def _xlsx_footer(sheet, date_from, date_to, stamp, by):
    sheet.append([])
    sheet.append([value_cell(sheet, _("Period")), value_cell(sheet, period_text(date_from, date_to))])
    sheet.append([value_cell(sheet, _("Generated")),
                  value_cell(sheet, f"{timezone.localtime(stamp):%Y-%m-%d %H:%M} {_who(by)}")])


# -- general ledger (明细账) ------------------------------------------------------------------------------------------

def _ledger_rows(section):
    rows = []
    for entry in section.entries:
        row = {"kind": entry["kind"], "debit": money(entry["debit"], blank_zero=entry["kind"] == "line"),
               "credit": money(entry["credit"], blank_zero=entry["kind"] == "line"),
               "side": entry["side"], "balance": money(abs(entry["balance"]))}
        if entry["kind"] == "line":
            row.update(date=f"{entry['date']:%m-%d}", number=entry["number"], summary=entry["summary"],
                       account=entry["account_code"] if entry["account_code"] != section.account.code else "")
        else:
            row["summary"] = _total_label(entry)
        rows.append(row)
    return rows


def ledger_pdf(*, date_from, date_to, stamp, by, account=None, progress=None):
    sections = books.general_ledger(date_from=date_from, date_to=date_to, account=account)
    if progress:
        progress(_("Laying out the pages"))
    title = _("General ledger")
    context = report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by, sections=[
        {"account": section.account, "opening": money(abs(section.opening)), "opening_side": section.opening_side,
        "rows": _ledger_rows(section)} for section in sections])
    name = title if account is None else f"{title}-{account.code}"
    return render_pdf("finance/pdf/ledger.html", context, filename=report_filename(name, date_from, date_to, "pdf"))


def ledger_xlsx(*, date_from, date_to, stamp, by, account=None, progress=None):
    sections = books.general_ledger(date_from=date_from, date_to=date_to, account=account)
    title = _("General ledger")
    headers = [_("Account"), _("Date"), _("Voucher"), _("Summary"), _("Debit"), _("Credit"), _("Side"), _("Balance")]
    workbook, sheet = new_sheet(title, headers=headers, widths=(22, 12, 12, 30, 15, 15, 6, 15))
    for section in sections:
        label = str(section.account)
        sheet.append([value_cell(sheet, label), value_cell(sheet, ""), value_cell(sheet, ""),
                      value_cell(sheet, _("Opening balance")), value_cell(sheet, ""), value_cell(sheet, ""),
                      value_cell(sheet, section.opening_side),
                      value_cell(sheet, abs(section.opening), number_format=MONEY_FORMAT)])
        for entry in section.entries:
            line = entry["kind"] == "line"
            summary = entry["summary"] if line else _total_label(entry)
            sheet.append([value_cell(sheet, label), value_cell(sheet, entry["date"] if line else ""),
                          value_cell(sheet, entry["number"] if line else ""), value_cell(sheet, summary),
                          value_cell(sheet, entry["debit"], number_format=MONEY_FORMAT),
                          value_cell(sheet, entry["credit"], number_format=MONEY_FORMAT),
                          value_cell(sheet, entry["side"]),
                          value_cell(sheet, abs(entry["balance"]), number_format=MONEY_FORMAT)])
    _xlsx_footer(sheet, date_from, date_to, stamp, by)
    name = title if account is None else f"{title}-{account.code}"
    return report_filename(name, date_from, date_to, "xlsx"), XLSX_MIMETYPE, workbook_bytes(workbook)


def _total_label(entry):
    if entry["kind"] == "month":
        return _("Total for %(year)s-%(month)02d") % {"year": entry["month"][0], "month": entry["month"][1]}
    return _("Total for the period")


# -- summary ledger (总账) ---------------------------------------------------------------------------------------------

def summary_ledger_pdf(*, year, stamp, by):
    title = _("Summary ledger")
    date_from, date_to = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    sections = [{
        "account": section.account, "opening_side": books.side_label(section.account, section.opening),
        "opening": money(abs(section.opening)),
        "months": [{"month": month, "debit": money(debit), "credit": money(credit),
                    "side": books.side_label(section.account, balance), "balance": money(abs(balance))}
                   for month, debit, credit, balance in section.months],
        "debit": money(section.debit), "credit": money(section.credit),
        "side": books.side_label(section.account, section.closing), "closing": money(abs(section.closing)),
    } for section in books.summary_ledger(year=year)]
    return render_pdf("finance/pdf/summary_ledger.html",
                      report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by,
                                     year=year, sections=sections),
                      filename=report_filename(title, date_from, date_to, "pdf"))


# -- income and spending statement (收支表) ---------------------------------------------------------------------------

def statement_figures(*, date_from, date_to):
    """The statement as plain data (amounts as strings), as printed and as stored in a published disclosure or a
    finalised audit report."""
    statement = books.income_statement(date_from=date_from, date_to=date_to)

    def section(part):
        return {"total": str(part.total), "rows": [
            {"code": row.account.code, "name": row.account.name, "depth": row.depth, "amount": str(amount),
             "share": None if rate is None else str(rate)} for row, amount, rate in part.rows]}

    return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
            "income": section(statement.income), "spending": section(statement.spending),
            "surplus": str(statement.surplus), "fund_balance": str(statement.fund_balance),
            "opening_fund_balance": str(statement.opening_fund_balance),
            "other_net_assets": str(statement.other_net_assets)}


def printable(figures):
    """Stored figures with amounts formatted for a page or a PDF."""
    def section(part):
        return {"total": money(part["total"]), "rows": [
            {**row, "amount": money(row["amount"]), "share": percent(row["share"])} for row in part["rows"]]}

    shown = {**figures, "income": section(figures["income"]), "spending": section(figures["spending"]),
             "surplus": money(figures["surplus"]), "fund_balance": money(figures["fund_balance"]),
             "deficit": Decimal(figures["surplus"]) < 0}
    if "opening_fund_balance" in figures:
        shown["opening_fund_balance"] = money(figures["opening_fund_balance"])
    if Decimal(figures.get("other_net_assets") or 0):  # net assets booked directly: shown so the sum adds up
        shown["other_net_assets"] = money(figures["other_net_assets"])
    else:
        shown.pop("other_net_assets", None)
    if "holiday_gifts" in figures:
        shown["holiday_gifts"] = [{**gift, "amount": money(gift["amount"])} for gift in figures["holiday_gifts"]]
        shown["holiday_gifts_total"] = money(sum((Decimal(g["amount"]) for g in figures["holiday_gifts"]),
                                                 Decimal(0)))
    return shown


def income_statement_pdf(*, date_from, date_to, stamp, by):
    title = _("Income and spending statement")
    figures = printable(statement_figures(date_from=date_from, date_to=date_to))
    return render_pdf("finance/pdf/income_statement.html",
                      report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by,
                               figures=figures),
                      filename=report_filename(title, date_from, date_to, "pdf"))


def income_statement_xlsx(*, date_from, date_to, stamp, by):
    title = _("Income and spending statement")
    figures = statement_figures(date_from=date_from, date_to=date_to)
    workbook, sheet = new_sheet(title, headers=[_("Type"), pgettext("account", "Code"), _("Account"), _("Amount"), _("Share %")],
                                widths=(10, 10, 26, 16, 10))
    for key, label in (("income", _("Income")), ("spending", _("Spending"))):
        for row in figures[key]["rows"]:
            sheet.append([value_cell(sheet, label), value_cell(sheet, row["code"]),
                          value_cell(sheet, "  " * row["depth"] + row["name"]),
                          value_cell(sheet, Decimal(row["amount"]), number_format=MONEY_FORMAT),
                          value_cell(sheet, Decimal(row["share"]) if row["share"] else "", number_format="0.00")])
        sheet.append([value_cell(sheet, label), value_cell(sheet, ""), value_cell(sheet, _("Total")),
                      value_cell(sheet, Decimal(figures[key]["total"]), number_format=MONEY_FORMAT)])
    sheet.append([value_cell(sheet, ""), value_cell(sheet, ""), value_cell(sheet, _("Surplus (deficit)")),
                  value_cell(sheet, Decimal(figures["surplus"]), number_format=MONEY_FORMAT)])
    _xlsx_footer(sheet, date_from, date_to, stamp, by)
    return report_filename(title, date_from, date_to, "xlsx"), XLSX_MIMETYPE, workbook_bytes(workbook)


# -- budget execution and dues collection: rows from other areas -----------------------------------------------------

@dataclass
class BudgetRow:
    """One budget line: the account it is charged to, the approved budget (None: no budget on this account or its
    sub-accounts) and what was actually booked. Sub-accounts (depth > 0) are included in their parents' figures."""
    code: str
    name: str
    budget: Decimal | None
    actual: Decimal
    depth: int = 0
    income: bool = False

    @property
    def remaining(self):
        return None if self.budget is None else self.budget - self.actual

    @property
    def rate(self):
        return books.share(self.actual, self.budget)


@dataclass
class DuesRow:
    """Dues collection for one group or department: members, dues owed, dues paid."""
    label: str
    members: int
    due: Decimal
    paid: Decimal

    @property
    def outstanding(self):
        return self.due - self.paid

    @property
    def rate(self):
        return books.share(self.paid, self.due)


ZERO = Decimal("0.00")


def _sum(rows, name):
    return sum((getattr(row, name) for row in rows), ZERO)


def budget_sections(rows):
    """Income lines and spending lines apart (their totals mean nothing added together), each with its totals over
    its top-level lines (sub-accounts are already in their parents)."""
    sections = []
    for income, label in ((True, _("Income")), (False, _("Spending"))):
        part = [row for row in rows if row.income == income]
        if not part:
            continue
        tops = [row for row in part if row.depth == 0]
        budget, actual = (sum((row.budget or ZERO for row in tops), ZERO), _sum(tops, "actual"))
        sections.append({"label": label, "income": income, "rows": part, "budget": budget, "actual": actual,
                         "remaining": budget - actual, "rate": books.share(actual, budget)})
    return sections


def budget_execution_chart(rows):
    """The report's top-level spending lines with a budget, drawn (the workbench draws the same lines)."""
    return budget_chart([(row.name, row.budget, row.actual) for row in rows
                         if row.depth == 0 and row.budget and not row.income])


def budget_execution_pdf(rows, *, year, as_of=None, stamp, by):
    """Budget vs actual from 1 January to ``as_of`` (default 31 December)."""
    title = _("Budget execution")
    date_from, date_to = datetime.date(year, 1, 1), as_of or datetime.date(year, 12, 31)
    sections = [{
        "label": section["label"], "income": section["income"],
        "rows": [{"code": row.code, "name": row.name, "depth": row.depth, "budget": money(row.budget),
                  "actual": money(row.actual), "remaining": money(row.remaining), "rate": percent(row.rate)}
                 for row in section["rows"]],
        "totals": {name: money(section[name]) for name in ("budget", "actual", "remaining")} | {
            "rate": percent(section["rate"])}} for section in budget_sections(rows)]
    context = report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by,
                             sections=sections, chart=budget_execution_chart(rows))
    return render_pdf("finance/pdf/budget_execution.html", context,
                      filename=report_filename(title, date_from, date_to, "pdf"))


def budget_execution_xlsx(rows, *, year, as_of=None, stamp, by):
    title = _("Budget execution")
    workbook, sheet = new_sheet(title, headers=[pgettext("account", "Code"), _("Item"), _("Budget"), _("Actual"), _("Remaining"),
                                                _("Execution %")], widths=(10, 26, 15, 15, 15, 10))
    for section in budget_sections(rows):
        for row in section["rows"]:
            sheet.append([value_cell(sheet, row.code), value_cell(sheet, "  " * row.depth + row.name)]
                         + [value_cell(sheet, "" if value is None else value, number_format=MONEY_FORMAT)
                            for value in (row.budget, row.actual, row.remaining)]
                         + [value_cell(sheet, row.rate if row.rate is not None else "", number_format="0.00")])
        sheet.append([value_cell(sheet, ""), value_cell(sheet, f"{_('Total')} {section['label']}")]
                     + [value_cell(sheet, section[name], number_format=MONEY_FORMAT)
                        for name in ("budget", "actual", "remaining")]
                     + [value_cell(sheet, section["rate"] if section["rate"] is not None else "",
                                   number_format="0.00")])
    date_from, date_to = datetime.date(year, 1, 1), as_of or datetime.date(year, 12, 31)
    _xlsx_footer(sheet, date_from, date_to, stamp, by)
    return report_filename(title, date_from, date_to, "xlsx"), XLSX_MIMETYPE, workbook_bytes(workbook)


def _dues_range(year, month):
    if month is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    last = (datetime.date(year, month, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return datetime.date(year, month, 1), last


def dues_collection_pdf(rows, *, year, month=None, stamp, by):
    title = _("Dues collection")
    date_from, date_to = _dues_range(year, month)
    totals = {"members": sum(row.members for row in rows), "due": _sum(rows, "due"), "paid": _sum(rows, "paid"),
              "outstanding": _sum(rows, "outstanding")}
    context = report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by, rows=[
        {"label": row.label, "members": row.members, "due": money(row.due), "paid": money(row.paid),
         "outstanding": money(row.outstanding), "rate": percent(row.rate)} for row in rows],
        totals={"members": totals["members"], "due": money(totals["due"]), "paid": money(totals["paid"]),
                "outstanding": money(totals["outstanding"]),
                "rate": percent(books.share(totals["paid"], totals["due"]))})
    return render_pdf("finance/pdf/dues_collection.html", context,
                      filename=report_filename(title, date_from, date_to, "pdf"))


def dues_collection_xlsx(rows, *, year, month=None, stamp, by):
    title = _("Dues collection")
    workbook, sheet = new_sheet(title, headers=[_("Group"), _("Members"), _("Due"), _("Paid"), _("Outstanding"),
                                                _("Collected %")], widths=(24, 10, 15, 15, 15, 10))
    for row in rows:
        sheet.append([value_cell(sheet, row.label), value_cell(sheet, row.members)]
                     + [value_cell(sheet, value, number_format=MONEY_FORMAT)
                        for value in (row.due, row.paid, row.outstanding)]
                     + [value_cell(sheet, row.rate if row.rate is not None else "", number_format="0.00")])
    date_from, date_to = _dues_range(year, month)
    _xlsx_footer(sheet, date_from, date_to, stamp, by)
    return report_filename(title, date_from, date_to, "xlsx"), XLSX_MIMETYPE, workbook_bytes(workbook)
