"""A masked ID number cannot be rebuilt (issue 11.1): digits 7–14 of a 身份证号 are the birth date, so whoever may
not see full ID numbers (``members.view_sensitive_member``) sees no full birth date either — on the member pages,
the masked roster export, the member admin (form and list), the audit trail — and the online application answers
the same whether or not the ID number is on the roll."""

import datetime
import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from core.masking import mask_date, mask_personal
from members import selectors, services
from members.models import Member
from members.resources import HEADERS
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory, UserFactory, valid_id_number

from .admin_forms import admin_member_form

pytestmark = pytest.mark.django_db

BORN = datetime.date(1979, 8, 23)
RETIRES = datetime.date(2039, 8, 23)  # 60 years on: a retirement date gives the birth date away too
BIRTH_COLUMN = HEADERS.index("出生日期")
RETIREMENT_COLUMN = HEADERS.index("预计退休日期")
NAME_COLUMN = HEADERS.index("姓名")


def date_spellings(day):
    """Every way a page or file could spell the date: ISO, Chinese, compact, slashes, English."""
    return {day.isoformat(), f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}", f"{day:%Y/%m/%d}",
            f"{day.year}-{day.month}-{day.day}", f"{day:%b}. {day.day}, {day.year}", f"{day:%B} {day.day}, {day.year}",
            f"{day:%d/%m/%Y}", f"{day.year}/{day.month}/{day.day}"}


def assert_no_full_date(text, *days):
    for day in days:
        for spelling in date_spellings(day):
            assert spelling not in text, spelling


@pytest.fixture
def subject():
    return MemberFactory(name="寿星", birth=BORN, expected_retirement_on=RETIRES, phone="13855556666")


@pytest.fixture
def clerk(db):
    """Staff who may change the roll but not see full ID numbers (change_member without view_sensitive_member)."""
    user = UserFactory(username="clerk", is_staff=True)
    user.set_password("Secret-pass-123")
    user.save()
    member_type = ContentType.objects.get(app_label="members", model="member")
    user.user_permissions.add(*Permission.objects.filter(content_type=member_type,
                                                        codename__in=["view_member", "change_member"]))
    return user


# --- the rule, in one place -----------------------------------------------------------------------------------------

def test_the_rule_shows_the_year_only_to_whoever_may_not_see_full_ids(subject, chair, treasurer, group_leader):
    assert selectors.shown_birth_date(subject, chair) == "1979-08-23"
    assert selectors.shown_birth_date(subject, treasurer) == "1979-**-**"
    assert selectors.shown_retirement_date(subject, treasurer) == "2039-**-**"
    assert selectors.shown_retirement_date(subject, chair) == "2039-08-23"
    assert mask_date(BORN) == mask_personal("1979-08-23") == "1979-**-**"


def test_the_group_leader_who_is_told_birthdays_sees_no_year(subject, group_leader):
    """The birthday reminders tell a 小组长 the day and month of their group's birthdays: their pages show no year."""
    subject.union_group = group_leader.member.union_group
    subject.save()
    assert selectors.shown_birth_date(subject, group_leader) == ""


# --- member pages ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["treasurer", "auditor"])
def test_member_pages_show_no_full_birth_date_without_the_permission(request, client, login, subject, persona):
    login(request.getfixturevalue(persona))
    html = client.get(f"/members/{subject.pk}/").content.decode()
    assert subject.name in html
    assert_no_full_date(html, BORN, RETIRES)
    assert "1979-**-**" in html


def test_the_group_leader_sees_neither_the_birth_date_nor_its_year(client, login, subject, group_leader):
    subject.union_group = group_leader.member.union_group
    subject.save()
    login(group_leader)
    html = client.get(f"/members/{subject.pk}/").content.decode()
    assert subject.name in html
    assert_no_full_date(html, BORN)
    assert "1979" not in html


def test_the_own_record_shows_the_year_only(client, login, member_user):
    login(member_user)
    html = client.get("/members/me/").content.decode()
    born = member_user.member.birth_date
    assert_no_full_date(html, born)
    assert f"{born.year}-**-**" in html


@pytest.mark.parametrize("persona", ["chair", "welfare_officer"])
def test_whoever_sees_full_ids_still_sees_the_birth_date(request, client, login, subject, persona):
    login(request.getfixturevalue(persona))
    html = client.get(f"/members/{subject.pk}/").content.decode()
    assert "1979-08-23" in html


# --- the member admin -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["treasurer", "auditor"])
def test_the_admin_shows_no_full_birth_date_to_view_only_roles(request, client, login, subject, persona):
    login(request.getfixturevalue(persona))
    for url in (f"/admin/members/member/{subject.pk}/change/", "/admin/members/member/",
                f"/admin/members/member/?q={subject.name}"):
        html = client.get(url).content.decode()
        assert subject.name in html
        assert_no_full_date(html, BORN, RETIRES)


def test_the_admin_form_of_a_clerk_shows_the_year_read_only_and_keeps_the_date_on_save(client, clerk, subject):
    client.force_login(clerk)
    url = f"/admin/members/member/{subject.pk}/change/"
    page = client.get(url)
    html = page.content.decode()
    assert 'name="birth_date"' not in html and 'name="expected_retirement_on"' not in html
    assert_no_full_date(html, BORN, RETIRES)
    assert "1979-**-**" in html and "2039-**-**" in html
    data = admin_member_form(subject, position="副处长")
    for hidden in ("birth_date", "id_number", "phone"):
        data.pop(hidden)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    subject.refresh_from_db()
    assert (subject.position, subject.birth_date, subject.expected_retirement_on) == ("副处长", BORN, RETIRES)


def test_the_admin_form_of_a_clerk_ignores_a_forged_birth_date(client, clerk, subject):
    client.force_login(clerk)
    data = admin_member_form(subject, birth_date="1980-01-01", expected_retirement_on="2040-01-01")
    client.post(f"/admin/members/member/{subject.pk}/change/", data)
    subject.refresh_from_db()
    assert (subject.birth_date, subject.expected_retirement_on) == (BORN, RETIRES)


def test_a_treasurer_who_leads_the_group_sees_no_year_or_age_in_the_admin(client, login, treasurer, subject):
    """Told the day and month by the birthday reminders, a 小组长 with a staff role gets no year in the admin either."""
    subject.union_group = UnionGroupFactory(leader=treasurer.member)
    subject.save()
    login(treasurer)
    detail = client.get(f"/admin/members/member/{subject.pk}/change/").content.decode()
    assert subject.name in detail and "1979" not in detail and "2039" not in detail
    listing = client.get("/admin/members/member/", {"q": subject.name})
    row = next(row for row in listing.context["cl"].result_list if row.pk == subject.pk)
    assert listing.context["cl"].model_admin.age_display(row) == "—"
    other = MemberFactory(name="旁人", birth=BORN)
    listing = client.get("/admin/members/member/", {"q": other.name})
    row = next(row for row in listing.context["cl"].result_list if row.pk == other.pk)
    assert listing.context["cl"].model_admin.age_display(row) == other.age


def test_the_chair_still_edits_the_birth_fields(client, login, chair, subject):
    login(chair)
    html = client.get(f"/admin/members/member/{subject.pk}/change/").content.decode()
    assert 'name="birth_date"' in html and 'name="expected_retirement_on"' in html


@pytest.mark.parametrize("lookup", ["birth_date", "birth_date__month", "birth_date__year",
                                    "expected_retirement_on__day"])
def test_the_admin_list_cannot_be_filtered_on_birth_dates(client, login, auditor, subject, lookup):
    """A row count for ?birth_date=… would confirm a guessed date one try at a time."""
    login(auditor)
    response = client.get(f"/admin/members/member/?{lookup}=8")
    assert response.status_code in (302, 400) or subject.name not in response.content.decode()


# --- the masked roster export ---------------------------------------------------------------------------------------

def _export_rows(client, **data):
    url = "/admin/members/member/roster/export/"
    page = client.get(url)
    response = client.post(url, {"filters": page.context["form"]["filters"].value(), **data})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return {row[NAME_COLUMN]: row for row in ([cell.value for cell in row] for row in sheet.iter_rows(min_row=2))}


@pytest.mark.parametrize("persona", ["treasurer", "chair"])
def test_the_masked_export_carries_birth_and_retirement_years_only(request, client, login, subject, persona):
    login(request.getfixturevalue(persona))
    row = _export_rows(client)[subject.name]
    assert (row[BIRTH_COLUMN], row[RETIREMENT_COLUMN]) == ("1979-**-**", "2039-**-**")


def test_the_full_export_carries_the_dates(client, login, chair, subject):
    login(chair)
    row = _export_rows(client, full="on")[subject.name]
    assert row[BIRTH_COLUMN].date() == BORN and row[RETIREMENT_COLUMN].date() == RETIRES


# --- the audit trail ------------------------------------------------------------------------------------------------

def test_the_audit_trail_keeps_only_the_years(client, login, auditor, chair, subject):
    services.member_update(member=subject, actor=chair, expected_retirement_on=datetime.date(2039, 9, 1))
    text = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(subject))
    assert_no_full_date(text, BORN, RETIRES, datetime.date(2039, 9, 1))
    assert "1979-**-**" in text and "2039-**-**" in text
    login(auditor)
    for entry in LogEntry.objects.get_for_object(subject):
        html = client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").content.decode()
        assert_no_full_date(html, BORN, RETIRES, datetime.date(2039, 9, 1))


# --- the online application -----------------------------------------------------------------------------------------

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _application(id_number, phone):
    return {"name": "林晓", "id_number": id_number, "phone": phone, "department": DepartmentFactory(name="办公室").pk,
            "position": "科员", "statement": "愿意加入工会", "agree": "on"}


def _answer(client, data):
    response = client.post("/members/apply/", data)
    follow = client.get(response["Location"]) if response.status_code == 302 else None
    body = CSRF.sub(b"", response.content)
    return (response.status_code, response.get("Location"), body,
            CSRF.sub(b"", follow.content) if follow is not None else None)


def test_the_application_answers_the_same_whether_or_not_the_id_is_on_the_roll(client, subject, chair):
    on_roll = _answer(client, _application(subject.id_number, subject.phone))
    stranger = _answer(client, _application(valid_id_number(datetime.date(1991, 2, 3)), "13700009999"))
    assert on_roll == stranger
    assert on_roll[0] == 302
    assert Member.objects.filter(id_number=subject.id_number).count() == 1
    assert Member.objects.filter(name="林晓").count() == 1  # the stranger's application, waiting for approval


def test_a_phone_number_on_the_roll_changes_nothing_in_the_answer(client, subject):
    with_phone = _answer(client, _application(valid_id_number(datetime.date(1992, 4, 5)), subject.phone))
    without = _answer(client, _application(valid_id_number(datetime.date(1993, 6, 7)), "13700008888"))
    assert with_phone == without and with_phone[0] == 302


def test_an_application_with_an_id_on_the_roll_is_put_before_the_committee(client, subject, chair):
    _answer(client, _application(subject.id_number, "13700009999"))
    notice = chair.notifications.get()
    assert subject.name in notice.body
    assert subject.id_number not in notice.body and "13700009999" not in notice.body
    subject.refresh_from_db()
    assert subject.name == "寿星" and subject.phone == "13855556666"  # the record is not touched
