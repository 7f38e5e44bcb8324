"""The registration POST is the portal's rush path: its queries are pinned, so the locked section stays short.

Before they were pinned a POST ran 21 queries for a seat and 23 for the waitlist: the MFA role check, two
permission lookups, the activity fetched with seat-count subqueries and prefetches, then locked and re-read, the
live-registration check repeated under the lock, the waitlist counted twice.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from activities import registration as services
from activities.models import Activity, Registration, RegistrationEvent
from activities.registration import registration_cancel, registration_create, waitlist_leave
from core.models import Notification
from tests.factories import MemberFactory, UserFactory

from .factories import ActivityFactory, RegistrationFactory, _english  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Registration.Status

#: Session, user (with its two-factor need and its member record), activity, its questions; the locked
#: section (savepoint, counter UPDATE, INSERT, release); then event, notice and the two audit entries in their own
#: transaction (savepoint, 4 inserts, release).
SEAT_QUERIES = 14
#: The same, plus the activity read under the lock when the seats do not fit, and the waitlist counted once.
WAITLIST_QUERIES = 16


def _post(client, activity):
    ContentType.objects.get_for_models(Registration, RegistrationEvent)  # a running server has them cached
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/activities/{activity.pk}/register/")
    assert response.status_code == 302, response.content[:300]
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def member_client(client, login, member_user):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(member_user)
    client.get("/notifications/")
    return client


def test_it_registers_in_a_pinned_number_of_queries(member_client, member_user):
    activity = ActivityFactory(capacity=5)
    sql = _post(member_client, activity)
    registration = Registration.objects.get(activity=activity, member=member_user.member)
    assert registration.status == Status.CONFIRMED
    assert len(sql) == SEAT_QUERIES, "\n".join(sql)
    assert not any("accounts_role" in q and "auth_permission" in q for q in sql)
    assert RegistrationEvent.objects.filter(registration=registration, kind="registered").count() == 1
    assert Notification.objects.filter(user=member_user).count() == 1


def test_it_waitlists_in_a_pinned_number_of_queries(member_client, member_user):
    activity = ActivityFactory(capacity=1)
    registration_create(activity=activity, member=MemberFactory(user=UserFactory()), answers={}, actor=None)
    sql = _post(member_client, activity)
    registration = Registration.objects.get(activity=activity, member=member_user.member)
    assert registration.status == Status.WAITLISTED
    assert len(sql) == WAITLIST_QUERIES, "\n".join(sql)
    assert sum("COUNT(" in q for q in sql) == 1
    assert RegistrationEvent.objects.filter(registration=registration, kind="waitlisted").count() == 1


def test_it_still_sends_a_member_made_treasurer_since_the_login_to_the_totp_set_up(member_client, member_user):
    member_user.groups.add(Role.objects.get(code=Role.TREASURER).group)
    response = member_client.get("/activities/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_a_draft_is_a_404_for_a_member_posting_to_it(member_client):
    activity = ActivityFactory(state=Activity.State.DRAFT)
    assert member_client.post(f"/activities/{activity.pk}/register/").status_code == 404
    assert not Registration.objects.filter(activity=activity).exists()


def test_a_second_press_is_refused_by_the_constraint_and_gives_its_seat_back():
    """Two presses (or tabs) of one member: the second insert meets the unique constraint on live registrations
    and is refused like any second registration; the seat its UPDATE had counted is rolled back with it."""
    activity = ActivityFactory(capacity=3)
    member = MemberFactory(user=UserFactory())
    registration_create(activity=activity, member=member, answers={}, actor=None)
    with pytest.raises(ValidationError) as refused:
        registration_create(activity=activity, member=member, answers={}, actor=None)
    assert refused.value.code == "already_registered"
    assert _counted(activity) == (1, 1)
    assert Registration.objects.filter(activity=activity).count() == 1


def _counted(activity):
    activity.refresh_from_db()
    return activity.seats_confirmed, services.seats_taken(activity)


def test_the_seat_counter_follows_every_move_on_the_list():
    activity = ActivityFactory(capacity=2)
    first, second, third = (MemberFactory(user=UserFactory()) for _ in range(3))
    one = registration_create(activity=activity, member=first, answers={}, actor=None)
    registration_create(activity=activity, member=second, answers={}, actor=None)
    waiting = registration_create(activity=activity, member=third, answers={}, actor=None)
    assert waiting.status == Status.WAITLISTED and _counted(activity) == (2, 2)
    registration_cancel(registration=one, actor=None, enforce_deadline=False)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED and _counted(activity) == (2, 2)
    RegistrationFactory(activity=activity)
    assert _counted(activity) == (3, 3)
    services.activity_cancel(activity=activity, reason="下雨", actor=None)
    assert _counted(activity) == (0, 0)


def test_a_leaving_waiter_frees_no_counted_seat():
    activity = ActivityFactory(capacity=1)
    registration_create(activity=activity, member=MemberFactory(user=UserFactory()), answers={}, actor=None)
    waiting = registration_create(activity=activity, member=MemberFactory(user=UserFactory()), answers={},
                                  actor=None)
    waitlist_leave(registration=waiting, actor=None)
    assert _counted(activity) == (1, 1)


def test_saving_an_activity_read_before_a_registration_keeps_the_seats_taken_since():
    activity = ActivityFactory(capacity=5)
    stale = Activity.objects.get(pk=activity.pk)
    registration_create(activity=activity, member=MemberFactory(user=UserFactory()), answers={}, actor=None)
    stale.title = "秋游（改名）"
    stale.save()
    assert _counted(activity) == (1, 1) and activity.title == "秋游（改名）"
