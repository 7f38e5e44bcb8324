"""The daily reminder job on a real Celery worker over Redis: once per person and key, catch-up, channel retry."""

import datetime

import pytest

from core.models import Notification, ReminderDelivery, ReminderDispatch, ReminderRun, WorkChatWebhook
from tests.core.test_reminders_channels import Robot
from tests.factories import MemberFactory

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def fast_retries(monkeypatch):
    """The worker reads its settings from the environment: retry a failed channel after 1 s, not a minute."""
    monkeypatch.setenv("REMINDER_RETRY_BACKOFF", "1")


def _runs_finished(count):
    return ReminderRun.objects.exclude(status="running").count() >= count


def test_the_worker_sends_once_catches_up_and_retries_a_failed_robot(fast_retries, celery_worker_process,
                                                                     group_leader, welfare_officer):
    from core.reminder_engine import send_reminders

    group = group_leader.member.union_group
    born = {day: MemberFactory(union_group=group, birth=D(1988, 6, day)).pk for day in range(20, 26)}
    robot = Robot([500, 200])
    try:
        hook = WorkChatWebhook.objects.create(name="工会群", kind="wecom", url=robot.url)

        send_reminders.delay("2027-06-13")
        wait_for(lambda: _runs_finished(1), timeout=60, message="the first run on the worker")
        # The robot refused the first post; the retry task sends that one again after its backoff, on its own.
        wait_for(lambda: not ReminderDispatch.objects.filter(channel=hook.channel).exclude(status="delivered")
                 .exists(), timeout=60, message="the robot's retry")
        robot_rows = ReminderDispatch.objects.filter(channel=hook.channel)
        assert sorted(robot_rows.values_list("attempts", flat=True)) == [1, 2]
        assert len(robot.posts) == 3
        assert set(ReminderDispatch.objects.exclude(channel=hook.channel).values_list("status", "attempts")) == {
            ("delivered", 1)}

        send_reminders.delay("2027-06-13")  # delivered again (a redelivery, a second beat, a click on "run now")
        send_reminders.delay("2027-06-13")
        wait_for(lambda: _runs_finished(3), timeout=60, message="the repeated runs")
        expected = {(user.pk, f"birthday:member:{born[20]}:2027") for user in (group_leader, welfare_officer)}
        assert set(ReminderDelivery.objects.values_list("recipient_id", "key")) == expected
        assert Notification.objects.filter(user=group_leader).count() == 1
        assert sorted(ReminderRun.objects.values_list("claimed", flat=True)) == [0, 0, 2]
        assert len(robot.posts) == 3

        # The worker is down on the 14th, 15th and 16th; the run on the 17th covers the missed days.
        send_reminders.delay("2027-06-17")
        wait_for(lambda: _runs_finished(4), timeout=60, message="the catch-up run")
        keys = set(ReminderDelivery.objects.filter(recipient=group_leader).values_list("key", flat=True))
        assert keys == {f"birthday:member:{born[day]}:2027" for day in range(20, 25)}
        assert ReminderDelivery.objects.filter(kind="birthday").count() == 10
        assert ReminderRun.objects.order_by("-id").first().status == "done"
    finally:
        robot.close()
