"""Member pickers in the admin are searchable and tell namesakes apart: 彭倩 · 办公室 · 尾号0242."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.admin import ActivityAdmin
from activities.admin_interest import InterestGroupAdmin
from members.models import Department
from tests.console.helpers import console_member

pytestmark = pytest.mark.django_db

URL = "/admin/autocomplete/?app_label=activities&model_name=activity&field_name=organiser&term=彭倩"


def test_namesakes_are_told_apart_by_department_and_a_masked_hint(console):
    office = Department.objects.create(name="测试办公室")
    finance = Department.objects.create(name="测试财务处")
    console_member(name="彭倩", department=office, phone="13800000242")
    console_member(name="彭倩", department=finance, phone="13900001111")
    texts = sorted(r["text"] for r in console("chair").get(URL).json()["results"] if "测试" in r["text"])
    assert texts == ["彭倩 · 测试办公室 · 尾号0242", "彭倩 · 测试财务处 · 尾号1111"]
    assert all("13800000242" not in t for t in texts)  # never the full number


def test_the_picker_makes_the_same_queries_for_many_results(console):
    client = console("chair")
    console_member(name="彭倩")
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(8):
        console_member(name="彭倩", department=Department.objects.create(name=f"处{_}"))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(one)


def test_member_choices_in_admin_forms_are_searchable():
    assert "organiser" in ActivityAdmin.autocomplete_fields
    assert "leader" in InterestGroupAdmin.autocomplete_fields


@pytest.mark.parametrize(("who", "page"), [("welfare", "/welfare/cases/new/"), ("chair", "/voice/tracker/manage/record/"),
                                           ("welfare", "/welfare/visits/new/")])
def test_member_choices_on_portal_forms_tell_namesakes_apart_in_a_fixed_number_of_queries(console, who, page):
    """The portal's own forms (a confidential hardship case, a 谈心 record, a visit) label members as the admin's
    picker does, never with the full number, and read the departments in the same query."""
    client = console(who)
    office = Department.objects.create(name="测试办公室")
    console_member(name="彭倩", department=office, phone="13800000242")
    assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    for i in range(8):
        console_member(name="彭倩", department=Department.objects.create(name=f"测试处{i}"), phone=f"1390000111{i}")
    with CaptureQueriesContext(connection) as many:
        text = client.get(page).content.decode()
    assert "彭倩 · 测试办公室 · 尾号0242" in text and "彭倩 · 测试处3 · 尾号1113" in text
    assert "13800000242" not in text
    assert len(many) == len(one)
