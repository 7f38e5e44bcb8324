"""The chair's console: adding members, status changes, bulk actions, masking, filters, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AccountInvitation, User
from core.masking import mask_id_number, mask_phone
from members.models import Member, MembershipEvent, MembershipEventKind, MemberStatus
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory, UserFactory, valid_id_number

from .admin_forms import admin_member_form

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _new_member_form(**changes):
    blank = Member(name="", sex="", ethnicity="", political_status="", education="", phone="", email="",
                   position="", card_number="")
    data = admin_member_form(blank)
    data.update({"entry_kind": "enroll", "entry_date": "", "entry_counterpart": ""})
    data.update(changes)
    return data


@pytest.mark.parametrize("typed", ["lower", "fullwidth"])
def test_it_adds_a_member_through_the_service(client, login, chair, typed):
    dept = DepartmentFactory(name="办公室")
    number = next(n for n in iter(lambda: valid_id_number(datetime.date(1990, 5, 6), sex="F"), None) if n.endswith("X"))
    typed_number = number.lower() if typed == "lower" else "".join(chr(ord(c) + 0xFEE0) for c in number)
    login(chair)
    response = client.post("/admin/members/member/add/", _new_member_form(
        name="周敏", id_number=typed_number, department=dept.pk, phone="138-1234-5678", joined_on="2015-09-01"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(name="周敏")
    assert (member.status, member.birth_date, member.sex) == (MemberStatus.ACTIVE, datetime.date(1990, 5, 6), "F")
    assert (member.id_number, member.phone) == (number, "13812345678")
    event = member.events.get()
    assert (event.kind, event.actor) == ("enroll", chair)


def test_it_records_an_application_from_the_add_form(client, login, chair):
    login(chair)
    response = client.post("/admin/members/member/add/", _new_member_form(
        name="吴一", id_number=valid_id_number(), entry_kind="apply"))
    assert response.status_code == 302
    member = Member.objects.get(name="吴一")
    assert member.status == MemberStatus.APPLICANT and member.joined_on is None


def test_it_shows_a_clear_error_for_a_bad_id_number_and_saves_nothing(client, login, chair):
    login(chair)
    good = valid_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post("/admin/members/member/add/", _new_member_form(name="错号", id_number=bad))
    assert response.status_code == 200
    assert "check digit" in response.content.decode() or "校验" in response.content.decode()
    assert not Member.objects.filter(name="错号").exists()


def test_it_changes_status_through_the_status_page(client, login, chair):
    member = MemberFactory(status_since=TODAY - datetime.timedelta(days=30))
    login(chair)
    page = client.get(f"/admin/members/member/{member.pk}/status/")
    assert page.status_code == 200
    choices = [value for value, _ in page.context["form"].fields["kind"].choices]
    assert "retire" in choices and "approve" not in choices
    response = client.post(f"/admin/members/member/{member.pk}/status/",
                           {"kind": "retire", "effective_on": TODAY.isoformat(), "reason": "", "counterpart": ""})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.RETIRED
    assert MembershipEvent.objects.get(member=member).actor == chair


def test_it_explains_a_missing_reason_on_the_status_page(client, login, chair):
    member = MemberFactory()
    login(chair)
    response = client.post(f"/admin/members/member/{member.pk}/status/",
                           {"kind": "expel", "effective_on": TODAY.isoformat(), "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


def test_it_refuses_the_status_page_to_roles_without_the_permission(client, login, treasurer):
    member = MemberFactory()
    login(treasurer)
    response = client.post(f"/admin/members/member/{member.pk}/status/",
                           {"kind": "retire", "effective_on": TODAY.isoformat()})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


def test_it_moves_selected_members_to_another_group(client, login, chair):
    members = MemberFactory.create_batch(3)
    group = UnionGroupFactory()
    login(chair)
    ids = [str(m.pk) for m in members[:2]]
    confirm = client.post("/admin/members/member/", {"action": "change_group", "_selected_action": ids})
    assert confirm.status_code == 200 and "union_group" in confirm.context["form"].fields
    response = client.post("/admin/members/member/", {"action": "change_group", "_selected_action": ids,
                                                      "union_group": group.pk, "apply": "1"})
    assert response.status_code == 302
    assert set(Member.objects.filter(union_group=group).values_list("pk", flat=True)) == {m.pk for m in members[:2]}


def test_it_creates_accounts_in_bulk_with_one_time_codes(client, login, chair):
    members = MemberFactory.create_batch(2, email="")
    retired = MemberFactory(status=MemberStatus.RETIRED)
    gone = MemberFactory(status=MemberStatus.TRANSFERRED_OUT)
    login(chair)
    ids = [str(m.pk) for m in [*members, retired, gone]]
    response = client.post("/admin/members/member/", {"action": "create_accounts", "_selected_action": ids,
                                                      "confirmed": "yes"})
    assert response.status_code == 200
    created = response.context["created"]
    assert {m.pk for m, _, _ in created} == {members[0].pk, members[1].pk, retired.pk}
    assert [m.pk for m, _ in response.context["skipped"]] == [gone.pk]
    for member, username, code in created:
        member.refresh_from_db()
        assert member.user.username == username and not member.user.has_usable_password()
        assert code in response.content.decode()
    assert AccountInvitation.objects.count() == 3


@pytest.mark.parametrize("persona", ["treasurer", "auditor"])
def test_it_masks_id_and_phone_in_the_admin_for_roles_without_permission(request, client, login, persona):
    user = request.getfixturevalue(persona)
    member = MemberFactory(phone="13987654321")
    login(user)
    listing = client.get("/admin/members/member/").content.decode()
    detail = client.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    for page in (listing, detail):
        assert member.id_number not in page and "13987654321" not in page
        assert mask_id_number(member.id_number) in page and mask_phone("13987654321") in page


def test_it_shows_full_numbers_to_the_chair(client, login, chair):
    member = MemberFactory(phone="13987654321")
    login(chair)
    listing = client.get("/admin/members/member/").content.decode()
    assert member.id_number in listing and "13987654321" in listing


def test_it_finds_members_by_pinyin_initials(client, login, chair):
    MemberFactory(name="欧阳明")
    MemberFactory(name="张伟")
    login(chair)
    response = client.get("/admin/members/member/", {"q": "oym"})
    assert [m.name for m in response.context["cl"].result_list] == ["欧阳明"]


def test_it_filters_by_age_band(client, login, chair):
    young = MemberFactory(birth=datetime.date(TODAY.year - 25, 1, 1))
    MemberFactory(birth=datetime.date(TODAY.year - 45, 1, 1))
    login(chair)
    response = client.get("/admin/members/member/", {"age": "u30"})
    names = [m.pk for m in response.context["cl"].result_list]
    assert young.pk in names and len([n for n in names if n != chair.member.pk]) == 1


def test_it_lists_the_roll_with_a_constant_number_of_queries(client, login, chair):
    login(chair)
    group = UnionGroupFactory()
    MemberFactory.create_batch(5, union_group=group)
    client.get("/admin/members/member/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/admin/members/member/").status_code == 200
    MemberFactory.create_batch(40, union_group=group)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/admin/members/member/").status_code == 200
    assert len(large) == len(small)
    assert len(large) <= 14


def test_a_members_page_takes_at_most_twelve_queries_and_names_the_chair_without_one(client, login, chair):
    """make bench pins the admin member page at 12 queries: the login shown on it comes with the member, and the
    header's name with the session's user (accounts.backends.get_user)."""
    member = MemberFactory(user=UserFactory(), union_group=UnionGroupFactory())
    for recorder in (chair, UserFactory(), MemberFactory(user=UserFactory()).user):  # history recorded by three
        MembershipEvent.objects.create(member=member, kind=MembershipEventKind.TRANSFER_IN, actor=recorder,
                                       effective_on=TODAY, from_status=MemberStatus.ACTIVE,
                                       to_status=MemberStatus.ACTIVE)
    login(chair)
    client.get(f"/admin/members/member/{member.pk}/change/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/members/member/{member.pk}/change/")
    assert response.status_code == 200 and chair.member.name in response.content.decode()
    assert len(queries) <= 12, "\n".join(q["sql"][:120] for q in queries)
    on_members = [q["sql"] for q in queries if q["sql"].startswith('SELECT "members_member"."id"')]
    assert len(on_members) == 1, on_members


def test_it_offers_no_delete_for_members(client, login, chair):
    member = MemberFactory()
    login(chair)
    assert client.get(f"/admin/members/member/{member.pk}/delete/").status_code == 403


@pytest.mark.parametrize("lookup", ["id_number__startswith", "id_number", "phone__startswith", "phone__contains"])
def test_it_refuses_filtering_on_masked_numbers(client, login, auditor, lookup):
    """A row count per guessed prefix would reveal a masked ID or mobile number digit by digit."""
    member = MemberFactory(phone="13583723743")
    value = (member.id_number if lookup.startswith("id") else member.phone)[:7]
    login(auditor)
    response = client.get("/admin/members/member/", {lookup: value})
    assert response.status_code == 400
    export = client.get("/admin/members/member/roster/export/", {lookup: value})
    assert member.name not in export.content.decode()


def test_it_decides_masking_per_request(client, login, chair, auditor):
    from django.test import Client

    member = MemberFactory(phone="13987654321")
    as_chair = login(chair, use_client=Client())
    as_auditor = login(auditor, use_client=Client())
    assert "13987654321" in as_chair.get("/admin/members/member/").content.decode()
    assert "13987654321" not in as_auditor.get("/admin/members/member/").content.decode()
    assert "13987654321" in as_chair.get("/admin/members/member/").content.decode()
    assert member.id_number not in as_auditor.get("/admin/members/member/").content.decode()


def test_it_asks_before_creating_accounts_saying_who_gets_one_and_who_is_skipped(client, login, chair):
    new = MemberFactory.create_batch(3, email="")
    has_one = MemberFactory(name="有号甲", user=UserFactory(username="has-one"))
    gone = MemberFactory(name="转出乙", status=MemberStatus.TRANSFERRED_OUT)
    login(chair)
    ids = [str(m.pk) for m in [*new, has_one, gone]]
    page = client.post("/admin/members/member/", {"action": "create_accounts", "_selected_action": ids},
                       HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and page.template_name == "admin/confirm_action.html"
    assert "3 members will get a portal account with a one-time activation code; 2 skipped." in text
    listing = text[text.index("Who gets an account (3)"):text.index("Skipped (2)")]
    assert all(member.name in listing for member in new)
    skipped = text[text.index("Skipped (2)"):]
    assert "有号甲" in skipped and "already has an account" in skipped and "转出乙" in skipped
    assert not AccountInvitation.objects.exists() and User.objects.filter(member__in=new).count() == 0
    # Cancel goes back to the roll, nothing written; the answer creates the three.
    assert 'href="/admin/members/member/" class="button cancel-link"' in text
    done = client.post("/admin/members/member/", {"action": "create_accounts", "_selected_action": ids,
                                                  "confirmed": "yes"})
    assert len(done.context["codes"]) == 3 and AccountInvitation.objects.count() == 3


def test_the_account_confirmation_lists_fifty_names_and_counts_the_rest(client, login, chair):
    members = MemberFactory.create_batch(53, email="")
    login(chair)
    text = client.post("/admin/members/member/", {"action": "create_accounts", "_selected_action": [
        m.pk for m in members]}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    listing = text[text.index('class="module confirm-listing"'):]
    assert listing.count("<li>") == 50 and "另有 3 项未列出" in listing
