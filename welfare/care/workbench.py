"""Care work's part of the console's workbench (core.workbench): reports not yet visited, spending by occasion
against the caps."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.workbench import register_chart, register_task

from ..models import CareReport
from .charts import occasion_spending_chart
from .selectors import occasion_spending


def _open_reports(*, today):
    return CareReport.objects.filter(status=CareReport.Status.OPEN).count()


def _open_reports_url(*, today):
    return reverse("admin:welfare_carereport_changelist") + f"?status__exact={CareReport.Status.OPEN}"


def register():
    register_task(key="care.open_reports", label=gettext_lazy("Care reports not yet visited"), order=20,
                  permission="welfare.view_carereport", count=_open_reports, url=_open_reports_url)
    register_chart(key="care.occasions", order=50, permission="welfare.view_visit",
                   build=lambda *, year, today: occasion_spending_chart(occasion_spending(year)))
