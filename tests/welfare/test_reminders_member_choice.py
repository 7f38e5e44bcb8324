"""A member chooses to be remembered on their lunar birthday, on their own page; the office sets retirement dates."""

import datetime

import pytest
from django.test import Client

from members import roster
from members.models import Member
from tests.factories import DepartmentFactory, MemberFactory
from tests.members.test_roster_import import person, table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_member_chooses_the_lunar_birthday_on_their_own_page(member_user, login):
    client = Client()
    login(member_user, use_client=client)
    page = client.get("/members/me/").content.decode()
    assert 'name="birthday_lunar" value="1"' in page
    response = client.post("/members/me/birthday/", {"birthday_lunar": "1"}, follow=True)
    assert "lunar calendar" in response.content.decode()
    member_user.member.refresh_from_db()
    assert member_user.member.birthday_lunar is True
    client.post("/members/me/birthday/", {"birthday_lunar": "0"})
    member_user.member.refresh_from_db()
    assert member_user.member.birthday_lunar is False
    assert client.get("/members/me/birthday/").status_code == 405


def test_someone_without_a_record_cannot_choose(outsider, login):
    client = Client()
    login(outsider, use_client=client)
    assert client.post("/members/me/birthday/", {"birthday_lunar": "1"}).status_code == 404


def test_the_office_sets_the_expected_retirement_date_and_lunar_birthday_in_the_admin(chair, login):
    member = MemberFactory()
    client = Client()
    login(chair, use_client=client)
    page = client.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    assert 'name="expected_retirement_on"' in page and 'name="birthday_lunar"' in page


def test_the_roster_import_reads_the_expected_retirement_date(chair):
    DepartmentFactory(name="办公室")
    row = person(0, union_group="")
    row["预计退休日期"] = "2027/09/01"
    report = roster.roster_apply(table=table([row, person(1, union_group="")]), actor=chair)
    assert report.written, report.errors
    imported = Member.objects.filter(card_number__startswith="C")
    dates = dict(imported.values_list("card_number", "expected_retirement_on"))
    assert dates == {"C0000": datetime.date(2027, 9, 1), "C0001": None}

    bad = person(2, union_group="")
    bad["预计退休日期"] = "明年"
    report = roster.roster_preview(table=table([bad]))
    assert report.errors and report.errors[0]["messages"][0]["column"] == "预计退休日期"
