import re

import pytest

from members.models import Member, MemberStatus
from tests.factories import DepartmentFactory, MemberFactory, valid_id_number

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {"name": "林晓", "id_number": valid_id_number(sex="F"), "phone": "13700001111",
            "department": DepartmentFactory().pk, "position": "科员", "statement": "愿意加入工会", "agree": "on"}
    data.update(changes)
    return data


def test_it_accepts_an_application_and_waits_for_approval(client):
    data = _form(id_number=" " + valid_id_number(sex="F").lower() + " ", phone="１３７００００１１１１")
    response = client.post("/members/apply/", data)
    assert response.status_code == 302
    member = Member.objects.get(name="林晓")
    assert member.status == MemberStatus.APPLICANT and member.joined_on is None
    assert member.phone == "13700001111"
    event = member.events.get()
    assert (event.kind, event.reason, event.actor_label) == ("apply", "愿意加入工会", "web:application")


def test_it_explains_a_bad_id_number(client):
    response = client.post("/members/apply/", _form(id_number="110101198503121230"))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Member.objects.filter(name="林晓").exists()


def test_it_does_not_reveal_who_is_on_the_roll(client):
    existing = MemberFactory()
    response = client.post("/members/apply/", _form(id_number=existing.id_number))
    # The same redirect as a new application (tests/members/test_birth_date_privacy.py compares the bytes).
    assert (response.status_code, response["Location"]) == (302, "/members/apply/done/")
    assert existing.name not in client.get(response["Location"]).content.decode()
    assert Member.objects.filter(id_number=existing.id_number).count() == 1


def test_it_requires_accepting_the_constitution(client):
    data = _form()
    del data["agree"]
    response = client.post("/members/apply/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["agree"]


def test_it_limits_applications_from_one_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "membership_application": "2/h/ip"}
    for _ in range(2):
        assert client.post("/members/apply/", _form(id_number=valid_id_number(sex="F"))).status_code == 302
    response = client.post("/members/apply/", _form(id_number=valid_id_number(sex="F")))
    assert response.status_code == 429
    assert Member.objects.filter(name="林晓").count() == 2


def test_a_form_with_mistakes_does_not_use_up_the_allowance(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "membership_application": "1/h/ip"}
    for _ in range(3):
        assert client.post("/members/apply/", _form(id_number="110101198503121230")).status_code == 200
    assert client.post("/members/apply/", _form()).status_code == 302


def test_the_form_lets_a_person_type_numbers_the_way_they_write_them(client):
    """A phone's browser stops typing at the input's maxlength: "139 1234 5678" (13 characters) was cut to
    "139 1234 56" and then refused as not 11 digits (found by the outsider's browser journey)."""
    page = client.get("/members/apply/").content.decode()
    phone_max = int(re.search(r'name="phone"[^>]*maxlength="(\d+)"', page).group(1))
    id_max = int(re.search(r'name="id_number"[^>]*maxlength="(\d+)"', page).group(1))
    assert phone_max >= len("+86 139-1234-5678") and id_max >= len("110101 19850312 123X")
    id_number = valid_id_number(sex="F")
    spaced = f"{id_number[:6]} {id_number[6:14]} {id_number[14:]}"
    response = client.post("/members/apply/", _form(id_number=spaced, phone="+86 139-1234-5678"))
    assert response.status_code == 302
    member = Member.objects.get(name="林晓")
    assert (member.phone, member.id_number) == ("13912345678", id_number)
