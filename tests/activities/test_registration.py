"""registration_create and friends: every refusal with its code, the window's exact instants, seats for families,
answers, events, notifications and the audit trail."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Activity, Audience, Registration, RegistrationEvent, RegistrationQuestion
from activities.registration import (
    activity_cancel,
    activity_publish,
    registration_cancel,
    registration_create,
    seats_taken,
    waitlist_leave,
)
from core.models import Notification
from tests.factories import MemberFactory, UnionGroupFactory, UserFactory

from .factories import ActivityFactory, QuestionFactory, _english, family_question  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Registration.Status


def member_with_login(**kwargs):
    user = UserFactory()
    return MemberFactory(user=user, **kwargs)


def register(activity, member, answers=None, **kwargs):
    return registration_create(activity=activity, member=member, answers=answers or {}, actor=member.user, **kwargs)


def refusal_code(call):
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.code


# --- confirmed ----------------------------------------------------------------------------------------------------

def test_it_gives_a_seat_records_the_move_and_tells_the_member():
    member = member_with_login()
    activity = ActivityFactory(title="春游")
    registration = register(activity, member)
    assert registration.status == Status.CONFIRMED and registration.seats == 1
    event = registration.events.get()
    assert (event.kind, event.actor) == (RegistrationEvent.Kind.REGISTERED, member.user)
    notification = Notification.objects.get(user=member.user)
    assert "春游" in notification.title and notification.url == f"/activities/{activity.pk}/"


def test_it_mails_the_member_after_commit(django_capture_on_commit_callbacks):
    member = member_with_login()
    with django_capture_on_commit_callbacks(execute=True):
        register(ActivityFactory(title="秋游"), member)
    assert len(mail.outbox) == 1 and "秋游" in mail.outbox[0].subject
    assert mail.outbox[0].to == [member.user.email]


def test_it_writes_the_audit_trail_with_the_actor():
    member = member_with_login()
    registration = register(ActivityFactory(), member)
    entry = LogEntry.objects.get_for_object(registration).get(action=LogEntry.Action.CREATE)
    assert entry.actor == member.user


def test_it_takes_no_seat_limit_for_an_activity_without_capacity():
    activity = ActivityFactory(capacity=None)
    for _ in range(30):
        assert register(activity, member_with_login()).status == Status.CONFIRMED


# --- refusals -----------------------------------------------------------------------------------------------------

def test_it_refuses_a_cancelled_activity():
    activity = ActivityFactory(state=Activity.State.CANCELLED)
    assert refusal_code(lambda: register(activity, member_with_login())) == "activity_cancelled"


def test_it_refuses_a_draft():
    activity = ActivityFactory(state=Activity.State.DRAFT)
    assert refusal_code(lambda: register(activity, member_with_login())) == "not_published"


def test_it_refuses_before_the_window_opens_and_says_when():
    opens = timezone.now() + timedelta(days=1)
    activity = ActivityFactory(registration_opens_at=opens)
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login())
    assert error.value.code == "not_open_yet"
    assert error.value.messages[0].startswith("Registration opens on ")


def test_it_refuses_after_the_window_closes():
    activity = ActivityFactory(registration_opens_at=timezone.now() - timedelta(days=3),
                               registration_closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login())
    assert error.value.code == "closed"
    assert error.value.messages == ["Registration for this activity is closed."]


def test_it_opens_at_the_opening_instant_exactly():
    activity = ActivityFactory()
    just_before = activity.registration_opens_at - timedelta(microseconds=1)
    assert refusal_code(lambda: register(activity, member_with_login(), now=just_before)) == "not_open_yet"
    assert register(activity, member_with_login(), now=activity.registration_opens_at).status == Status.CONFIRMED


def test_it_is_closed_at_the_closing_instant_exactly():
    activity = ActivityFactory()
    just_before = activity.registration_closes_at - timedelta(microseconds=1)
    assert register(activity, member_with_login(), now=just_before).status == Status.CONFIRMED
    assert refusal_code(lambda: register(activity, member_with_login(),
                                         now=activity.registration_closes_at)) == "closed"


def test_it_refuses_a_second_registration():
    member, activity = member_with_login(), ActivityFactory()
    register(activity, member)
    with pytest.raises(ValidationError) as error:
        register(activity, member)
    assert error.value.code == "already_registered"
    assert error.value.messages == ["You are already registered for this activity."]


def test_it_refuses_a_second_place_on_the_waitlist():
    activity = ActivityFactory(capacity=1)
    register(activity, member_with_login())
    member = member_with_login()
    register(activity, member)
    assert refusal_code(lambda: register(activity, member)) == "already_waitlisted"


def test_it_lets_a_member_register_again_after_cancelling():
    member, activity = member_with_login(), ActivityFactory()
    registration_cancel(registration=register(activity, member), actor=member.user)
    assert register(activity, member).status == Status.CONFIRMED
    assert Registration.objects.filter(activity=activity, member=member).count() == 2


def test_it_refuses_in_this_order_cancelled_window_eligibility_duplicate():
    """The most useful reason first: a cancelled activity is cancelled for everybody."""
    activity = ActivityFactory(state=Activity.State.CANCELLED, audience=Audience.WOMEN,
                               registration_closes_at=timezone.now() - timedelta(hours=1),
                               registration_opens_at=timezone.now() - timedelta(days=1))
    assert refusal_code(lambda: register(activity, member_with_login(male=True))) == "activity_cancelled"
    activity.state = Activity.State.PUBLISHED
    activity.save()
    assert refusal_code(lambda: register(activity, member_with_login(male=True))) == "closed"


def test_the_database_refuses_two_live_registrations_even_without_the_service():
    from django.db import IntegrityError, transaction

    member, activity = member_with_login(), ActivityFactory()
    register(activity, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(activity=activity, member=member, status=Status.WAITLISTED)


# --- answers ------------------------------------------------------------------------------------------------------

def test_it_requires_required_answers():
    activity = ActivityFactory()
    question = QuestionFactory(activity=activity, label="T恤尺码", required=True)
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login())
    assert error.value.error_dict[str(question.pk)][0].code == "required"
    assert register(activity, member_with_login(), {question.pk: "L"}).answers == {str(question.pk): "L"}


def test_it_accepts_only_listed_choices():
    activity = ActivityFactory()
    question = QuestionFactory(activity=activity, kind=RegistrationQuestion.Kind.CHOICE, choices="S\nM\nL\n")
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login(), {question.pk: "XXL"})
    assert error.value.error_dict[str(question.pk)][0].code == "invalid_choice"
    assert register(activity, member_with_login(), {question.pk: "M"}).answers == {str(question.pk): "M"}


@pytest.mark.parametrize("answer, code", [("abc", "not_a_number"), ("-1", "negative"), ("5", "too_large"),
                                          (2.5, "not_a_number")])
def test_it_checks_numbers(answer, code):
    activity = ActivityFactory()
    question = family_question(activity, max_number=4)
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login(), {question.pk: answer})
    assert error.value.error_dict[str(question.pk)][0].code == code


def test_it_caps_numbers_without_a_maximum():
    activity = ActivityFactory()
    question = QuestionFactory(activity=activity, kind=RegistrationQuestion.Kind.NUMBER)
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login(), {question.pk: 1000})
    assert error.value.error_dict[str(question.pk)][0].code == "too_large"


def test_it_refuses_answers_to_questions_of_another_activity():
    other = QuestionFactory()
    with pytest.raises(ValidationError) as error:
        register(ActivityFactory(), member_with_login(), {other.pk: "x"})
    assert error.value.error_dict["__all__"][0].code == "unknown_question"


def test_it_refuses_overlong_text():
    activity = ActivityFactory()
    question = QuestionFactory(activity=activity)
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login(), {question.pk: "长" * 201})
    assert error.value.error_dict[str(question.pk)][0].code == "too_long"


# --- family seats -------------------------------------------------------------------------------------------------

def test_family_members_take_seats_when_the_activity_says_so():
    activity = ActivityFactory(family_takes_seats=True, capacity=5)
    question = family_question(activity)
    registration = register(activity, member_with_login(), {question.pk: 2})
    assert registration.seats == 3 and seats_taken(activity) == 3
    assert registration.answers == {str(question.pk): 2}


def test_family_members_take_no_seats_otherwise():
    activity = ActivityFactory(family_takes_seats=False, capacity=5)
    question = family_question(activity)
    assert register(activity, member_with_login(), {question.pk: 3}).seats == 1


def test_a_party_that_does_not_fit_the_free_seats_waits():
    activity = ActivityFactory(family_takes_seats=True, capacity=4)
    question = family_question(activity)
    register(activity, member_with_login(), {question.pk: 1})
    party = register(activity, member_with_login(), {question.pk: 2})
    assert party.status == Status.WAITLISTED
    single = register(activity, member_with_login(), {question.pk: 0})
    assert single.status == Status.CONFIRMED and seats_taken(activity) == 3


def test_it_refuses_a_party_larger_than_the_whole_activity():
    activity = ActivityFactory(family_takes_seats=True, capacity=2)
    question = family_question(activity)
    with pytest.raises(ValidationError) as error:
        register(activity, member_with_login(), {question.pk: 3})
    assert error.value.code == "party_too_large"
    assert error.value.messages == ["Your party needs 4 seats; this activity has only 2 in all."]


# --- cancelling ---------------------------------------------------------------------------------------------------

def test_a_member_cancels_before_the_deadline():
    member = member_with_login()
    activity = ActivityFactory()
    registration = registration_cancel(registration=register(activity, member), actor=member.user, reason="出差")
    assert registration.status == Status.CANCELLED
    event = registration.events.latest("id")
    assert (event.kind, event.reason, event.actor) == (RegistrationEvent.Kind.CANCELLED, "出差", member.user)
    assert seats_taken(activity) == 0


def test_the_deadline_defaults_to_registration_closing():
    activity = ActivityFactory(cancellation_deadline=None)
    assert activity.effective_cancellation_deadline == activity.registration_closes_at


def test_a_member_cannot_cancel_at_or_after_the_deadline():
    member = member_with_login()
    activity = ActivityFactory(cancellation_deadline=timezone.now() + timedelta(days=3))
    registration = register(activity, member)
    with pytest.raises(ValidationError) as error:
        registration_cancel(registration=registration, actor=member.user, now=activity.cancellation_deadline)
    assert error.value.code == "past_cancellation_deadline"
    assert "Please contact the organiser." in error.value.messages[0]
    just_before = activity.cancellation_deadline - timedelta(microseconds=1)
    assert registration_cancel(registration=registration, actor=member.user, now=just_before).status == \
        Status.CANCELLED


def test_the_office_can_cancel_after_the_deadline_and_the_member_is_told(chair):
    member = member_with_login()
    activity = ActivityFactory(cancellation_deadline=timezone.now() - timedelta(hours=1))
    registration = register(activity, member)
    registration_cancel(registration=registration, actor=chair, reason="重复报名", enforce_deadline=False)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    told = Notification.objects.filter(user=member.user).latest("id")
    assert "重复报名" in told.body


def test_it_refuses_to_cancel_twice():
    member = member_with_login()
    registration = register(ActivityFactory(), member)
    registration_cancel(registration=registration, actor=member.user)
    assert refusal_code(lambda: registration_cancel(registration=registration, actor=member.user)) == "not_live"


def test_it_sends_waitlisted_members_to_leave_the_waitlist_instead():
    activity = ActivityFactory(capacity=1)
    register(activity, member_with_login())
    waiting = member_with_login()
    registration = register(activity, waiting)
    assert refusal_code(lambda: registration_cancel(registration=registration, actor=waiting.user)) == \
        "not_confirmed"


def test_leaving_the_waitlist_is_recorded():
    activity = ActivityFactory(capacity=1)
    register(activity, member_with_login())
    waiting = member_with_login()
    registration = waitlist_leave(registration=register(activity, waiting), actor=waiting.user)
    assert registration.status == Status.LEFT_WAITLIST
    assert registration.events.latest("id").kind == RegistrationEvent.Kind.LEFT_WAITLIST
    assert refusal_code(lambda: waitlist_leave(registration=registration, actor=waiting.user)) == "not_waitlisted"


# --- publishing and cancelling the activity -----------------------------------------------------------------------

def test_publish_turns_a_draft_into_a_published_activity(chair):
    activity = ActivityFactory(state=Activity.State.DRAFT)
    assert activity_publish(activity=activity, actor=chair).state == Activity.State.PUBLISHED
    assert refusal_code(lambda: activity_publish(activity=activity, actor=chair)) == "not_draft"
    entry = LogEntry.objects.get_for_object(activity).filter(action=LogEntry.Action.UPDATE).latest("id")
    assert entry.actor == chair and entry.changes_dict["state"] == ["draft", "published"]


@pytest.mark.parametrize("kwargs, code", [
    ({"audience": Audience.CHOSEN}, "no_audience"),
    ({"capacity": 0}, "no_seats"),
    ({"registration_closes_at": timezone.now() + timedelta(days=20)}, "window_after_start"),
])
def test_publish_refuses_an_activity_nobody_could_join(chair, kwargs, code):
    activity = ActivityFactory(state=Activity.State.DRAFT, **kwargs)
    assert refusal_code(lambda: activity_publish(activity=activity, actor=chair)) == code


def test_publish_accepts_chosen_groups(chair):
    activity = ActivityFactory(state=Activity.State.DRAFT, audience=Audience.CHOSEN,
                               union_groups=[UnionGroupFactory()])
    assert activity_publish(activity=activity, actor=chair).state == Activity.State.PUBLISHED


def test_cancelling_the_activity_cancels_every_registration_and_tells_everyone(chair,
                                                                             django_capture_on_commit_callbacks):
    activity = ActivityFactory(capacity=2, title="书法展")
    members = [member_with_login() for _ in range(4)]
    for member in members:
        register(activity, member)
    gone = member_with_login()
    registration_cancel(registration=register(ActivityFactory(), gone), actor=gone.user)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(activity=activity, reason="场馆维修", actor=chair)
    activity.refresh_from_db()
    assert activity.state == Activity.State.CANCELLED and activity.cancelled_reason == "场馆维修"
    assert set(Registration.objects.filter(activity=activity).values_list("status", flat=True)) == {Status.CANCELLED}
    events = RegistrationEvent.objects.filter(kind=RegistrationEvent.Kind.ACTIVITY_CANCELLED)
    assert events.count() == 4 and set(events.values_list("reason", flat=True)) == {"场馆维修"}
    told = Notification.objects.all()
    assert sorted(n.user_id for n in told) == sorted(m.user_id for m in members)
    assert all("场馆维修" in n.body and "书法展" in n.title for n in told)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members)


def test_cancelling_needs_a_reason_and_happens_once(chair):
    activity = ActivityFactory()
    assert refusal_code(lambda: activity_cancel(activity=activity, reason=" ", actor=chair)) == "reason_required"
    activity_cancel(activity=activity, reason="天气", actor=chair)
    assert refusal_code(lambda: activity_cancel(activity=activity, reason="天气", actor=chair)) == \
        "activity_cancelled"


def test_a_finished_activity_cannot_be_cancelled(chair):
    activity = ActivityFactory()
    assert refusal_code(lambda: activity_cancel(activity=activity, reason="x", actor=chair,
                                                now=activity.ends_at)) == "finished"


def test_nobody_can_cancel_a_seat_of_a_cancelled_activity(chair):
    member = member_with_login()
    registration = register(ActivityFactory(), member)
    activity_cancel(activity=registration.activity, reason="天气", actor=chair)
    assert refusal_code(lambda: registration_cancel(registration=registration, actor=member.user)) == "not_live"
