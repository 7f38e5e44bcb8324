"""Attendance (issue §3): per activity (registered, checked in, walk-ins, rate), per member for a year, and the
whole year for the year-end summary — always computed from the registrations, at a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import attendance
from activities.models import Activity, ActivityType, Registration
from members.models import MemberStatus
from tests.factories import MemberFactory

from .factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
ZONE = timezone.get_default_timezone()
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=ZONE)
CONFIRMED, WAITLISTED, CANCELLED = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED,
                                    Registration.Status.CANCELLED)


def held(when, **fields):
    """A published activity that took place at ``when`` (registration closed a week before)."""
    return ActivityFactory(starts_at=when, ends_at=when + datetime.timedelta(hours=3),
                           registration_opens_at=when - datetime.timedelta(days=30),
                           registration_closes_at=when - datetime.timedelta(days=7), **fields)


def register(activity, member=None, *, came=False, walk_in=False, status=CONFIRMED):
    return RegistrationFactory(activity=activity, member=member or MemberFactory(), status=status, walk_in=walk_in,
                               checked_in_at=activity.starts_at if came else None)


def test_it_counts_one_activity():
    outing = held(NOW - datetime.timedelta(days=3))
    for came in (True, True, True, False):
        register(outing, came=came)
    register(outing, came=True, walk_in=True)
    register(outing, status=WAITLISTED)
    register(outing, status=CANCELLED)
    figures = attendance.activity_attendance(outing)
    assert (figures.registered, figures.checked_in, figures.walk_ins, figures.no_shows) == (4, 4, 1, 1)
    assert figures.rate == Decimal("0.7500") and figures.rate_display == "75.0%"


def test_the_rate_is_empty_when_nobody_registered():
    outing = held(NOW - datetime.timedelta(days=3))
    register(outing, came=True, walk_in=True)
    figures = attendance.activity_attendance(outing)
    assert figures.rate is None and figures.rate_display == "—" and figures.checked_in == 1


def test_it_rounds_the_rate_half_up():
    assert attendance.attendance_rate(registered=3, checked_in=2, walk_ins=0) == Decimal("0.6667")
    assert attendance.rate_display(Decimal("0.66665")) == "66.7%"
    assert attendance.attendance_rate(registered=8, checked_in=1, walk_ins=0) == Decimal("0.1250")


def test_the_annotated_list_agrees_with_the_single_selector_at_one_query():
    activities = [held(NOW - datetime.timedelta(days=d)) for d in (1, 2, 3)]
    for index, activity in enumerate(activities):
        for n in range(index + 2):
            register(activity, came=n % 2 == 0)
        register(activity, came=True, walk_in=True)
        register(activity, status=WAITLISTED)
    with CaptureQueriesContext(connection) as queries:
        rows = list(attendance.with_attendance(Activity.objects.filter(pk__in=[a.pk for a in activities])))
    assert len(queries) == 1
    for row in rows:
        assert attendance.attendance_of(row) == attendance.activity_attendance(row)
        assert row.att_waitlisted == 1
        assert row.att_seats_taken == row.att_registered + row.att_walk_ins


def test_it_counts_a_members_year():
    member = MemberFactory()
    spring = held(datetime.datetime(2026, 4, 10, 9, tzinfo=ZONE), title="春游")
    autumn = held(datetime.datetime(2026, 10, 20, 9, tzinfo=ZONE), title="秋游")
    no_show = held(datetime.datetime(2026, 6, 1, 9, tzinfo=ZONE))
    last_year = held(datetime.datetime(2025, 12, 31, 15, 59, tzinfo=datetime.timezone.utc))  # 23:59 in Shanghai
    new_year = held(datetime.datetime(2025, 12, 31, 16, 0, tzinfo=datetime.timezone.utc))  # 00:00 on 1 January
    cancelled = held(datetime.datetime(2026, 5, 1, 9, tzinfo=ZONE), state=Activity.State.CANCELLED)
    for activity in (spring, autumn, last_year, new_year, cancelled):
        register(activity, member, came=True)
    register(no_show, member)
    attended = attendance.member_attendance_for_year(member, 2026, now=NOW)
    assert [a.pk for a in attended] == [new_year.pk, spring.pk, autumn.pk]
    assert attendance.attendance_by_member(2026, now=NOW) == {member.pk: 3}
    assert attendance.attendance_by_member(2025, now=NOW) == {member.pk: 1}


def test_it_leaves_out_activities_not_held_yet():
    member = MemberFactory()
    party = held(NOW + datetime.timedelta(days=5))
    register(party, member, came=True)  # checked in early (the bus leaves before the start)
    assert attendance.attendance_by_member(2026, now=NOW) == {}
    assert attendance.attendance_for_year(2026, now=NOW)["totals"]["activities"] == 0


def _year_of_activities(count, people_each):
    sports = ActivityType.objects.get(code="sports")
    study = ActivityType.objects.get(code="study")
    members = [MemberFactory() for _ in range(people_each + 1)]
    for index in range(count):
        activity = held(datetime.datetime(2026, 1 + index % 10, 5, 9, tzinfo=ZONE),
                        activity_type=sports if index % 2 else study)
        for position, member in enumerate(members[:people_each]):
            register(activity, member, came=position != 0)
        register(activity, members[-1], came=True, walk_in=True)
    return members


def test_it_sums_up_the_year_for_the_year_end_summary():
    members = _year_of_activities(4, 3)
    MemberFactory(status=MemberStatus.RETIRED)  # on the roll, attended nothing
    MemberFactory(status=MemberStatus.TRANSFERRED_OUT)  # not on the roll
    held(datetime.datetime(2026, 3, 1, 9, tzinfo=ZONE), state=Activity.State.DRAFT)
    summary = attendance.attendance_for_year(2026, now=NOW)
    assert summary["year"] == 2026
    assert len(summary["activities"]) == 4
    first = summary["activities"][0]
    assert {key: first[key] for key in ("registered", "checked_in", "walk_ins", "rate")} == {
        "registered": 3, "checked_in": 3, "walk_ins": 1, "rate": Decimal("0.6667")}
    assert [t["type_code"] for t in summary["by_type"]] == ["study", "sports"]  # the types' own order
    assert summary["by_type"][0]["activities"] == 2 and summary["by_type"][0]["checked_in"] == 6
    totals = summary["totals"]
    assert totals == {
        "activities": 4, "registered": 12, "checked_in": 12, "walk_ins": 4, "rate": Decimal("0.6667"),
        "participants": 3, "members_on_roll": len(members) + 1, "participation_rate": Decimal("0.6000"),
    }
    assert summary["by_member"] == {members[1].pk: 4, members[2].pk: 4, members[3].pk: 4}


def test_the_year_costs_the_same_queries_for_5_and_50_activities():
    _year_of_activities(5, 2)
    with CaptureQueriesContext(connection) as few:
        attendance.attendance_for_year(2026, now=NOW)
    _year_of_activities(45, 4)
    with CaptureQueriesContext(connection) as many:
        summary = attendance.attendance_for_year(2026, now=NOW)
    assert summary["totals"]["activities"] == 50
    assert len(many) == len(few) <= 4
