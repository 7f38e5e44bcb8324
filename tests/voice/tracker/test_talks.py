"""谈心 records are confidential like hardship cases: the chair and the person who held the talk see them; everyone
else — the member talked with, other handlers, the auditor — gets 404 on the pages and in the admin. A member's
change of situation in the membership history prompts a talk."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from core.workbench import tasks_for
from members.models import MembershipEvent, MembershipEventKind, MemberStatus
from tests.voice.helpers import member_with_login
from voice.models import Item
from voice.tracker import services as s
from voice.tracker.selectors import talk_prompts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def talk(welfare_officer, db):
    welfare_officer.groups.first().permissions.add(Permission.objects.get(codename="add_item"))
    subject = member_with_login()
    item = s.item_record(source=Item.Source.TALK, title="After the transfer", text="Worried about the commute.",
                         member=subject, actor=welfare_officer)
    return item


PAGES = ["/voice/tracker/{pk}/", "/admin/voice/item/{pk}/change/"]


@pytest.mark.parametrize("page", PAGES)
def test_the_chair_and_the_holder_see_a_talk(client, login, chair, welfare_officer, talk, page):
    for user in (chair, welfare_officer) if "admin" not in page else (chair,):  # the admin is the chair's
        login(user)
        response = client.get(page.format(pk=talk.pk))
        assert response.status_code == 200, user
        assert "Worried about the commute." in response.content.decode()
        client.logout()


@pytest.mark.parametrize("page", PAGES + ["/voice/tracker/{pk}/step/close/"])
@pytest.mark.parametrize("who", ["treasurer", "auditor", "group_leader", "member_user", "outsider", "subject",
                                 "handler"])
def test_everyone_else_gets_404_for_a_talk(client, login, request, talk, chair, page, who):
    if who == "subject":
        user = talk.member.user
    elif who == "handler":  # a second handler of items, without the chair's view_talk
        user = request.getfixturevalue("treasurer")
        user.groups.first().permissions.add(Permission.objects.get(codename="handle_item"),
                                            Permission.objects.get(codename="view_item"))
    else:
        user = request.getfixturevalue(who)
    login(user)
    fetch = client.post if page.endswith("close/") else client.get
    response = fetch(page.format(pk=talk.pk))
    # Staff without any access to items get the admin's refusal of the whole model (403, the same for every id).
    expected = 403 if "admin" in page and who in ("treasurer", "auditor") else 404
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")  # not staff: the admin's login page
    else:
        assert response.status_code == expected
        assert fetch(page.format(pk=talk.pk + 1000)).status_code == expected  # as for an item that is not there
    assert "Worried about the commute." not in client.get("/voice/tracker/manage/").content.decode()
    assert "After the transfer" not in client.get("/admin/voice/item/").content.decode()
    assert "After the transfer" not in client.get("/voice/tracker/").content.decode()
    talk.refresh_from_db()
    assert talk.state == Item.State.RECEIVED


def test_a_transfer_or_a_retirement_prompts_a_talk_until_one_is_recorded(chair, welfare_officer):
    today = timezone.localdate()
    moved, retired, long_ago = member_with_login(), member_with_login(), member_with_login()
    for member, kind, days in ((moved, MembershipEventKind.TRANSFER_IN, 5), (retired, MembershipEventKind.RETIRE, 10),
                               (long_ago, MembershipEventKind.RETIRE, 200)):
        MembershipEvent.objects.create(member=member, kind=kind, to_status=MemberStatus.ACTIVE,
                                       effective_on=today - datetime.timedelta(days=days))
    assert [e.member for e in talk_prompts(today)] == [moved, retired]
    assert {t["key"]: t["count"] for t in tasks_for(chair, today=today)}["tracker.talks_due"] == 2
    assert "tracker.talks_due" not in {t["key"] for t in tasks_for(welfare_officer, today=today)}
    s.item_record(source=Item.Source.TALK, title="Welcome", text="Settling in.", member=moved, actor=chair)
    assert [e.member for e in talk_prompts(today)] == [retired]
