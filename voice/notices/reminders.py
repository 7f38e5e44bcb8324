"""Delivering notices through the reminder engine: each notice published in the run's window is one reminder per
member of its audience with a portal account, keyed on the notice, so the engine's ledger tells each person once
however often the job runs (and a run after an outage still delivers what was published meanwhile).

One query for the notices, one per notice for its audience: never one per member."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core.reminders import Reminder, collector

from ..audience import members_in_audience
from .selectors import live_notices

KIND = "notice"


def notice_key(notice):
    return f"notice:{notice.pk}"


@collector(KIND)
def published_notices(*, since, today, config):
    start = timezone.make_aware(datetime.datetime.combine(since + datetime.timedelta(days=1), datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    notices = (live_notices(today).filter(published_at__gte=start, published_at__lt=end)
               .prefetch_related("union_groups", "departments", "roles").order_by("pk"))
    for notice in notices:
        url = reverse("voice:notice_detail", args=[notice.pk])
        body = Truncator(strip_tags(notice.body)).chars(200)
        published_on = timezone.localdate(notice.published_at)
        for user_id in (members_in_audience(notice).filter(user__isnull=False, user__is_active=True)
                        .values_list("user_id", flat=True)):
            yield Reminder(recipient_id=user_id, key=notice_key(notice), kind=KIND, title=notice.title,
                           body=body, remind_on=published_on, url=url)
