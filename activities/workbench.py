"""Activities' part of the console's workbench (core.workbench): interest-group plans to approve, participation
by department."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import Chart, Row
from core.workbench import register_chart, register_task

from .attendance import participation_by_department
from .models import InterestGroupPlan


def _plans(*, today):
    return InterestGroupPlan.objects.filter(status=InterestGroupPlan.Status.SUBMITTED).count()


def _plans_url(*, today):
    return reverse("admin:activities_interestgroupplan_changelist") + "?status__exact=submitted"


def participation_chart(*, year, today):
    rows = participation_by_department(year)
    return Chart(title=_("Participation by department"), series=[_("Members on the roll"), _("Took part")],
                 rows=[Row(label=row["department"], values=[row["on_roll"], row["participants"]]) for row in rows])


def register():
    register_task(key="activities.plans", label=gettext_lazy("Interest-group plans to approve"), order=80,
                  permission="activities.change_interestgroupplan", count=_plans, url=_plans_url)
    register_chart(key="activities.participation", order=40, permission="activities.view_activity",
                   build=participation_chart)
