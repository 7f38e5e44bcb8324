"""The reminders that read the care records: holidays with members still without their gift, care reports not
visited yet (住院 and the other 五必访 occasions)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import ReminderDelivery, ReminderSettings
from core.reminder_engine import reminders_run
from members.models import Member, MemberStatus
from tests.factories import MemberFactory
from tests.welfare.helpers import keys
from welfare.care.reminders import HOLIDAY_NAMES_SHOWN, holidays
from welfare.care.services import care_report_close, care_report_create, visit_record
from welfare.models import GiftForm

from .factories import day, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_welfare_reminders")]
D = datetime.date
MID_AUTUMN = D(2030, 9, 12)  # lunar 八月十五 in 2030, computed by core.chinese_calendar
ANNOUNCED = MID_AUTUMN - datetime.timedelta(days=14)


def give(member, code="mid_autumn", *, actor, on=day(9, 1)):
    return visit_record(member=member, occasion=occasion(code), date=on, form=GiftForm.GOODS,
                        amount=Decimal("300.00"), actor=actor, year=2030)


# --- holidays ----------------------------------------------------------------------------------------------------

def test_a_holiday_is_announced_n_days_ahead_with_who_has_not_had_the_gift(policy, chair, welfare_officer,
                                                                          group_leader):
    given = MemberFactory(name="王已领")
    MemberFactory(name="李未领")
    MemberFactory(name="赵退休", status=MemberStatus.RETIRED)  # retirees are not eligible in this policy
    give(given, actor=welfare_officer)
    reminders_run(today=ANNOUNCED - datetime.timedelta(days=1))
    assert not keys()

    run, _ = reminders_run(today=ANNOUNCED)
    assert run.status == "done"
    assert keys() == {(chair.pk, "holiday:mid_autumn:2030"), (welfare_officer.pk, "holiday:mid_autumn:2030")}
    reminder = ReminderDelivery.objects.get(recipient=chair)
    # Not given yet: the chair, the welfare officer and the group leader (members too) and 李未领.
    assert "4 members have not yet received the 中秋 gift" in reminder.body
    assert "李未领" in reminder.body and "王已领" not in reminder.body and "赵退休" not in reminder.body
    assert "中秋" in reminder.title and reminder.due_on == MID_AUTUMN and reminder.remind_on == ANNOUNCED
    assert reminder.url == f"/welfare/distributions/new/?occasion={occasion('mid_autumn').pk}&year=2030"


def test_a_holiday_everyone_received_is_not_announced(policy, chair, welfare_officer):
    for member in Member.objects.filter(status=MemberStatus.ACTIVE):
        give(member, actor=welfare_officer)
    reminders_run(today=ANNOUNCED)
    assert not keys()


def test_a_holiday_the_policy_does_not_cover_is_not_announced(policy, chair):
    reminders_run(today=D(2030, 4, 25))  # 劳动节 1 May: no rule in this policy
    assert not keys()


def test_a_holiday_whose_announcement_fell_in_an_outage_is_announced_by_the_next_run(policy, chair,
                                                                                    welfare_officer):
    reminders_run(today=D(2030, 8, 28))
    assert not keys()
    # The worker is down on 29, 30 and 31 August (the announcement day was the 29th); it runs again on 1 September.
    run, _ = reminders_run(today=D(2030, 9, 1))
    assert run.since <= ANNOUNCED - datetime.timedelta(days=1)
    assert keys() == {(chair.pk, "holiday:mid_autumn:2030"), (welfare_officer.pk, "holiday:mid_autumn:2030")}
    assert ReminderDelivery.objects.get(recipient=chair).remind_on == ANNOUNCED
    # Exactly once: the next days' runs find it again and drop it.
    for today in (D(2030, 9, 1), D(2030, 9, 2), D(2030, 9, 3)):
        again, _ = reminders_run(today=today)
        assert again.claimed == 0
    assert ReminderDelivery.objects.count() == 2


def test_a_holiday_past_before_the_worker_came_back_is_not_announced(policy, chair):
    reminders_run(today=D(2030, 8, 20))
    reminders_run(today=D(2030, 9, 13))  # 中秋 was yesterday
    assert not ReminderDelivery.objects.filter(key="holiday:mid_autumn:2030").exists()


def test_a_long_list_shows_some_names_and_counts_the_rest_in_the_same_queries(policy, chair):
    def queries():
        config = ReminderSettings.current()
        with CaptureQueriesContext(connection) as captured:
            found = list(holidays(since=ANNOUNCED - datetime.timedelta(days=1), today=ANNOUNCED, config=config))
        return found, len(captured)

    MemberFactory.create_batch(3)
    small, few = queries()
    MemberFactory.create_batch(HOLIDAY_NAMES_SHOWN + 10)
    large, many = queries()
    assert few == many
    assert len(small) == len(large) == 1
    total = 1 + 3 + HOLIDAY_NAMES_SHOWN + 10  # the chair is a member too
    body = large[0].body
    assert body.startswith(f"{total} members have not yet received")
    assert body.endswith(f" and {total - HOLIDAY_NAMES_SHOWN} more.")
    assert body.count("、") == HOLIDAY_NAMES_SHOWN - 1


# --- care reports --------------------------------------------------------------------------------------------------

def report(member, code, on, *, actor):
    return care_report_create(member=member, occasion=occasion(code), date=on, note="胃出血，住院三周", actor=actor)


def test_a_member_in_hospital_not_visited_is_told_to_the_officers_and_the_group_leader(policy, group,
                                                                                     group_leader,
                                                                                     welfare_officer, chair):
    patient = MemberFactory(union_group=group, name="周住院")
    elsewhere = MemberFactory(name="吴无组")
    first = report(patient, "hospital", day(3, 1), actor=welfare_officer)
    second = report(elsewhere, "hospital", day(3, 2), actor=welfare_officer)
    run, _ = reminders_run(today=day(3, 3))
    assert run.status == "done"
    assert keys() == {(welfare_officer.pk, f"hospital:report:{first.pk}"),
                      (group_leader.pk, f"hospital:report:{first.pk}"),
                      (welfare_officer.pk, f"hospital:report:{second.pk}")}
    told = ReminderDelivery.objects.get(recipient=group_leader)
    assert "周住院" in told.title and told.kind == "hospital" and told.due_on == day(3, 1)
    assert "胃出血" not in told.body  # the note may hold medical details: only on the report page
    assert told.url == "/welfare/reports/"


def test_a_visited_or_closed_report_is_not_told(policy, group, welfare_officer):
    visited = report(MemberFactory(union_group=group), "hospital", day(3, 1), actor=welfare_officer)
    visit_record(member=visited.member, occasion=occasion("hospital"), date=day(3, 2), form=GiftForm.CASH,
                 amount=Decimal("500.00"), actor=welfare_officer, report=visited)
    # A visit recorded without picking the report still counts as the visit.
    unlinked = report(MemberFactory(union_group=group), "hospital", day(3, 1), actor=welfare_officer)
    visit_record(member=unlinked.member, occasion=occasion("hospital"), date=day(3, 2), form=GiftForm.GOODS,
                 amount=Decimal("300.00"), actor=welfare_officer)

    care_report_close(report=report(MemberFactory(), "hospital", day(3, 1), actor=welfare_officer),
                      actor=welfare_officer)
    reminders_run(today=day(3, 3))
    assert not keys()


def test_an_old_open_report_is_told_once_and_a_new_stay_again(policy, group, group_leader, welfare_officer):
    patient = MemberFactory(union_group=group)
    old = report(patient, "hospital", day(1, 5), actor=welfare_officer)
    reminders_run(today=day(3, 1))
    reminders_run(today=day(3, 2))
    reminders_run(today=day(3, 10))
    assert keys(recipient=group_leader) == {(group_leader.pk, f"hospital:report:{old.pk}")}
    assert ReminderDelivery.objects.filter(recipient=group_leader).get().remind_on == day(1, 5)
    visit_record(member=patient, occasion=occasion("hospital"), date=day(3, 11), form=GiftForm.CASH,
                 amount=Decimal("500.00"), actor=welfare_officer, report=old)
    # In hospital again later: an earlier visit does not count for the new stay.
    new = report(patient, "hospital", day(6, 1), actor=welfare_officer)
    reminders_run(today=day(6, 2))
    assert keys(recipient=group_leader) == {(group_leader.pk, f"hospital:report:{old.pk}"),
                                            (group_leader.pk, f"hospital:report:{new.pk}")}


def test_other_must_visit_reports_are_told_and_the_member_is_not_told_about_themself(policy, group, group_leader,
                                                                                    welfare_officer):
    wedding = report(MemberFactory(union_group=group, name="郑新婚"), "wedding", day(5, 1), actor=welfare_officer)
    own = report(group_leader.member, "family_death", day(5, 2), actor=welfare_officer)
    reminders_run(today=day(5, 3))
    assert keys() == {(welfare_officer.pk, f"care-report:{wedding.pk}"),
                      (group_leader.pk, f"care-report:{wedding.pk}"),
                      (welfare_officer.pk, f"care-report:{own.pk}")}
    told = ReminderDelivery.objects.get(recipient=group_leader)
    assert told.kind == "care_report" and "结婚" in told.title and "郑新婚" in told.title
