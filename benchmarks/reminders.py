"""The daily reminder job on a roll of 100,000 members (issue 4 §4: target ≤ 5 s, a fixed number of queries).

Called by benchmarks/run.py inside its throwaway PostgreSQL database, after the roster benchmark (whose members
stay): the roll is topped up to 100,000 members in 300 groups, one in ten remembered on the lunar calendar.
"""

import datetime
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

MEMBERS = 100_000
GROUPS = 300
TODAY = datetime.date(2027, 6, 13)


def _roll():
    from accounts.models import Role, User
    from members.models import Member, MemberStatus, UnionGroup

    welfare = Role.objects.get(code=Role.WELFARE).group
    chair = Role.objects.get(code=Role.CHAIR).group
    officers = User.objects.bulk_create([User(username=f"bench-welfare-{i}", email=f"w{i}@example.org")
                                         for i in range(3)])
    welfare.user_set.add(*officers)
    chair.user_set.add(User.objects.create(username="bench-reminder-chair", email="c@example.org"))
    leaders_users = User.objects.bulk_create([User(username=f"bench-leader-{i}", email=f"l{i}@example.org")
                                              for i in range(GROUPS)])
    leaders = Member.objects.bulk_create([Member(name=f"组长{i}", status=MemberStatus.ACTIVE, user=user,
                                                 birth_date=datetime.date(1975, 1, 1) + datetime.timedelta(days=i))
                                          for i, user in enumerate(leaders_users)])
    groups = UnionGroup.objects.bulk_create([UnionGroup(name=f"提醒基准小组{i}", leader=leader)
                                             for i, leader in enumerate(leaders)])
    missing = MEMBERS - Member.objects.count()
    rows = []
    for i in range(max(missing, 0)):
        born = datetime.date(1965 + i % 35, 1, 1) + datetime.timedelta(days=(i * 7919) % 365)
        rows.append(Member(name=f"基准会员{i}", birth_date=born, birthday_lunar=i % 10 == 0,
                           status=MemberStatus.ACTIVE, union_group=groups[i % GROUPS],
                           expected_retirement_on=TODAY + datetime.timedelta(days=i % 400) if i % 50 == 0 else None))
    Member.objects.bulk_create(rows, batch_size=5000)
    return Member.objects.count()


def _timed_run(today):
    from core.reminder_engine import reminders_run

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run, failed = reminders_run(today=today)
    return run, time.perf_counter() - started, len(queries), failed


def _one_scan():
    """The floor: one pass over the fields the roll's collectors read, for every member on the roll."""
    from members.models import Member

    started = time.perf_counter()
    rows = Member.objects.on_roll().values_list(
        "id", "birth_date", "birthday_lunar", "expected_retirement_on", "union_group__leader__user_id")
    sum(1 for _row in rows.iterator(chunk_size=5000))
    return time.perf_counter() - started


def run(record, record_ratio, alternate, *, target):
    import welfare.reminders  # noqa: F401 — the roll-based collectors
    from core.models import ReminderRun

    members = _roll()
    record("reminders: members on the roll", members, "members")

    run_, seconds, queries, _failed = _timed_run(TODAY)
    record("reminders: daily run (first ever), seconds", seconds, "s", 5)
    record("reminders: daily run, queries", queries, "queries")
    record("reminders: daily run, reminders claimed", run_.claimed, "reminders")

    # The next days' runs beside one scan of the roll, alternating: the ratio is judged.
    days = iter(TODAY + datetime.timedelta(days=n) for n in range(1, 10))
    figures = alternate(3, {"daily run": lambda: _timed_run(next(days))[1], "one scan": _one_scan})
    record_ratio("reminders: a daily run", figures["daily run"], figures["one scan"], unit="s", target=target,
                 floor_name="one scan of the roll")
    last_day = TODAY + datetime.timedelta(days=3)

    again, seconds, queries, _failed = _timed_run(last_day)
    record("reminders: the same day again (nothing new), seconds", seconds, "s", 5)
    record("reminders: the same day again, reminders claimed", again.claimed, "reminders", 0)

    # The worker was down for a week: the next run catches up on eight days of reminders at once.
    ReminderRun.objects.all().update(status=ReminderRun.Status.FAILED)
    ReminderRun.objects.create(since=TODAY - datetime.timedelta(days=5), today=TODAY - datetime.timedelta(days=4),
                               status=ReminderRun.Status.DONE)
    catch_up, seconds, queries, _failed = _timed_run(TODAY + datetime.timedelta(days=4))
    record("reminders: catch-up after 7 days down, seconds", seconds, "s", 5)
    record("reminders: catch-up after 7 days down, queries", queries, "queries")
    record("reminders: catch-up after 7 days down, reminders claimed", catch_up.claimed, "reminders")

    again, seconds, _queries, _failed = _timed_run(TODAY + datetime.timedelta(days=4))
    record("reminders: catch-up run repeated (idempotent), seconds", seconds, "s", 5)
    record("reminders: catch-up run repeated, reminders claimed", again.claimed, "reminders", 0)
