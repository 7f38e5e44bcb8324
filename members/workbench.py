"""The roll's part of the console's workbench (core.workbench): applications to approve, members by status."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import Chart, Row
from core.workbench import register_chart, register_task

from .models import Member, MemberStatus
from .selectors import status_counts


def _applications(*, today):
    return Member.objects.with_status(MemberStatus.APPLICANT).count()


def _applications_url(*, today):
    return reverse("admin:members_member_changelist") + f"?status__exact={MemberStatus.APPLICANT}"


def members_by_status_chart(*, year, today):
    counts = status_counts()
    return Chart(title=_("Members by status"), series=[_("Members")],
                 rows=[Row(label=label, values=[counts[value]]) for value, label in MemberStatus.choices
                       if counts.get(value)])


def register():
    register_task(key="members.applications", label=gettext_lazy("Applications to approve"), order=10,
                  permission="members.change_member_status", count=_applications, url=_applications_url)
    register_chart(key="members.by_status", order=10, permission="members.view_member", build=members_by_status_chart)
