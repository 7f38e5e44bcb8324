"""Capacity is never exceeded, also when 120 (or 300) members press "register" in the same instant.

Each thread has its own PostgreSQL connection, opens it before the start signal, and waits at a barrier; all are
released together, so their transactions really do race for the activity's row lock. SQLite would serialise the
whole database and prove nothing, so this test refuses to run on it.
"""

import threading

import pytest
from django.db import connection

from activities.models import Activity, Registration, RegistrationEvent
from activities.registration import registration_create
from core.models import Notification
from tests.factories import MemberFactory, UserFactory

from .factories import ActivityFactory, _english, family_question  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 120
CAPACITY = 20
#: Every seventh member brings two family members: their party needs three seats.
FAMILY = {i: 2 for i in range(0, THREADS, 7)}


def _replay_first_fit(registrations, capacity):
    """What the documented rule gives when the registrations arrive one by one in queue order."""
    free, expected = capacity, {}
    for registration in registrations:
        if registration.seats <= free:
            expected[registration.pk] = Registration.Status.CONFIRMED
            free -= registration.seats
        else:
            expected[registration.pk] = Registration.Status.WAITLISTED
    return expected


def _everybody_registers_at_once(*, threads, capacity, family):
    """``threads`` members press "register" together (``family``: index → family members brought); returns the
    activity, the members and the errors."""
    if connection.vendor != "postgresql":
        pytest.fail("The concurrency test needs PostgreSQL (row locks under real concurrency): run it with "
                    "`make test`, which starts a throwaway PostgreSQL server.")
    activity = ActivityFactory(capacity=capacity, family_takes_seats=True, title="秋游（抢报）")
    question = family_question(activity, max_number=3)
    members = [MemberFactory(user=UserFactory(username=f"rush{i}")) for i in range(threads)]
    barrier = threading.Barrier(threads)
    errors, started = [], []

    def press_register(index):
        try:
            mine = Activity.objects.get(pk=activity.pk)  # opens this thread's own connection before the start
            started.append(index)
            barrier.wait(timeout=120)
            registration_create(activity=mine, member=members[index], answers={question.pk: family.get(index, 0)},
                                actor=members[index].user, via="test:rush")
        except Exception as error:  # noqa: BLE001 — every failure is a test failure, reported below
            errors.append((index, repr(error)))
        finally:
            connection.close()  # or PostgreSQL refuses to drop the test database afterwards

    pool = [threading.Thread(target=press_register, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=180)
    assert len(started) == threads
    return activity, members, errors


def test_it_never_gives_more_seats_than_there_are_when_everybody_registers_at_once():
    activity, members, errors = _everybody_registers_at_once(threads=THREADS, capacity=CAPACITY, family=FAMILY)
    assert errors == []
    registrations = list(Registration.objects.filter(activity=activity).order_by("queued_at", "pk"))
    assert len(registrations) == THREADS
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waitlisted = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    assert sum(r.seats for r in confirmed) == CAPACITY  # exactly full: not one seat more, none left empty
    assert len(confirmed) + len(waitlisted) == THREADS
    assert sum(r.seats for r in registrations) == THREADS + 2 * len(FAMILY)

    # The queue is the order in which the lock was granted: queue time and row id agree, and replaying the
    # registrations in that order under the first-fit rule gives exactly the outcome observed.
    assert [r.pk for r in registrations] == sorted(r.pk for r in registrations)
    assert {r.pk: r.status for r in registrations} == _replay_first_fit(registrations, CAPACITY)

    # Every move recorded once, everyone told once.
    events = dict(RegistrationEvent.objects.filter(registration__activity=activity)
                  .values_list("registration_id", "kind"))
    assert len(events) == THREADS
    assert all(events[r.pk] == RegistrationEvent.Kind.REGISTERED for r in confirmed)
    assert all(events[r.pk] == RegistrationEvent.Kind.WAITLISTED for r in waitlisted)
    assert Notification.objects.filter(user__member__in=members).count() == THREADS


def test_300_members_for_50_seats_fill_exactly_the_seats_and_queue_the_rest():
    """The rush of the benchmark (300 at once, 50 seats): the seat counter's conditional UPDATE gives exactly 50,
    and the counter agrees with the registrations afterwards."""
    activity, members, errors = _everybody_registers_at_once(threads=300, capacity=50, family={})
    assert errors == []
    registrations = Registration.objects.filter(activity=activity)
    assert registrations.filter(status=Registration.Status.CONFIRMED).count() == 50
    assert registrations.filter(status=Registration.Status.WAITLISTED).count() == 250
    activity.refresh_from_db()
    assert activity.seats_confirmed == 50
    waiting = list(registrations.filter(status=Registration.Status.WAITLISTED).order_by("queued_at", "pk"))
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
    assert RegistrationEvent.objects.filter(registration__activity=activity).count() == 300
    assert Notification.objects.filter(user__member__in=members).count() == 300
