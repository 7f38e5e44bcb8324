"""Asking the audience of an open survey: one reminder per member who has not yet responded, on the day it opens
(the engine's ledger tells each person once). One query for the surveys, one per survey for its audience."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.reminders import Reminder, collector

from ..audience import members_in_audience
from ..models import Participation, Survey

KIND = "survey"


@collector(KIND)
def open_surveys(*, since, today, config):
    start = timezone.make_aware(datetime.datetime.combine(since + datetime.timedelta(days=1), datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    surveys = (Survey.objects.filter(state=Survey.State.PUBLISHED, opens_at__gte=start, opens_at__lt=end,
                                     closes_at__gt=end - datetime.timedelta(days=1))
               .prefetch_related("union_groups", "departments").order_by("pk"))
    for survey in surveys:
        answered = Participation.objects.filter(survey=survey, member=OuterRef("pk"))
        members = members_in_audience(survey).exclude(Exists(answered)).filter(user__isnull=False,
                                                                              user__is_active=True)
        for user_id in members.values_list("user_id", flat=True):
            yield Reminder(recipient_id=user_id, key=f"survey:{survey.pk}", kind=KIND, title=survey.title,
                           body=_("Please take part by %(date)s.") % {
                               "date": timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M")},
                           remind_on=timezone.localdate(survey.opens_at),
                           due_on=timezone.localdate(survey.closes_at),
                           url=reverse("voice:survey_answer", args=[survey.pk]))
