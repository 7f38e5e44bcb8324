"""Care work's part of the console's workbench (core.workbench): reports not yet visited, spending by occasion
against the caps."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import Chart, Row, number
from core.workbench import register_chart, register_task

from ..models import CareReport
from .selectors import occasion_spending


def _open_reports(*, today):
    return CareReport.objects.filter(status=CareReport.Status.OPEN).count()


def _open_reports_url(*, today):
    return reverse("admin:welfare_carereport_changelist") + f"?status__exact={CareReport.Status.OPEN}"


def occasion_spending_chart(year, *, rows=None):
    """Spent per occasion; the mark is the cap per event times the gifts given (the most the policy allowed)."""
    rows = occasion_spending(year) if rows is None else rows
    return Chart(title=_("Welfare spending by occasion against the caps"), series=[_("Amount (yuan)")],
                 note=_("The mark: the cap per event times the number of gifts."),
                 rows=[Row(label=row["occasion"], values=[row["amount"]],
                           texts=[f"{number(row['amount'])} · {row['count']}"],
                           limit=None if row["cap"] is None else row["cap"] * row["count"],
                           alert=row["cap"] is not None and row["amount"] > row["cap"] * row["count"])
                       for row in rows])


def register():
    register_task(key="care.open_reports", label=gettext_lazy("Care reports not yet visited"), order=20,
                  permission="welfare.view_carereport", count=_open_reports, url=_open_reports_url)
    register_chart(key="care.occasions", order=50, permission="welfare.view_visit",
                   build=lambda *, year, today: occasion_spending_chart(year))
