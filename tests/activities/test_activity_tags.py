"""activities.templatetags.activity_tags: when an activity takes place and its badge, as every list shows them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from activities.models import Activity
from activities.templatetags.activity_tags import activity_status, activity_when

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def _at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)


@pytest.mark.parametrize(("language", "ends", "expected"), [
    ("zh-hans", _at(24, 12), "2026年12月24日 09:00 – 12:00"),
    ("en", _at(24, 12), "12/24/2026 9 a.m. – noon"),
    ("zh-hans", _at(25, 8, 30), "2026年12月24日 09:00 – 2026年12月25日 08:30"),  # past midnight, Beijing time
    ("en", _at(25, 8, 30), "12/24/2026 9 a.m. – 12/25/2026 8:30 a.m."),
])
def test_it_says_when_in_local_time_with_the_end_in_the_languages_time_format(language, ends, expected):
    activity = Activity(starts_at=_at(24, 9), ends_at=ends)
    with translation.override(language):
        assert activity_when(activity) == expected


def test_the_badge_says_full_when_every_seat_is_taken():
    activity = ActivityFactory(capacity=2)
    activity.seats_taken = 1
    with translation.override("zh-hans"):
        assert activity_status(activity) == '<span class="badge status-open">报名中</span>'
        activity.seats_taken = 2
        assert activity_status(activity) == '<span class="badge status-full">已满 · 可候补</span>'
        del activity.seats_taken  # not annotated (the detail of a single activity may come without it)
        assert "status-open" in activity_status(activity)
