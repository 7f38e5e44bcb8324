"""Where the row-printed reports get their rows: dues collection from the dues records, budget execution from
the approved budget and the books. Registered with the report jobs when the finance app is ready."""

import datetime
from decimal import Decimal

from finance.books.selectors import budget_vs_actual
from finance.dues.selectors import dues_collection
from finance.models import AccountKind, ReportKind

from . import documents
from .jobs import register_row_source


def dues_rows(*, year, month=None):
    """One row per union group: dues expected and paid over the year (or the month); members counted in the
    last month of the range that has posted dues, so a year's row shows today's group, not twelve months summed."""
    collection = dues_collection(year=year, month=month)
    rows, order = {}, []
    for month_figures in collection["months"]:
        for group in month_figures["groups"]:
            key = group["group_id"]
            if key not in rows:
                order.append(key)
                rows[key] = {"label": group["group"], "members": 0, "due": Decimal("0"), "paid": Decimal("0")}
            row = rows[key]
            row["members"] = group["members"]
            row["due"] += group["expected"]
            row["paid"] += group["paid"]
    return [documents.DuesRow(**rows[key]) for key in order]


def budget_rows(*, year, as_of=None):
    """Budget vs actual (finance.books.selectors.budget_vs_actual) at ``as_of`` (default 31 December): every income and
    expense account with an approved budget line or posted amounts, parents rolled up and their sub-accounts
    listed beneath them (depth), so the printed totals add up the top-level lines only."""
    return [documents.BudgetRow(row.account.code, row.account.name, row.budget, row.actual, depth=row.depth,
                                income=row.account.kind == AccountKind.INCOME)
            for row in budget_vs_actual(year=year, as_of=as_of or datetime.date(year, 12, 31))]


def register():
    register_row_source(ReportKind.DUES_COLLECTION, dues_rows)
    register_row_source(ReportKind.BUDGET_EXECUTION, budget_rows)
