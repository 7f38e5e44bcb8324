"""The roll-based reminders: birthdays (Gregorian and lunar), retirements, the 金秋助学 season."""

import datetime

import pytest

from core.models import Notification, ReminderDelivery, ReminderSettings
from core.reminder_engine import reminders_run
from core.reminders import COLLECTORS
from members.models import MemberStatus
from tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]
D = datetime.date


@pytest.fixture(autouse=True)
def only_roll_collectors(monkeypatch):
    """Collectors other areas register are not part of these tests."""
    for kind in list(COLLECTORS):
        if kind not in ("birthday", "retirement", "school_aid"):
            monkeypatch.delitem(COLLECTORS, kind)


def keys(**filters):
    return set(ReminderDelivery.objects.filter(**filters).values_list("recipient_id", "key"))


def test_it_tells_the_group_leader_and_the_welfare_officers_once(group, group_leader, welfare_officer, chair):
    member = MemberFactory(union_group=group, birth=D(1990, 6, 20))
    elsewhere = MemberFactory(birth=D(1991, 6, 20))  # no group: welfare officers only
    run, _ = reminders_run(today=D(2027, 6, 13))
    assert run.status == "done"
    assert keys() == {(group_leader.pk, f"birthday:member:{member.pk}:2027"),
                      (welfare_officer.pk, f"birthday:member:{member.pk}:2027"),
                      (welfare_officer.pk, f"birthday:member:{elsewhere.pk}:2027")}
    reminder = ReminderDelivery.objects.get(recipient=group_leader)
    assert reminder.due_on == D(2027, 6, 20) and reminder.remind_on == D(2027, 6, 13)
    assert member.name in reminder.title and reminder.url == f"/members/{member.pk}/"
    assert Notification.objects.filter(user=group_leader).count() == 1
    assert Notification.objects.filter(user=welfare_officer).count() == 1  # two birthdays, one digest
    assert Notification.objects.filter(user=chair).count() == 0

    for today in (D(2027, 6, 13), D(2027, 6, 14), D(2027, 6, 15)):
        reminders_run(today=today)
    assert ReminderDelivery.objects.count() == 3
    assert Notification.objects.count() == 2


def test_it_uses_the_days_ahead_from_the_settings(group, group_leader):
    ReminderSettings.objects.update(birthday_days_ahead=3)
    member = MemberFactory(union_group=group, birth=D(1990, 6, 20))
    reminders_run(today=D(2027, 6, 13))
    assert not keys()
    reminders_run(today=D(2027, 6, 17))
    assert keys() == {(group_leader.pk, f"birthday:member:{member.pk}:2027")}


def test_it_tells_nobody_about_their_own_birthday_and_skips_members_off_the_roll(group, group_leader,
                                                                                 welfare_officer):
    group_leader.member.birth_date = D(1980, 6, 20)
    group_leader.member.save()
    MemberFactory(union_group=group, birth=D(1990, 6, 20), status=MemberStatus.WITHDRAWN)
    retiree = MemberFactory(union_group=group, birth=D(1955, 6, 20), status=MemberStatus.RETIRED)
    reminders_run(today=D(2027, 6, 13))
    assert keys() == {(welfare_officer.pk, f"birthday:member:{group_leader.member.pk}:2027"),
                      (group_leader.pk, f"birthday:member:{retiree.pk}:2027"),
                      (welfare_officer.pk, f"birthday:member:{retiree.pk}:2027")}


def test_it_catches_up_after_a_three_day_outage(group, group_leader):
    born = {day: MemberFactory(union_group=group, birth=D(1988, 6, day)).pk for day in range(16, 23)}
    reminders_run(today=D(2027, 6, 9))
    reminders_run(today=D(2027, 6, 10))
    assert keys() == {(group_leader.pk, f"birthday:member:{born[16]}:2027"),
                      (group_leader.pk, f"birthday:member:{born[17]}:2027")}
    # The worker is down on the 11th, 12th and 13th; the run on the 14th covers them.
    run, _ = reminders_run(today=D(2027, 6, 14))
    assert run.since <= D(2027, 6, 10)
    assert keys() == {(group_leader.pk, f"birthday:member:{born[day]}:2027") for day in range(16, 22)}
    assert Notification.objects.filter(user=group_leader).count() == 3  # one per run that found something new
    assert run.claimed == 4


def test_a_birthday_that_is_already_past_after_a_long_outage_is_not_announced(group, group_leader):
    MemberFactory(union_group=group, birth=D(1988, 6, 12))
    reminders_run(today=D(2027, 6, 1))
    reminders_run(today=D(2027, 6, 14))  # remind_on 5 June was missed, but the birthday is over
    assert not keys()


@pytest.mark.parametrize(("year", "expected"), [
    (2027, D(2027, 7, 2)), (2028, D(2028, 6, 20)), (2029, D(2029, 7, 9)), (2030, D(2030, 6, 28)),
    (2031, D(2031, 7, 17)),
])
def test_it_remembers_a_lunar_birthday_on_its_lunar_date(group, group_leader, year, expected):
    # 1990-06-20 is lunar 五月廿八; the Gregorian date of that lunar day moves every year.
    member = MemberFactory(union_group=group, birth=D(1990, 6, 20), birthday_lunar=True)
    if expected != D(year, 6, 20):
        reminders_run(today=D(year, 6, 13))  # the Gregorian date is not the day for this member
        assert not keys()
    reminders_run(today=expected - datetime.timedelta(days=7))
    reminder = ReminderDelivery.objects.get(recipient=group_leader)
    assert reminder.due_on == expected
    assert reminder.key == f"birthday:member:{member.pk}:lunar{year}"
    assert "lunar" in reminder.body


def test_two_lunar_birthdays_in_one_gregorian_year_are_both_remembered(group, group_leader):
    # Born 1980-01-11 = lunar 1979-11-24: lunar birthdays on 2027-01-01 and again on 2027-12-21.
    member = MemberFactory(union_group=group, birth=D(1980, 1, 11), birthday_lunar=True)
    reminders_run(today=D(2026, 12, 25))
    reminders_run(today=D(2027, 12, 14))
    assert set(ReminderDelivery.objects.values_list("key", "due_on")) == {
        (f"birthday:member:{member.pk}:lunar2026", D(2027, 1, 1)),
        (f"birthday:member:{member.pk}:lunar2027", D(2027, 12, 21)),
    }


def test_a_29_february_birthday_is_kept_on_28_february_in_common_years(group, group_leader):
    member = MemberFactory(union_group=group, birth=D(1988, 2, 29))
    reminders_run(today=D(2027, 2, 21))
    assert set(ReminderDelivery.objects.values_list("key", "due_on")) == {
        (f"birthday:member:{member.pk}:2027", D(2027, 2, 28))}
    reminders_run(today=D(2028, 2, 22))
    assert ReminderDelivery.objects.filter(due_on=D(2028, 2, 29)).exists()


def test_it_announces_retirements_to_the_welfare_officers_and_the_chair(group, group_leader, welfare_officer, chair):
    retiring = MemberFactory(union_group=group, expected_retirement_on=D(2027, 9, 1))
    MemberFactory(union_group=group, expected_retirement_on=D(2027, 12, 1))
    MemberFactory(union_group=group, expected_retirement_on=D(2027, 9, 1), status=MemberStatus.RETIRED)
    reminders_run(today=D(2027, 7, 3))  # 60 days before 1 September
    expected = {(welfare_officer.pk, f"retirement:member:{retiring.pk}:2027"),
                (chair.pk, f"retirement:member:{retiring.pk}:2027")}
    assert keys(kind="retirement") == expected
    reminders_run(today=D(2027, 7, 4))
    assert keys(kind="retirement") == expected


def test_it_announces_the_school_aid_season_from_the_settings(welfare_officer, chair, group_leader):
    reminders_run(today=D(2027, 6, 16))
    assert not keys(kind="school_aid")
    reminders_run(today=D(2027, 6, 17))  # 14 days before 1 July
    assert keys(kind="school_aid") == {(welfare_officer.pk, "school_aid:2027"), (chair.pk, "school_aid:2027")}
    assert ReminderDelivery.objects.filter(kind="school_aid").first().due_on == D(2027, 7, 1)

    ReminderSettings.objects.update(school_aid_opens_month=8, school_aid_opens_day=15, school_aid_days_ahead=10)
    reminders_run(today=D(2028, 8, 5))
    assert (chair.pk, "school_aid:2028") in keys(kind="school_aid")
