"""Hardship aid's part of the console's workbench (core.workbench): public notices ending, yearly reviews due,
cases by stage. Only for case handlers (confidential): counts, never a name."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import Chart, Row
from core.workbench import register_chart, register_task

from ..models import CaseState, HardshipCase
from .selectors import cases_by_state, cases_due_for_review

#: A notice "ends soon" when its objection window closes within this many days (today included).
NOTICE_ENDING_DAYS = 3
HANDLERS = "welfare.handle_hardship_case"


def _notices_ending(*, today):
    return HardshipCase.objects.filter(state=CaseState.NOTICE, notice_end__gte=today,
                                       notice_end__lte=today + datetime.timedelta(days=NOTICE_ENDING_DAYS)).count()


def _reviews_due(*, today):
    return cases_due_for_review(on=today).count()


def _list_url(state):
    return lambda *, today: reverse("welfare:hardship_list") + f"?state={state}"


def cases_by_stage_chart(*, year, today):
    counts = cases_by_state()
    return Chart(title=_("Hardship cases by stage"), series=[_("Cases")],
                 rows=[Row(label=label, values=[counts.get(value, 0)]) for value, label in CaseState.choices
                       if value != CaseState.CLOSED])


def register():
    register_task(key="hardship.notices_ending", label=gettext_lazy("Objection windows ending in 3 days"),
                  order=30, permission=HANDLERS, count=_notices_ending, url=_list_url(CaseState.NOTICE))
    register_task(key="hardship.reviews_due", label=gettext_lazy("Hardship reviews due"), order=31,
                  permission=HANDLERS, count=_reviews_due, url=_list_url(CaseState.APPROVED))
    register_chart(key="hardship.stages", order=60, permission=HANDLERS, build=cases_by_stage_chart)
