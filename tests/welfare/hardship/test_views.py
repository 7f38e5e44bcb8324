"""The case handler's pages as a person uses them: the forms rendered, filled in and submitted."""

import re

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import MemberFactory
from welfare.models import CaseState, HardshipCase, HardshipLevel

from .helpers import TODAY, approved_case, poverty_line

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_a_welfare_officer_opens_a_case_from_the_new_case_form(login, welfare_officer):
    client = login(welfare_officer, use_client=Client())
    member = MemberFactory(name="赵六一")
    line = poverty_line()
    page = client.get("/welfare/cases/new/")
    assert page.status_code == 200
    # The application date is pre-filled with today's date in the one format <input type="date"> accepts.
    assert re.search(rf'name="applied_on" value="{TODAY().isoformat()}"', page.content.decode())

    response = client.post("/welfare/cases/new/", {
        "member": member.pk, "applied_on": TODAY().isoformat(), "household_income": "30000",
        "unavoidable_costs": "6000", "household_size": "3", "poverty_line": line.pk, "level": HardshipLevel.DEEP,
        "level_reason": "", "cause_text": "大病住院",
    })

    case = HardshipCase.objects.get(member=member)
    assert response.status_code == 302 and response["Location"] == f"/welfare/cases/{case.pk}/"
    assert case.state == "applied" and case.poverty_line == line and case.household_size == 3


def test_the_yearly_review_form_continues_a_case(login, welfare_officer):
    """The review step's form used to pass line= to case_review: HTTP 500 on every submit (found by the walk)."""
    client = login(welfare_officer, use_client=Client())
    case = approved_case(welfare_officer)
    line = poverty_line()
    page = client.get(f"/welfare/cases/{case.pk}/step/review/")
    assert page.status_code == 200

    response = client.post(f"/welfare/cases/{case.pk}/step/review/", {
        "reviewed_on": TODAY().isoformat(), "household_income": "30000", "unavoidable_costs": "6000",
        "household_size": "3", "poverty_line": line.pk, "level": HardshipLevel.DEEP, "level_reason": "",
        "decision": "continue", "close_reason": "", "note": "复核属实",
    })

    assert response.status_code == 302 and response["Location"] == f"/welfare/cases/{case.pk}/"
    assert case.steps.filter(step="review").count() == 1


def test_a_closed_case_says_closed_the_way_the_case_pages_do():
    """The state badge of a closed case read 已关闭 (the catalogue's generic "closed") beside "该档案已结案" and the
    step 结案 (found by the welfare officer's browser journey)."""
    with translation.override("zh-hans"):
        assert str(CaseState.CLOSED.label) == "已结案"
    with translation.override("en"):
        assert str(CaseState.CLOSED.label) == "closed"
