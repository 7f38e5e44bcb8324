"""The admin side of care: the chair edits the policy (rules are data), others only look; visits, reports and
distributions are read-only for everyone; copying a policy to the next year; the demo builds through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from members.demo import build_demo_union
from tests.factories import MemberFactory
from welfare.care.demo import DEMO_YEAR, build_demo_care
from welfare.care.services import policy_copy_to_year, visit_record
from welfare.models import BenefitPolicy, GiftForm, OccasionRule, Visit

from .factories import YEAR, D, day, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]



ADMIN_MATRIX = [
    # page, chair, treasurer, auditor, welfare, leader, member
    ("/admin/welfare/benefitpolicy/", 200, 200, 200, 200, 403, 403),
    ("/admin/welfare/benefitpolicy/{policy}/change/", 200, 200, 200, 200, 403, 403),
    ("/admin/welfare/benefitpolicy/add/", 200, 403, 403, 403, 403, 403),
    ("/admin/welfare/occasion/", 200, 200, 200, 200, 403, 403),
    ("/admin/welfare/visit/", 200, 200, 200, 200, 403, 403),
    ("/admin/welfare/visit/{visit}/change/", 200, 200, 200, 200, 403, 403),
    ("/admin/welfare/visit/add/", 403, 403, 403, 403, 403, 403),
    ("/admin/welfare/carereport/", 200, 403, 403, 200, 403, 403),
    ("/admin/welfare/distribution/", 200, 200, 200, 200, 403, 403),
]
PERSONAS = ["chair", "treasurer", "auditor", "welfare_officer", "group_leader", "member_user"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_pages_per_persona(request, login, persona, policy, welfare_officer):
    user = request.getfixturevalue(persona)
    visit = visit_record(member=MemberFactory(), occasion=occasion("hospital"), date=day(3, 1), form=GiftForm.CASH,
                         amount=D("100"), actor=welfare_officer)
    client = login(user, use_client=Client())
    column = PERSONAS.index(persona)
    for page, *expected in ADMIN_MATRIX:
        url = page.format(policy=policy.pk, visit=visit.pk)
        response = client.get(url)
        status = 403 if response.status_code == 302 and "/login/" in response["Location"] else response.status_code
        assert status == expected[column], (url, persona, response.status_code)


def test_only_the_chair_changes_the_policy_and_recorded_visits_keep_their_figures(login, chair, welfare_officer,
                                                                                  policy):
    visit = visit_record(member=MemberFactory(), occasion=occasion("birthday"), date=day(3, 1),
                         form=GiftForm.GOODS, amount=D("300"), actor=welfare_officer)
    data = {"year": YEAR, "region": policy.region, "name": policy.name, "in_use": "on", "holiday_yearly_cap": "2000",
            "notes": "", "rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0", "_save": "Save"}
    client = login(welfare_officer, use_client=Client())
    assert client.post(f"/admin/welfare/benefitpolicy/{policy.pk}/change/", data).status_code == 403
    client = login(chair, use_client=Client())
    response = client.post(f"/admin/welfare/benefitpolicy/{policy.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    policy.refresh_from_db()
    assert policy.holiday_yearly_cap == D("2000.00")
    OccasionRule.objects.filter(policy=policy, occasion__code="birthday").update(cap_per_event=D("50"))
    visit.refresh_from_db()
    assert visit.checked_cap_per_event == D("300.00") and visit.amount == D("300.00")


def test_copying_a_policy_to_the_next_year(policy, chair):
    copy = policy_copy_to_year(policy=policy, year=YEAR + 1, actor=chair)
    assert copy.in_use and copy.rules.count() == policy.rules.count()
    assert copy.rules.get(occasion__code="spring_festival").cap_per_year == D("500.00")

    with pytest.raises(ValidationError, match="already a 2031 policy"):
        policy_copy_to_year(policy=policy, year=YEAR + 1, actor=chair)


def test_the_copy_action_in_the_admin(login, chair, policy):
    client = login(chair, use_client=Client())
    asked = client.post("/admin/welfare/benefitpolicy/", {"action": "copy_to_next_year",
                                                           "_selected_action": [policy.pk]})
    assert asked.status_code == 200 and "1 policy will be copied" in asked.content.decode()
    assert not BenefitPolicy.objects.filter(year=YEAR + 1, region=policy.region).exists()
    response = client.post("/admin/welfare/benefitpolicy/", {"action": "copy_to_next_year",
                                                              "_selected_action": [policy.pk], "confirmed": "yes"})
    assert response.status_code == 302
    assert BenefitPolicy.objects.filter(year=YEAR + 1, region=policy.region).exists()


def test_the_sample_policy_is_seeded_for_this_year_and_next_and_labelled(db):
    year = timezone.localdate().year
    for y in (year, year + 1):
        sample = BenefitPolicy.objects.get(year=y, in_use=True)
        assert sample.name.startswith("示例：") and "请按本省文件修改" in sample.name
        assert sample.holiday_yearly_cap == D("1500.00")
        birthday = sample.rules.get(occasion__code="birthday")
        assert (birthday.cap_per_event, birthday.allow_cash, birthday.account.code) == (D("300.00"), False, "50105")
        assert sample.rules.get(occasion__code="hospital").allow_cash


def test_the_demo_builds_through_the_services_and_is_rerunnable(db):
    build_demo_union(member_count=30)
    build_demo_care()
    count = Visit.objects.count()
    assert count > 20 and Visit.objects.filter(year=DEMO_YEAR, occasion__code="mid_autumn").exists()
    build_demo_care()
    assert Visit.objects.count() == count
