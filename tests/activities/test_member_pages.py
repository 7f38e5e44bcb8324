"""Member pages: the list open to me, the detail with its form, register / cancel / leave with messages, "my
activities" with QR codes, notifications — and a constant number of queries with 500 activities."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from activities.checkin_token import read_checkin_token
from activities.models import Activity, Audience, Registration, RegistrationQuestion
from activities.registration import registration_create
from core.models import Notification
from core.notifications import notify
from tests.factories import MemberFactory, UserFactory

from .factories import ActivityFactory, QuestionFactory, RegistrationFactory, _english  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Registration.Status


def quiet_login(client, login, user, language="en"):
    """Log in and read the "signed in" message, so each test sees only the messages its own actions leave."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    login(user)
    client.get("/notifications/")
    return client


@pytest.fixture
def member_client(client, login, member_user):
    return quiet_login(client, login, member_user)


def page_messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response):
    assert response.status_code == 302, response.content[:500]
    return page_messages(client.get(response["Location"]))


def other_member():
    return MemberFactory(user=UserFactory())


# --- the list -----------------------------------------------------------------------------------------------------

def test_it_lists_only_what_is_open_to_me(member_client, member_user):
    mine = ActivityFactory(title="全员秋游")
    ActivityFactory(title="三八活动", audience=Audience.WOMEN)
    ActivityFactory(title="草稿活动", state=Activity.State.DRAFT)
    ActivityFactory(title="去年活动", starts_at=timezone.now() - timedelta(days=300),
                    registration_opens_at=timezone.now() - timedelta(days=320),
                    registration_closes_at=timezone.now() - timedelta(days=301))
    soon = ActivityFactory(title="下周报名", registration_opens_at=timezone.now() + timedelta(days=2))
    response = member_client.get("/activities/")
    assert [a.pk for a in response.context["page"]] == [mine.pk, soon.pk]
    text = response.content.decode()
    assert "全员秋游" in text and "三八活动" not in text
    assert "registration not yet open" in text


def test_it_marks_my_registrations_in_the_list(member_client, member_user):
    activity = ActivityFactory(capacity=1)
    registration_create(activity=activity, member=other_member(), answers={}, actor=None)
    registration_create(activity=activity, member=member_user.member, answers={}, actor=member_user)
    response = member_client.get("/activities/")
    assert "You are on the waitlist" in response.content.decode()
    assert "1 of 1 seats taken" in response.content.decode()


def test_someone_not_on_the_roll_sees_why_and_no_activities(client, login, outsider):
    ActivityFactory()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(outsider)
    response = client.get("/activities/")
    assert list(response.context["page"]) == []
    assert "Only members on the roll may register." in response.content.decode()


# --- the detail and registering ------------------------------------------------------------------------------------

def test_a_draft_is_not_found(member_client):
    assert member_client.get(f"/activities/{ActivityFactory(state=Activity.State.DRAFT).pk}/").status_code == 404


def test_the_detail_renders_the_questions_as_fields(member_client):
    activity = ActivityFactory()
    QuestionFactory(activity=activity, label="饮食要求")
    QuestionFactory(activity=activity, label="T恤尺码", kind=RegistrationQuestion.Kind.CHOICE, choices="S\nM\nL",
                    required=True)
    QuestionFactory(activity=activity, label="随行家属人数", kind=RegistrationQuestion.Kind.NUMBER, max_number=3)
    text = member_client.get(f"/activities/{activity.pk}/").content.decode()
    assert "饮食要求" in text and 'type="radio"' in text and 'type="number"' in text and 'max="3"' in text
    assert f'action="/activities/{activity.pk}/register/"' in text


def test_the_detail_says_why_i_cannot_register(member_client):
    activity = ActivityFactory(audience=Audience.WOMEN)
    text = member_client.get(f"/activities/{activity.pk}/").content.decode()
    assert "This activity is for women members." in text and "<form method=\"post\" action" not in text


def test_registering_confirms_with_a_message(member_client, member_user):
    activity = ActivityFactory(title="登山")
    question = QuestionFactory(activity=activity, kind=RegistrationQuestion.Kind.CHOICE, choices="S\nM", required=True)
    response = member_client.post(f"/activities/{activity.pk}/register/", {f"q{question.pk}": "M"})
    assert follow_messages(member_client, response) == ["You are registered for 登山."]
    registration = Registration.objects.get(activity=activity, member=member_user.member)
    assert registration.status == Status.CONFIRMED and registration.answers == {str(question.pk): "M"}
    detail = member_client.get(f"/activities/{activity.pk}/")
    assert detail.context["my_answers"] == [(question.label, "M")]


def test_registering_for_a_full_activity_says_the_waitlist_place(member_client, member_user):
    activity = ActivityFactory(capacity=1, title="登山")
    registration_create(activity=activity, member=other_member(), answers={}, actor=None)
    response = member_client.post(f"/activities/{activity.pk}/register/")
    assert follow_messages(member_client, response) == [
        "登山 is full: you are number 1 on the waitlist. If a seat frees up you get it automatically, and we will "
        "tell you."]
    detail = member_client.get(f"/activities/{activity.pk}/").content.decode()
    assert "Number 1 in line." in detail and "Leave the waitlist" in detail


def test_invalid_answers_come_back_on_the_form(member_client):
    activity = ActivityFactory()
    question = QuestionFactory(activity=activity, label="人数", kind=RegistrationQuestion.Kind.NUMBER, max_number=2)
    response = member_client.post(f"/activities/{activity.pk}/register/", {f"q{question.pk}": "9"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"q{question.pk}"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"state": Activity.State.CANCELLED}, "This activity has been cancelled."),
    ({"registration_closes_at": timezone.now() - timedelta(minutes=1),
      "registration_opens_at": timezone.now() - timedelta(days=2)}, "Registration for this activity is closed."),
    ({"audience": Audience.WOMEN}, "This activity is for women members."),
])
def test_every_refusal_is_a_clear_message(member_client, kwargs, message):
    activity = ActivityFactory(**kwargs)
    response = member_client.post(f"/activities/{activity.pk}/register/")
    assert follow_messages(member_client, response) == [message]


def test_registering_twice_is_refused_with_a_message(member_client):
    activity = ActivityFactory()
    member_client.post(f"/activities/{activity.pk}/register/", follow=True)
    response = member_client.post(f"/activities/{activity.pk}/register/")
    assert follow_messages(member_client, response) == ["You are already registered for this activity."]


def test_a_refusal_speaks_the_members_language(client, login, member_user):
    activity = ActivityFactory(audience=Audience.WOMEN)
    quiet_login(client, login, member_user, language="zh-hans")
    response = client.post(f"/activities/{activity.pk}/register/")
    with translation.override("zh-hans"):
        expected = translation.gettext("This activity is for women members.")
    assert follow_messages(client, response) == [expected]


def test_outsiders_cannot_register(client, login, outsider):
    activity = ActivityFactory()
    quiet_login(client, login, outsider)
    response = client.post(f"/activities/{activity.pk}/register/")
    assert follow_messages(client, response) == ["Only members on the roll may register."]
    assert not Registration.objects.exists()


def test_registering_needs_a_post(member_client):
    assert member_client.get(f"/activities/{ActivityFactory().pk}/register/").status_code == 405


def test_pages_need_a_login(client, db):
    activity = ActivityFactory()
    for url in ["/activities/", "/activities/mine/", f"/activities/{activity.pk}/",
                f"/activities/{activity.pk}/calendar.ics", "/notifications/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


# --- cancelling and leaving -----------------------------------------------------------------------------------------

def test_cancelling_asks_first_then_cancels(member_client, member_user):
    activity = ActivityFactory()
    registration = registration_create(activity=activity, member=member_user.member, answers={}, actor=member_user)
    confirm = member_client.get(f"/activities/{activity.pk}/cancel/")
    assert confirm.status_code == 200 and "Yes, cancel my registration" in confirm.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    response = member_client.post(f"/activities/{activity.pk}/cancel/", {"reason": "出差"})
    assert follow_messages(member_client, response) == ["Your registration is cancelled."]
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED and registration.events.latest("id").reason == "出差"


def test_cancelling_after_the_deadline_is_refused_with_a_message(member_client, member_user):
    activity = ActivityFactory(cancellation_deadline=timezone.now() + timedelta(days=1))
    registration_create(activity=activity, member=member_user.member, answers={}, actor=member_user)
    Activity.objects.filter(pk=activity.pk).update(cancellation_deadline=timezone.now() - timedelta(minutes=1))
    detail = member_client.get(f"/activities/{activity.pk}/").content.decode()
    assert "The cancellation deadline has passed" in detail and "Cancel my registration" not in detail
    response = member_client.post(f"/activities/{activity.pk}/cancel/")
    [message] = follow_messages(member_client, response)
    assert message.startswith("Registrations can no longer be cancelled: the deadline was ")


def test_cancelling_without_a_seat_says_so(member_client):
    activity = ActivityFactory()
    response = member_client.post(f"/activities/{activity.pk}/cancel/")
    assert follow_messages(member_client, response) == ["You have no seat for this activity."]


def test_leaving_the_waitlist(member_client, member_user):
    activity = ActivityFactory(capacity=1)
    registration_create(activity=activity, member=other_member(), answers={}, actor=None)
    registration = registration_create(activity=activity, member=member_user.member, answers={}, actor=member_user)
    assert "Yes, leave the waitlist" in member_client.get(f"/activities/{activity.pk}/leave-waitlist/").content.decode()
    response = member_client.post(f"/activities/{activity.pk}/leave-waitlist/")
    assert follow_messages(member_client, response) == ["You have left the waitlist."]
    registration.refresh_from_db()
    assert registration.status == Status.LEFT_WAITLIST


# --- my activities ------------------------------------------------------------------------------------------------

def test_my_activities_shows_upcoming_with_waitlist_place_and_past(member_client, member_user):
    member = member_user.member
    seat = ActivityFactory(title="秋游", capacity=5)
    full = ActivityFactory(title="疗休养", capacity=1)
    registration_create(activity=seat, member=member, answers={}, actor=member_user)
    registration_create(activity=full, member=other_member(), answers={}, actor=None)
    registration_create(activity=full, member=other_member(), answers={}, actor=None)
    registration_create(activity=full, member=member, answers={}, actor=member_user)
    past = ActivityFactory(title="春游", starts_at=timezone.now() - timedelta(days=100),
                           registration_opens_at=timezone.now() - timedelta(days=120),
                           registration_closes_at=timezone.now() - timedelta(days=101))
    RegistrationFactory(activity=past, member=member, checked_in_at=past.starts_at)
    ActivityFactory(title="没报名")
    response = member_client.get("/activities/mine/")
    text = response.content.decode()
    assert [r.activity.title for r in response.context["upcoming"]] == ["秋游", "疗休养"]
    assert [r.activity.title for r in response.context["past"]] == ["春游"]
    assert "On the waitlist: number 2" in text and "Attended" in text and "没报名" not in text


def test_my_activities_shows_a_check_in_qr_code_for_each_seat(member_client, member_user):
    activity = ActivityFactory()
    registration_create(activity=activity, member=member_user.member, answers={}, actor=member_user)
    response = member_client.get("/activities/mine/")
    [registration] = response.context["upcoming"]
    assert registration.qr_svg.startswith("<svg") and "<?xml" not in response.content.decode()
    assert response.content.decode().count("<svg") == 1
    # The QR decodes to a token read_checkin_token accepts (the check-in page's side).
    from activities.checkin_token import make_checkin_token

    token = make_checkin_token(member_user.member, activity)
    assert read_checkin_token(token) == (member_user.member.pk, activity.pk)


def test_my_activities_shows_a_cancelled_activity(member_client, member_user, chair):
    from activities.registration import activity_cancel

    activity = ActivityFactory(title="秋游")
    registration_create(activity=activity, member=member_user.member, answers={}, actor=member_user)
    activity_cancel(activity=activity, reason="台风", actor=chair)
    text = member_client.get("/activities/mine/").content.decode()
    assert "The activity was cancelled" in text


def test_my_activities_for_someone_without_a_record(client, login, outsider):
    login(outsider)
    assert client.get("/activities/mine/").status_code == 404


# --- notifications ------------------------------------------------------------------------------------------------

def test_notifications_list_only_mine_and_mark_as_read(member_client, member_user):
    first = notify(user=member_user, title="第一条", body="内容")
    notify(user=member_user, title="第二条")
    notify(user=UserFactory(), title="别人的")
    response = member_client.get("/notifications/")
    text = response.content.decode()
    assert "第一条" in text and "第二条" in text and "别人的" not in text
    assert response.context["unread_notifications"] == 2
    member_client.post("/notifications/", {"id": first.pk})
    assert Notification.objects.filter(user=member_user, read_at__isnull=True).count() == 1
    member_client.post("/notifications/", {"all": "1"})
    assert Notification.objects.filter(user=member_user, read_at__isnull=True).count() == 0


def test_marking_someone_elses_notification_does_nothing(member_client):
    theirs = notify(user=UserFactory(), title="别人的")
    member_client.post("/notifications/", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- query counts -------------------------------------------------------------------------------------------------

def _make_activities(count, *, member, others, now):
    """Half upcoming, half past; ``member`` registered for each (every other upcoming one on the waitlist),
    the ``others`` for each too."""
    activity_type = ActivityFactory.build().activity_type
    starts = [now + (1 if i % 2 else -1) * timedelta(days=2, minutes=i) for i in range(count)]
    activities = Activity.objects.bulk_create([
        Activity(title=f"活动{i}", activity_type=activity_type, capacity=5, starts_at=start,
                 ends_at=start + timedelta(hours=3), registration_opens_at=now - timedelta(days=30),
                 registration_closes_at=now - timedelta(days=3), state=Activity.State.PUBLISHED)
        for i, start in enumerate(starts)
    ])
    registrations = []
    for i, activity in enumerate(activities):
        registrations.append(Registration(activity=activity, member=member, queued_at=now + timedelta(seconds=i),
                                          status=Status.WAITLISTED if i % 4 == 1 else Status.CONFIRMED))
        registrations += [Registration(activity=activity, member=other, queued_at=now - timedelta(seconds=j),
                                       status=Status.CONFIRMED if j < 5 else Status.WAITLISTED)
                          for j, other in enumerate(others)]
    Registration.objects.bulk_create(registrations)
    return activities


def _queries(client, url):
    client.get(url)  # warm caches (site, content types) that a running server keeps anyway
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_pages_take_the_same_number_of_queries_for_500_activities_as_for_5(member_client, member_user):
    now = timezone.now()
    others = [MemberFactory() for _ in range(9)]
    _make_activities(5, member=member_user.member, others=others, now=now)
    small = {url: _queries(member_client, url)[0] for url in ["/activities/", "/activities/mine/"]}

    _make_activities(495, member=member_user.member, others=others, now=now)
    assert Activity.objects.count() == 500 and Registration.objects.count() == 5_000
    for url, count in small.items():
        large, response = _queries(member_client, url)
        assert large == count, f"{url}: {count} queries for 5 activities, {large} for 500"
    mine = response.context
    assert mine["upcoming"].paginator.count + mine["past"].paginator.count == 500
    waiting = [r for r in mine["upcoming"] if r.status == Status.WAITLISTED]
    assert waiting and all(r.waitlist_ahead == 4 for r in waiting)  # 9 others: 5 seated, 4 waiting ahead of me


def test_the_list_reads_its_page_and_its_length_in_one_query(member_client, member_user):
    """25 upcoming activities: two pages, one query on activities for the page and its "page 2 of 2" (core.paging)."""
    _make_activities(50, member=member_user.member, others=[MemberFactory() for _ in range(3)], now=timezone.now())
    member_client.get("/activities/")
    with CaptureQueriesContext(connection) as queries:
        response = member_client.get("/activities/?page=2")
    on_activities = [q["sql"] for q in queries if 'FROM "activities_activity"' in q["sql"]]
    assert len(on_activities) == 1, on_activities
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page)) == (2, 25, 5)


def test_the_list_page_fits_a_phone(member_client):
    """No fixed widths: everything wraps inside the 390 px viewport (the browser test looks at it for real)."""
    ActivityFactory(title="很长的活动名称" * 10)
    text = member_client.get("/activities/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in text
    assert not re.search(r"width:\s*\d{3,}px", text)


def test_a_full_activity_says_full_and_offers_the_waitlist_not_an_open_registration(client, login, member_user):
    activity = ActivityFactory(capacity=1, title="登山")
    registration_create(activity=activity, member=other_member(), answers={}, actor=None)
    chinese = quiet_login(client, login, member_user, language="zh-hans")
    listing = chinese.get("/activities/").content.decode()
    assert "已满 · 可候补" in listing and "报名中" not in listing
    detail = chinese.get(f"/activities/{activity.pk}/").content.decode()
    assert ">加入候补</button>" in detail and ">报名</button>" not in detail
    open_one = ActivityFactory(capacity=5, title="观影")
    assert ">报名</button>" in chinese.get(f"/activities/{open_one.pk}/").content.decode()
