"""经费管理 for the year-end summary (registered with core.year_sections in finance's ready()): the year's income,
spending and surplus from the books, and how much of the spending budget was used."""

import datetime

from django.utils.translation import gettext as _

from core.money import money
from core.year_sections import YearSection
from finance.books.selectors import ZERO, budget_vs_actual
from finance.charts import year_funds_chart
from finance.models import AccountKind

from .books import income_statement, share


def year_section(year):
    statement = income_statement(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    tops = [row for row in budget_vs_actual(year=year) if row.depth == 0 and row.account.kind == AccountKind.EXPENSE]
    budget = sum((row.budget or ZERO for row in tops), ZERO)
    spent = sum((row.actual for row in tops), ZERO)
    rate = share(spent, budget) if budget else None
    rows = [[_("Income"), money(statement.income.total)], [_("Spending"), money(statement.spending.total)],
            [_("Surplus for the year"), money(statement.surplus)],
            [_("Spending budget"), money(budget) if budget else "—"],
            [_("Spending budget used"), "—" if rate is None else f"{rate}%"]]
    chart = year_funds_chart(income=statement.income.total, spending=statement.spending.total, budget=budget)
    return YearSection(title=_("Funds"), headers=[_("Item"), _("Amount (yuan)")], rows=rows, chart=chart)
