"""Overdue items reach their owner and the chair through the reminder engine, exactly once per item and step."""

import datetime

import pytest
from django.utils import timezone

from core.models import ReminderDelivery
from core.reminder_engine import reminders_run
from tests.voice.helpers import member_with_login
from voice.models import Item
from voice.tracker import services as s

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def only_tracker_reminders(monkeypatch):
    from core.reminders import COLLECTORS

    for kind in list(COLLECTORS):
        if kind != "tracker_overdue":
            monkeypatch.delitem(COLLECTORS, kind)


def test_an_overdue_item_reaches_owner_and_chair_once_per_step(only_tracker_reminders, chair, treasurer):
    today = timezone.localdate()
    member = member_with_login()
    item, _ = s.item_submit(member=member, source="box", title="Lift", text="Broken.", actor=member.user,
                            today=today - datetime.timedelta(days=10))
    s.item_accept(item=item, actor=chair)
    s.item_assign(item=item, owner_user=treasurer, deadline=today, actor=chair, today=today)
    reminders_run(today=today)
    assert not ReminderDelivery.objects.exists()  # due today: not overdue yet
    later = today + datetime.timedelta(days=2)
    for _ in range(3):
        reminders_run(today=later)
    reminders_run(today=later + datetime.timedelta(days=1))
    rows = list(ReminderDelivery.objects.values_list("recipient_id", flat=True))
    assert sorted(rows) == sorted([chair.pk, treasurer.pk])
    assert member.user_id not in rows
    # The member is not satisfied with the answer: a new step, overdue again, told again (once).
    s.item_answer(item=item, answer="Soon.", actor=treasurer)
    s.item_rate(item=item, rating=Item.Rating.UNSATISFIED, actor=member.user)
    for _ in range(2):
        reminders_run(today=later + datetime.timedelta(days=2))
    assert ReminderDelivery.objects.count() == 4
    s.item_answer(item=item, answer="Fixed.", actor=treasurer)
    reminders_run(today=later + datetime.timedelta(days=3))
    assert ReminderDelivery.objects.count() == 4


def test_an_overdue_talk_reaches_only_the_holder_and_the_chair(only_tracker_reminders, chair, treasurer,
                                                                welfare_officer):
    today = timezone.localdate()
    talk = s.item_record(source=Item.Source.TALK, title="Talk", text="Notes", member=member_with_login(),
                         actor=welfare_officer)
    talk = s.item_accept(item=talk, actor=welfare_officer)
    from django.contrib.auth.models import Permission

    treasurer.groups.first().permissions.add(Permission.objects.get(codename="handle_item"))
    s.item_assign(item=talk, owner_user=welfare_officer, deadline=today, actor=welfare_officer)
    reminders_run(today=today + datetime.timedelta(days=1))
    recipients = set(ReminderDelivery.objects.values_list("recipient_id", flat=True))
    assert recipients == {chair.pk, welfare_officer.pk}
    assert all("Talk" not in title for title in ReminderDelivery.objects.values_list("title", flat=True))
