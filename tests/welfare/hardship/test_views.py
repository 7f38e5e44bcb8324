"""The case handler's pages as a person uses them: the forms rendered, filled in and submitted."""

import re

import pytest
from django.test import Client

from tests.factories import MemberFactory
from welfare.models import HardshipCase, HardshipLevel

from .helpers import TODAY, poverty_line

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
