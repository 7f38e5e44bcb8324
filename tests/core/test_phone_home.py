"""The member's phone home: cards (next activity with its QR code, open activities, unread notifications, dues,
care received) registered by the apps with core.portal; the tab bar; favicon and manifest; 已满 / 加入候补."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.models import Notification
from core.portal import home_cards, tabs
from tests.activities.factories import ActivityFactory, RegistrationFactory


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    client.cookies["django_language"] = "en"
    return client


def _home(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_cards_not_a_list_of_links(member_client, member_user):
    mine = ActivityFactory(title="秋游植物园")
    RegistrationFactory(activity=mine, member=member_user.member)
    ActivityFactory(title="羽毛球赛")
    Notification.objects.create(user=member_user, title="会费已到账")
    html = _home(member_client)
    assert "My next activity" in html and "秋游植物园" in html
    assert 'aria-label="Check-in QR code"' in html and "<svg" in html
    assert "Activities open to me" in html and "羽毛球赛" in html
    assert "Unread notifications" in html and "会费已到账" in html
    assert "My dues in" in html and "Care I received this year" in html


def test_home_query_count_does_not_grow_with_data(member_client, member_user, django_assert_max_num_queries):
    _home(member_client)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        _home(member_client)
    for n in range(6):
        activity = ActivityFactory(title=f"活动{n}")
        RegistrationFactory(activity=activity, member=member_user.member)
        Notification.objects.create(user=member_user, title=f"通知{n}")
    with CaptureQueriesContext(connection) as many:
        _home(member_client)
    assert len(many) <= len(few) + 2, [q["sql"] for q in many.captured_queries]
    assert len(many) <= 30


def test_cards_and_tabs_are_registered_by_the_apps(rf, member_user):
    request = rf.get("/")
    request.user = member_user
    # No registration yet: the next-activity card has nothing to say and is left out.
    assert "core/cards/next_activity.html" not in [t for t, _c in home_cards(request, member_user.member)]
    RegistrationFactory(activity=ActivityFactory(), member=member_user.member)
    templates = [template for template, _context in home_cards(request, member_user.member)]
    assert templates == ["core/cards/next_activity.html", "core/cards/open_activities.html",
                         "voice/cards/voice.html", "voice/cards/tracker.html", "core/cards/notifications.html", "core/cards/my_dues.html", "core/cards/my_care.html"]
    with translation.override("zh-hans"):
        bar = tabs("/activities/")
        assert [str(tab["label"]) for tab in bar] == ["首页", "活动", "我的", "通知"]
    assert [tab["current"] for tab in bar] == [False, True, False, False]


def test_tab_bar_and_language_switch_under_me(member_client):
    html = _home(member_client)
    assert 'class="tabs"' in html and 'aria-current="page"' in html
    me = member_client.get("/members/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="language"' in me and "Settings" in me
    assert 'name="language"' not in html  # not in the header any more: it lives under 我的


def test_favicon_and_manifest(client, member_user):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("icons/favicon.ico")
    client.force_login(member_user)
    html = client.get("/").content.decode()
    assert 'rel="manifest"' in html and "icons/icon-192.png" in html


def test_full_activity_says_full_and_offers_the_waitlist(member_client, member_user):
    from tests.factories import MemberFactory

    full = ActivityFactory(title="疗休养", capacity=1)
    RegistrationFactory(activity=full, member=MemberFactory())
    listing = member_client.get("/activities/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "full · waitlist open" in listing
    detail = member_client.get(f"/activities/{full.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Join the waitlist" in detail
    with translation.override("zh-hans"):
        assert translation.gettext("full · waitlist open") == "已满 · 可候补"
        assert translation.gettext("Join the waitlist") == "加入候补"


def test_open_activities_card_finds_an_open_one_behind_many_i_already_joined(rf, member_user):
    """The card asks the database for activities I have not joined: eight joined ones that start sooner must not
    push the one still open to me off the card, and a cancelled one is not offered."""
    import datetime

    from django.utils import timezone

    from activities.home_cards import open_activities
    from activities.models import Activity

    soon = timezone.now() + datetime.timedelta(days=2)
    for n in range(8):
        joined = ActivityFactory(title=f"已报名{n}", starts_at=soon + datetime.timedelta(hours=n),
                                 ends_at=soon + datetime.timedelta(hours=n, minutes=30))
        RegistrationFactory(activity=joined, member=member_user.member)
    ActivityFactory(title="已取消的讲座", state=Activity.State.CANCELLED, starts_at=soon + datetime.timedelta(days=1),
                    ends_at=soon + datetime.timedelta(days=1, hours=1))
    still_open = ActivityFactory(title="书法讲座", starts_at=soon + datetime.timedelta(days=3),
                                 ends_at=soon + datetime.timedelta(days=3, hours=2))
    request = rf.get("/")
    request.user = member_user
    titles = [a.title for a in open_activities(request, member_user.member)["activities"]]
    assert titles == [still_open.title]
