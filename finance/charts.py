"""The funds' charts (core.charts), each drawn from the figures its table prints: the workbench and the printed
reports call these with the rows they already hold, so a picture never has numbers of its own."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.charts import Chart, Row, number

#: A budget line is drawn red once more than this share of it is used (warn before the line is exhausted).
BUDGET_ALERT_PERCENT = Decimal("90")


def budget_chart(lines):
    """Budget against actual per line: ``lines`` = [(name, budget, actual)]; past 90 % used is red."""
    rows = []
    for name, budget, actual in lines:
        used = (actual * 100 / budget).quantize(Decimal("0.1")) if budget else None
        rows.append(Row(label=name, values=[budget, actual],
                        texts=[number(budget), number(actual) if used is None else f"{number(actual)} ({used}%)"],
                        alert=used is not None and used > BUDGET_ALERT_PERCENT))
    return Chart(title=_("Budget execution by line"), series=[_("Budget"), _("Actual")], rows=rows,
                 note=_("Red: more than 90 per cent of the line used."))


def dues_by_month_chart(figures):
    """Dues expected and paid per month, from ``finance.dues.selectors.dues_collection``."""
    return Chart(title=_("Dues collected against expected, by month"), series=[_("Expected"), _("Paid")],
                 rows=[Row(label=_("Month %(month)s") % {"month": month["month"]},
                           values=[month["expected"], month["paid"]]) for month in figures["months"]])


def member_dues_chart(records, year):
    """One member's dues of ``year``, expected and paid per month, oldest first: the same records (and numbers)
    as the month-by-month table beside it (``finance.dues.selectors.member_dues_history``)."""
    months = sorted((record for record in records if record.year == year), key=lambda record: record.month)
    return Chart(title=_("My dues this year, by month"), series=[_("Expected"), _("Paid")],
                 rows=[Row(label=f"{record.year}-{record.month:02d}", values=[record.expected, record.paid],
                           alert=record.paid < record.expected) for record in months])


def composition_chart(title, part):
    """Income or spending by top-level account with its share, from the statement's stored figures
    (``finance.reports.documents.statement_figures``: amounts and shares as strings)."""
    rows = [Row(label=row["name"], values=[Decimal(row["amount"])],
                texts=[number(Decimal(row["amount"])) + (f" ({row['share']}%)" if row["share"] else "")])
            for row in part["rows"] if row["depth"] == 0]
    return Chart(title=title, series=[_("Amount (yuan)")], rows=rows)


def year_funds_chart(*, income, spending, budget):
    """The year-end summary's money: income, spending and the spending budget side by side."""
    rows = [Row(label=_("Income"), values=[income]), Row(label=_("Spending"), values=[spending])]
    if budget:
        rows.append(Row(label=_("Spending budget"), values=[budget]))
    return Chart(title=_("Funds"), series=[_("Amount (yuan)")], rows=rows)
