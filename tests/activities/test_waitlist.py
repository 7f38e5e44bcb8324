"""The waitlist: queue order, first fit for families, promotion on cancellation with its reason and notification."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Registration, RegistrationEvent
from activities.registration import (
    registration_cancel,
    registration_create,
    seats_taken,
    waitlist_fill,
    waitlist_leave,
    waitlist_position,
)
from core.models import Notification
from tests.factories import MemberFactory, UserFactory

from .factories import ActivityFactory, _english, family_question  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Registration.Status


def person(name=None):
    return MemberFactory(user=UserFactory(), **({"name": name} if name else {}))


def register(activity, member, family=None, question=None):
    answers = {question.pk: family} if question is not None else {}
    return registration_create(activity=activity, member=member, answers=answers, actor=member.user)


def status_of(registration):
    registration.refresh_from_db()
    return registration.status


def test_it_waitlists_when_full_and_numbers_the_queue():
    activity = ActivityFactory(capacity=2)
    for _ in range(2):
        assert register(activity, person()).status == Status.CONFIRMED
    waiting = [register(activity, person()) for _ in range(3)]
    assert [r.status for r in waiting] == [Status.WAITLISTED] * 3
    assert [waitlist_position(r) for r in waiting] == [1, 2, 3]
    event = waiting[0].events.get()
    assert event.kind == RegistrationEvent.Kind.WAITLISTED and event.reason


def test_it_tells_a_waitlisted_member_their_place():
    activity = ActivityFactory(capacity=1, title="疗休养")
    register(activity, person())
    member = person()
    register(activity, member)
    notification = Notification.objects.get(user=member.user)
    assert "疗休养" in notification.title
    assert " 1 " in notification.body  # "number 1 on the waitlist" / "候补第 1 位"


def test_a_cancellation_promotes_the_first_in_line_with_the_reason(django_capture_on_commit_callbacks):
    activity = ActivityFactory(capacity=1, title="春游")
    leaver = person("李雷")
    seat = register(activity, leaver)
    first, second = person(), person()
    first_reg, second_reg = register(activity, first), register(activity, second)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seat, actor=leaver.user)
    assert status_of(first_reg) == Status.CONFIRMED and status_of(second_reg) == Status.WAITLISTED
    assert waitlist_position(second_reg) == 1
    promotion = first_reg.events.get(kind=RegistrationEvent.Kind.PROMOTED)
    assert "李雷" in promotion.reason and str(seat.pk) in promotion.reason
    assert promotion.actor == leaver.user
    told = Notification.objects.get(user=first.user)
    assert "春游" in told.title and told.url == f"/activities/{activity.pk}/"
    assert [m.to for m in mail.outbox] == [[first.user.email]]
    assert not Notification.objects.filter(user=second.user).exists()
    assert seats_taken(activity) == 1


def test_promotion_follows_queue_order_not_creation_of_the_rows():
    activity = ActivityFactory(capacity=1)
    seat = register(activity, person())
    later, earlier = register(activity, person()), register(activity, person())
    # Put "earlier" ahead in the queue although its row was created later.
    Registration.objects.filter(pk=earlier.pk).update(queued_at=later.queued_at - timedelta(seconds=1))
    registration_cancel(registration=seat, actor=None, enforce_deadline=False)
    assert status_of(earlier) == Status.CONFIRMED and status_of(later) == Status.WAITLISTED


def test_a_large_party_does_not_block_smaller_ones_behind_it():
    """First fit in queue order: the party of three keeps its place; the single behind it gets the free seat."""
    activity = ActivityFactory(capacity=3, family_takes_seats=True)
    question = family_question(activity)
    singles = [register(activity, person(), 0, question) for _ in range(3)]
    party = register(activity, person(), 2, question)
    single_behind = register(activity, person(), 0, question)
    assert (party.status, single_behind.status) == (Status.WAITLISTED, Status.WAITLISTED)

    registration_cancel(registration=singles[0], actor=None)
    assert status_of(party) == Status.WAITLISTED and status_of(single_behind) == Status.CONFIRMED
    assert waitlist_position(party) == 1

    registration_cancel(registration=singles[1], actor=None)
    registration_cancel(registration=singles[2], actor=None)
    # Two seats free, the party needs three: it still waits, and the seats stay free for it or a smaller party.
    assert status_of(party) == Status.WAITLISTED and seats_taken(activity) == 1
    registration_cancel(registration=single_behind, actor=None)
    assert status_of(party) == Status.CONFIRMED and seats_taken(activity) == 3


def test_one_cancellation_can_promote_several_small_parties():
    activity = ActivityFactory(capacity=3, family_takes_seats=True)
    question = family_question(activity)
    big = register(activity, person(), 2, question)
    waiting = [register(activity, person(), 0, question) for _ in range(4)]
    registration_cancel(registration=big, actor=None)
    assert [status_of(r) for r in waiting] == [Status.CONFIRMED] * 3 + [Status.WAITLISTED]


def test_leaving_the_waitlist_moves_the_others_up_without_promoting():
    activity = ActivityFactory(capacity=1)
    register(activity, person())
    first, second = person(), person()
    first_reg, second_reg = register(activity, first), register(activity, second)
    waitlist_leave(registration=first_reg, actor=first.user)
    assert waitlist_position(second_reg) == 1 and status_of(second_reg) == Status.WAITLISTED


def test_nobody_is_promoted_once_the_activity_has_started():
    activity = ActivityFactory(capacity=1)
    seat = register(activity, person())
    waiting = register(activity, person())
    registration_cancel(registration=seat, actor=None, enforce_deadline=False, now=activity.starts_at)
    assert status_of(waiting) == Status.WAITLISTED


def test_added_seats_go_to_the_waitlist(chair):
    activity = ActivityFactory(capacity=1)
    register(activity, person())
    waiting = [register(activity, person()) for _ in range(3)]
    activity.capacity = 3
    activity.save()
    promoted = waitlist_fill(activity=activity, actor=chair, reason="增加名额")
    assert promoted == waiting[:2]
    assert [status_of(r) for r in waiting] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert waiting[0].events.get(kind=RegistrationEvent.Kind.PROMOTED).reason == "增加名额"


def test_a_newcomer_joins_the_waitlist_when_seats_are_taken_even_if_the_list_is_empty():
    activity = ActivityFactory(capacity=1, registration_opens_at=timezone.now() - timedelta(hours=1))
    register(activity, person())
    assert register(activity, person()).status == Status.WAITLISTED


def test_it_refuses_a_member_cancelling_after_check_in_or_after_the_start(member_user):
    import datetime as dt

    from django.utils import timezone as tz

    from activities.models import Registration as Reg
    from activities.registration import registration_cancel

    now = tz.now()
    activity = ActivityFactory(capacity=5, starts_at=now + dt.timedelta(hours=1),
                               ends_at=now + dt.timedelta(hours=3),
                               registration_opens_at=now - dt.timedelta(days=2),
                               registration_closes_at=now - dt.timedelta(hours=2),
                               cancellation_deadline=now + dt.timedelta(days=1))
    reg = Reg.objects.create(activity=activity, member=member_user.member, status="confirmed")
    with pytest.raises(ValidationError) as error:
        registration_cancel(registration=reg, actor=member_user, now=now + dt.timedelta(hours=2))
    assert error.value.code == "past_cancellation_deadline"
    Reg.objects.filter(pk=reg.pk).update(checked_in_at=now)
    with pytest.raises(ValidationError) as error:
        registration_cancel(registration=reg, actor=member_user, now=now)
    assert error.value.code == "checked_in"
    reg.refresh_from_db()
    assert reg.status == "confirmed"
