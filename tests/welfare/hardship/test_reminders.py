"""The hardship review reminder: cases due for their yearly review, told to the handlers only and kept
confidential (never on a work-chat group robot)."""

import datetime

import pytest

from core.models import ReminderDelivery, ReminderDispatch, WorkChatWebhook
from core.reminder_engine import reminders_run
from tests.core.test_reminders_channels import Robot
from tests.factories import MemberFactory
from tests.welfare.helpers import keys
from welfare.care.services import care_report_create
from welfare.hardship import services

from ..care.factories import occasion
from .helpers import approved_case, poverty_line

HARDSHIP_REVIEW_DAYS_AHEAD = 30  # core.ReminderSettings default

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_welfare_reminders")]
D = datetime.date


def report(member, code, on, *, actor):
    return care_report_create(member=member, occasion=occasion(code), date=on, note="胃出血，住院三周", actor=actor)


@pytest.fixture
def case(welfare_officer):
    member = MemberFactory(name="孙晓明", birth=D(1980, 5, 6))
    return approved_case(welfare_officer, member=member)


def test_a_case_due_for_review_is_told_to_its_handlers_with_the_number_and_masked_name(case, chair, welfare_officer,
                                                                                     group_leader):
    due = case.review_due_on
    reminders_run(today=due - datetime.timedelta(days=HARDSHIP_REVIEW_DAYS_AHEAD + 1))
    assert not keys()
    reminders_run(today=due - datetime.timedelta(days=HARDSHIP_REVIEW_DAYS_AHEAD))
    key = f"hardship-review:case:{case.pk}:{due.isoformat()}"
    assert keys() == {(chair.pk, key), (welfare_officer.pk, key)}  # handlers only, never the group leader
    for told in ReminderDelivery.objects.all():
        text = told.title + told.body
        assert case.number in text and "孙*明" in text
        assert "孙晓明" not in text and case.member.id_number not in text
        assert str(case.household_income) not in text and case.get_level_display() not in text
        assert told.url == f"/welfare/cases/{case.pk}/"


def test_an_overdue_review_is_told_once_and_the_next_review_again(case, welfare_officer):
    due = case.review_due_on
    reminders_run(today=due - datetime.timedelta(days=HARDSHIP_REVIEW_DAYS_AHEAD + 5))
    reminders_run(today=due + datetime.timedelta(days=20))  # the worker was down for two months
    reminders_run(today=due + datetime.timedelta(days=21))
    assert keys() == {(welfare_officer.pk, f"hardship-review:case:{case.pk}:{due.isoformat()}")}
    # Reviewed (today, ahead of time): the next review is due in a year, possibly in the same calendar year as
    # the one just done; it is told on its own.
    services.case_review(case=case, household_income=case.household_income,
                         unavoidable_costs=case.unavoidable_costs, household_size=case.household_size,
                         poverty_line=poverty_line(), level=case.level, actor=welfare_officer)
    case.refresh_from_db()
    assert case.review_due_on > due
    reminders_run(today=case.review_due_on - datetime.timedelta(days=HARDSHIP_REVIEW_DAYS_AHEAD + 1))
    assert ReminderDelivery.objects.count() == 1
    reminders_run(today=case.review_due_on - datetime.timedelta(days=HARDSHIP_REVIEW_DAYS_AHEAD))
    assert keys() == {(welfare_officer.pk, f"hardship-review:case:{case.pk}:{due.isoformat()}"),
                      (welfare_officer.pk, f"hardship-review:case:{case.pk}:{case.review_due_on.isoformat()}")}


def test_hardship_reminders_never_reach_a_work_chat_group_robot(case, group, welfare_officer):
    today = case.review_due_on - datetime.timedelta(days=HARDSHIP_REVIEW_DAYS_AHEAD)
    report(MemberFactory(union_group=group, name="钱住院"), "hospital", today, actor=welfare_officer)
    robot = Robot([200])
    try:
        hook = WorkChatWebhook.objects.create(name="工会群", kind="wecom", url=robot.url)
        reminders_run(today=today)
    finally:
        robot.close()
    review = ReminderDelivery.objects.filter(kind="hardship_review", recipient=welfare_officer).get()
    hospital = ReminderDelivery.objects.filter(kind="hospital", recipient=welfare_officer).get()
    assert set(review.dispatches.values_list("channel", flat=True)) == {"portal", "email"}
    assert set(hospital.dispatches.values_list("channel", flat=True)) == {"portal", "email", hook.channel}
    assert not ReminderDispatch.objects.exclude(status="delivered").exists()
    posted = "".join(post["text"]["content"] for post in robot.posts)
    assert "钱住院" in posted
    assert case.number not in posted and "孙*明" not in posted and "孙晓明" not in posted
