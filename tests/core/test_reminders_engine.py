"""The reminder engine: exactly once per (recipient, key), catch-up, crashes, concurrent runs, fixed queries."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import reminder_engine
from core.models import Notification, ReminderDelivery, ReminderDispatch, ReminderRun
from core.reminders import COLLECTORS, Reminder
from tests.activities.factories import _english  # noqa: F401  (assertions read the English message ids)
from tests.factories import UserFactory

D = datetime.date
TODAY = D(2027, 3, 10)


@pytest.fixture
def collectors(monkeypatch):
    """Replace the registered collectors with the test's own."""
    for kind in list(COLLECTORS):
        monkeypatch.delitem(COLLECTORS, kind)

    def register(kind, func):
        monkeypatch.setitem(COLLECTORS, kind, func)

    return register


@pytest.fixture
def people(db):
    return [UserFactory(username=f"person{i}") for i in range(5)]


def one_each(users, key="test:{pk}:2027"):
    def collect(*, since, today, config=None):
        for user in users:
            yield Reminder(recipient_id=user.pk, key=key.format(pk=user.pk), kind="test", title=f"hello {user.pk}",
                           body="body", remind_on=today)

    return collect


@pytest.mark.django_db
def test_it_delivers_each_reminder_once_however_often_it_runs(collectors, people):
    from core.reminder_engine import send_reminders

    collectors("test", one_each(people))
    for _ in range(3):
        run, failed = reminder_engine.reminders_run(today=TODAY)
        assert not failed
    send_reminders.delay(TODAY.isoformat())  # a redelivered task
    send_reminders.delay((TODAY + datetime.timedelta(days=1)).isoformat())
    assert ReminderDelivery.objects.count() == 5
    assert Notification.objects.count() == 5
    assert len(mail.outbox) == 5
    assert set(ReminderDispatch.objects.values_list("channel", "status", "attempts")) == {
        ("portal", "delivered", 1), ("email", "delivered", 1)}
    assert ReminderRun.objects.filter(status="done").count() == 5
    assert ReminderRun.objects.order_by("id").first().claimed == 5
    assert set(ReminderRun.objects.exclude(pk=ReminderRun.objects.order_by("id").first().pk)
               .values_list("claimed", flat=True)) == {0}


@pytest.mark.django_db
def test_a_recipient_gets_one_digest_per_channel_per_run(collectors, people):
    collectors("a", one_each(people[:1], key="a:{pk}"))
    collectors("b", one_each(people[:1], key="b:{pk}"))
    reminder_engine.reminders_run(today=TODAY)
    assert ReminderDelivery.objects.count() == 2
    notification = Notification.objects.get()
    assert notification.title == "2 reminders"
    assert f"hello {people[0].pk}" in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "2 reminders"


@pytest.mark.django_db
def test_the_first_run_covers_today_and_later_runs_start_from_the_last_finished_one(collectors):
    seen = []
    collectors("spy", lambda *, since, today, config=None: seen.append((since, today)) or [])
    reminder_engine.reminders_run(today=TODAY)
    reminder_engine.reminders_run(today=TODAY + datetime.timedelta(days=4))
    # one day of overlap with the last finished run; the ledger drops what it already sent
    assert seen == [(TODAY - datetime.timedelta(days=1), TODAY),
                    (TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=4))]


@pytest.mark.django_db
def test_a_crashing_collector_does_not_mark_the_days_done(collectors, people):
    def broken(*, since, today, config=None):
        yield Reminder(recipient_id=people[0].pk, key="broken:first", kind="x", title="t", body="", remind_on=today)
        raise RuntimeError("the holiday table is missing")

    collectors("good", one_each(people))
    collectors("broken", broken)
    reminder_engine.reminders_run(today=TODAY)
    first = ReminderRun.objects.get()
    assert first.status == "failed" and "broken" in first.message
    assert Notification.objects.count() == 5  # the others were not held back

    collectors("broken", one_each(people[:1], key="broken:{pk}:fixed"))
    run, _ = reminder_engine.reminders_run(today=TODAY + datetime.timedelta(days=2))
    assert run.since == TODAY - datetime.timedelta(days=1)  # the failed day is covered again
    assert run.status == "done" and run.claimed == 1


@pytest.mark.django_db
def test_reminders_claimed_by_a_run_that_died_are_delivered_by_the_next(collectors, people):
    collectors("test", one_each(people))
    dead = ReminderRun.objects.create(since=TODAY - datetime.timedelta(days=1), today=TODAY)
    reminders, _failed = reminder_engine.collect(since=dead.since, today=TODAY)
    assert reminder_engine.claim(run=dead, reminders=reminders) == 5  # … and the worker was killed here
    assert Notification.objects.count() == 0

    run, _ = reminder_engine.reminders_run(today=TODAY)
    assert run.since == TODAY - datetime.timedelta(days=1) and run.claimed == 0
    assert Notification.objects.count() == 5 and len(mail.outbox) == 5
    assert not ReminderDispatch.objects.exclude(status="delivered").exists()


@pytest.mark.django_db
def test_a_delivery_abandoned_half_way_is_taken_over_only_when_stale(collectors, people):
    collectors("test", one_each(people[:2]))
    run = ReminderRun.objects.create(since=TODAY - datetime.timedelta(days=1), today=TODAY)
    reminders, _failed = reminder_engine.collect(since=run.since, today=TODAY)
    reminder_engine.claim(run=run, reminders=reminders)
    now = timezone.now()
    portal = ReminderDispatch.objects.filter(channel="portal")
    portal.filter(delivery__recipient=people[0]).update(status="sending", claimed_at=now - datetime.timedelta(hours=2))
    portal.filter(delivery__recipient=people[1]).update(status="sending", claimed_at=now)  # someone is on it

    reminder_engine.reminders_run(today=TODAY)
    assert list(Notification.objects.values_list("user", flat=True)) == [people[0].pk]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_reminders_for_inactive_accounts_are_dropped(collectors, people):
    people[0].is_active = False
    people[0].save()
    people[1].email = ""
    people[1].save()
    collectors("test", one_each(people))
    reminder_engine.reminders_run(today=TODAY)
    assert ReminderDelivery.objects.count() == 4
    assert not ReminderDispatch.objects.filter(delivery__recipient=people[1], channel="email").exists()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_daily_job_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    from unionportal.celery import app

    task = PeriodicTask.objects.get(task="welfare.send_reminders")
    assert task.enabled and task.crontab.hour == "7" and task.crontab.timezone.key == "Asia/Shanghai"
    app.loader.import_default_modules()  # what a worker does at start: <app>.tasks of every installed app
    assert "welfare.send_reminders" in app.tasks and "welfare.deliver_reminders" in app.tasks


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and ON CONFLICT across connections; run with `make test`)")


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_deliver_each_reminder_once(collectors):
    _postgresql_only()
    users = [UserFactory(username=f"c{i}") for i in range(40)]
    barrier = threading.Barrier(2, timeout=30)

    def collect(*, since, today, config=None):
        reminders = list(one_each(users)(since=since, today=today, config=config))
        barrier.wait()  # both runs have collected the same reminders before either claims
        return reminders

    collectors("test", collect)
    errors = []

    def run():
        try:
            reminder_engine.reminders_run(today=TODAY)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert ReminderDelivery.objects.count() == 40
    assert sorted(ReminderRun.objects.values_list("claimed", flat=True)) == [0, 40]
    assert Notification.objects.count() == 40
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert not ReminderDispatch.objects.exclude(status="delivered", attempts=1).exists()


def _bulk_roll(total, *, groups, start=0):
    """`total` members on the roll in `groups` groups (each with a leader who has an account), 1 in 10 lunar."""
    from members.models import Member, MemberStatus

    rows = []
    for i in range(start, start + total):
        born = D(1965 + i % 35, 1, 1) + datetime.timedelta(days=(i * 7919) % 365)
        rows.append(Member(name=f"会员{i}", birth_date=born, birthday_lunar=i % 10 == 0, status=MemberStatus.ACTIVE,
                           union_group=groups[i % len(groups)]))
    Member.objects.bulk_create(rows, batch_size=5000)


def _fresh_ledger(today):
    """An empty ledger and a last finished run a week ago: the next run catches up on eight days."""
    Notification.objects.all().delete()
    ReminderDispatch.objects.all().delete()
    ReminderDelivery.objects.all().delete()
    ReminderRun.objects.all().delete()
    ReminderRun.objects.create(since=today - datetime.timedelta(days=8), today=today - datetime.timedelta(days=7),
                               status="done")


@pytest.mark.django_db
def test_a_run_makes_the_same_small_number_of_queries_for_1000_and_100000_members(make_persona, settings):
    """The issue's promise: the job's cost in queries does not grow with the roll."""
    _postgresql_only()
    from accounts.models import Role
    from members.models import UnionGroup

    make_persona("officer1", Role.WELFARE)
    make_persona("officer2", Role.WELFARE)
    make_persona("chair1", Role.CHAIR)
    groups = []
    for g in range(100):
        leader = make_persona(f"leader{g}", Role.GROUP_LEADER)
        groups.append(UnionGroup.objects.create(name=f"小组{g}", leader=leader.member))
    today = D(2027, 6, 13)

    _bulk_roll(1_000, groups=groups)
    _fresh_ledger(today)
    with CaptureQueriesContext(connection) as small:
        run_small, _ = reminder_engine.reminders_run(today=today)
    assert run_small.claimed > 20

    _fresh_ledger(today)
    _bulk_roll(99_000, groups=groups, start=1_000)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as large:
        run_large, _ = reminder_engine.reminders_run(today=today)
    seconds = time.perf_counter() - started
    assert run_large.claimed > 50 * run_small.claimed
    assert run_large.status == "done" and run_large.failed == 0
    print(f"100,000 members: {len(large)} queries, {run_large.claimed} reminders, {seconds:.2f} s")
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    assert len(large) <= 40  # 34 with the tracker's and the elections' collectors (27 with the first seven) (a holiday day adds ~4 per holiday): fixed, not per member
