"""Long leave (sick or maternity leave, a secondment): recorded on the member's page by those who see a member's
sensitive data, hidden from everyone else (the page, the log), and a start prompts the chair to hold a 谈心."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from core.workbench import tasks_for
from members.models import MemberLeave
from tests.factories import MemberFactory
from tests.voice.helpers import member_with_login
from voice.models import Item
from voice.tracker import services as tracker
from voice.tracker.selectors import talk_prompts

from .admin_forms import admin_member_form

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _with_leave(member, **leave):
    return admin_member_form(member, **{"leaves-TOTAL_FORMS": "1", **{f"leaves-0-{k}": v for k, v in leave.items()}})


def test_the_chair_records_a_leave_on_the_member_page_and_it_is_on_the_log(client, login, chair):
    member = MemberFactory()
    login(chair)
    page = client.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    assert 'name="leaves-TOTAL_FORMS"' in page
    response = client.post(f"/admin/members/member/{member.pk}/change/", _with_leave(
        member, kind="sick", starts_on=(TODAY - datetime.timedelta(days=2)).isoformat(), ends_on="", note="术后休养"))
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    leave = member.leaves.get()
    assert (leave.kind, leave.note) == (MemberLeave.Kind.SICK, "术后休养")
    entry = LogEntry.objects.get_for_object(leave).get()
    assert entry.actor == chair


def test_a_return_before_the_start_is_refused_in_the_users_language_and_nothing_is_saved(client, login, chair):
    member = MemberFactory()
    login(chair)
    response = client.post(f"/admin/members/member/{member.pk}/change/", _with_leave(
        member, kind="maternity", starts_on="2026-10-01", ends_on="2026-09-01", note=""))
    assert response.status_code == 200
    assert "预计返岗日期须晚于离岗开始日期。" in response.content.decode()
    assert not MemberLeave.objects.exists()


def test_who_does_not_see_sensitive_data_sees_no_leave_on_the_page_or_in_the_log(login, chair, treasurer, auditor):
    member = MemberFactory()
    leave = MemberLeave.objects.create(member=member, kind=MemberLeave.Kind.MATERNITY, starts_on=TODAY,
                                       note="预产期十二月")
    # Even a role given the model's own permissions sees nothing without members.view_sensitive_member.
    treasurer.groups.first().permissions.add(*Permission.objects.filter(codename__endswith="_memberleave"))
    clients = {user: login(user, use_client=Client()) for user in (treasurer, auditor)}  # a TOTP code works once
    for user, browser in clients.items():
        page = browser.get(f"/admin/members/member/{member.pk}/change/")
        assert page.status_code == 200
        assert "leaves-TOTAL_FORMS" not in page.content.decode() and "预产期十二月" not in page.content.decode()
    log = clients[auditor].get("/admin/auditlog/logentry/")
    assert log.status_code == 200
    assert str(leave) not in log.content.decode() and "预产期十二月" not in log.content.decode()
    chairs = login(chair, use_client=Client())
    assert "预产期十二月" in chairs.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    assert str(leave) in chairs.get("/admin/auditlog/logentry/").content.decode()


def test_a_long_leave_prompts_a_talk_without_naming_the_kind_until_one_is_recorded(chair):
    on_leave, back_long_ago = member_with_login(), member_with_login()
    MemberLeave.objects.create(member=on_leave, kind=MemberLeave.Kind.SICK, starts_on=TODAY - datetime.timedelta(days=3))
    MemberLeave.objects.create(member=back_long_ago, kind=MemberLeave.Kind.SECONDMENT,
                               starts_on=TODAY - datetime.timedelta(days=300))
    prompts = talk_prompts(TODAY)
    assert [(p.member, str(p.reason), p.since) for p in prompts] == [
        (on_leave, "长期离岗", TODAY - datetime.timedelta(days=3))]
    assert {t["key"]: t["count"] for t in tasks_for(chair, today=TODAY)}["tracker.talks_due"] == 1
    tracker.item_record(source=Item.Source.TALK, title="病假期间", text="Call weekly.", member=on_leave, actor=chair)
    assert talk_prompts(TODAY) == []


def test_the_tracker_page_lists_the_leave_prompt_with_a_link_to_record_the_talk(client, login, chair):
    on_leave = member_with_login()
    MemberLeave.objects.create(member=on_leave, kind=MemberLeave.Kind.MATERNITY, starts_on=TODAY)
    login(chair)
    page = client.get("/voice/tracker/manage/").content.decode()
    assert on_leave.name in page and "长期离岗" in page and "产假" not in page
    assert f"?source=talk&amp;member={on_leave.pk}" in page


def _leave(member, starts, ends=None):
    return MemberLeave.objects.create(member=member, kind=MemberLeave.Kind.SICK,
                                      starts_on=TODAY + datetime.timedelta(days=starts),
                                      ends_on=None if ends is None else TODAY + datetime.timedelta(days=ends))


def test_the_chair_filters_the_roll_by_who_is_on_leave_today_and_who_is_back_soon(client, login, chair):
    away, back_soon, back_later = MemberFactory(name="离岗甲"), MemberFactory(name="离岗乙"), MemberFactory(name="离岗丙")
    returned, not_yet = MemberFactory(name="已返岗"), MemberFactory(name="未开始")
    _leave(away, -3)
    _leave(back_soon, -20, 10)
    _leave(back_soon, -400, -300)  # an old leave too: listed once
    _leave(back_later, -5, 60)
    _leave(returned, -30, 0)
    _leave(not_yet, 3, 30)
    login(chair)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/admin/members/member/").content.decode()
    assert "长期离岗" in page and "目前离岗" in page and "30 天内预计返岗" in page

    def listed(value):
        response = client.get("/admin/members/member/", {"leave": value})
        return sorted(m.name for m in response.context["cl"].result_list)

    assert listed("now") == ["离岗丙", "离岗乙", "离岗甲"]
    assert listed("back_soon") == ["离岗乙"]


def test_who_does_not_see_sensitive_data_has_no_leave_filter_and_cannot_use_it(client, login, auditor):
    _leave(MemberFactory(name="离岗甲"), -3)
    login(auditor)
    page = client.get("/admin/members/member/")
    assert page.status_code == 200 and "leave=now" not in page.content.decode()
    refused = client.get("/admin/members/member/", {"leave": "now"})
    assert refused.status_code == 302 and "e=1" in refused["Location"]
