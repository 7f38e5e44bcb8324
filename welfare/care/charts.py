"""Care work's charts (core.charts), drawn from the rows ``selectors.occasion_spending`` returns (the year-end
summary's table of 关爱慰问 prints the same rows)."""

from django.utils.translation import gettext as _

from core.charts import Chart, Row, number


def occasion_spending_chart(rows):
    """Spent per occasion; the mark is the cap per event times the gifts given (the most the policy allowed)."""
    return Chart(title=_("Welfare spending by occasion against the caps"), series=[_("Amount (yuan)")],
                 note=_("The mark: the cap per event times the number of gifts."),
                 rows=[Row(label=row["occasion"], values=[row["amount"]],
                           texts=[_("%(amount)s yuan, %(count)s gifts") % {"amount": number(row["amount"]),
                                                                          "count": row["count"]}],
                           limit=None if row["cap"] is None else row["cap"] * row["count"],
                           alert=row["cap"] is not None and row["amount"] > row["cap"] * row["count"])
                       for row in rows])
