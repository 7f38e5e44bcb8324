"""Who may take part: the roll, retirees, women members, chosen groups or departments — each refusal with its why."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from activities import eligibility
from activities.eligibility import activities_open_to, eligibility_refusal, members_eligible_for
from activities.models import Audience
from activities.registration import registration_create
from members.models import MemberStatus
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory

from .factories import ActivityFactory, _english  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_lets_an_active_member_join_an_activity_for_all():
    assert eligibility_refusal(activity=ActivityFactory(), member=MemberFactory()) is None


@pytest.mark.parametrize("status", [MemberStatus.APPLICANT, MemberStatus.TRANSFERRED_OUT, MemberStatus.WITHDRAWN,
                                    MemberStatus.EXPELLED, MemberStatus.DECEASED, MemberStatus.REJECTED])
def test_it_refuses_people_not_on_the_roll(status):
    refusal = eligibility_refusal(activity=ActivityFactory(), member=MemberFactory(status=status))
    assert refusal.code == eligibility.NOT_ON_ROLL
    assert refusal.message == "Only members on the roll may register."


def test_it_refuses_a_login_without_a_member_record():
    assert eligibility_refusal(activity=ActivityFactory(), member=None).code == eligibility.NOT_ON_ROLL


def test_it_refuses_retirees_unless_the_activity_includes_them():
    retiree = MemberFactory(status=MemberStatus.RETIRED)
    refusal = eligibility_refusal(activity=ActivityFactory(retirees_included=False), member=retiree)
    assert refusal.code == eligibility.RETIREES_EXCLUDED
    assert refusal.message == "Retired members are not included in this activity."
    assert eligibility_refusal(activity=ActivityFactory(retirees_included=True), member=retiree) is None


def test_it_keeps_womens_activities_for_women():
    activity = ActivityFactory(audience=Audience.WOMEN)
    assert eligibility_refusal(activity=activity, member=MemberFactory(male=False)) is None
    refusal = eligibility_refusal(activity=activity, member=MemberFactory(male=True))
    assert refusal.code == eligibility.WOMEN_ONLY
    assert refusal.message == "This activity is for women members."


def test_it_treats_an_unknown_sex_as_not_a_woman_member():
    member = MemberFactory(sex="", id_number=None)
    assert eligibility_refusal(activity=ActivityFactory(audience=Audience.WOMEN), member=member).code == \
        eligibility.WOMEN_ONLY


def test_it_names_the_chosen_groups_when_refusing():
    office, finance = UnionGroupFactory(name="办公室小组"), UnionGroupFactory(name="财务人事小组")
    activity = ActivityFactory(audience=Audience.CHOSEN, union_groups=[office, finance])
    assert eligibility_refusal(activity=activity, member=MemberFactory(union_group=finance)) is None
    refusal = eligibility_refusal(activity=activity, member=MemberFactory(union_group=UnionGroupFactory()))
    assert refusal.code == eligibility.NOT_IN_CHOSEN
    assert refusal.message == "This activity is for the groups 办公室小组、财务人事小组."


def test_it_admits_members_of_a_chosen_department():
    department = DepartmentFactory(name="办公室")
    activity = ActivityFactory(audience=Audience.CHOSEN, departments=[department])
    assert eligibility_refusal(activity=activity, member=MemberFactory(department=department)) is None
    refusal = eligibility_refusal(activity=activity, member=MemberFactory(department=DepartmentFactory()))
    assert refusal.message == "This activity is for the departments 办公室."


def test_it_names_groups_and_departments_together():
    activity = ActivityFactory(audience=Audience.CHOSEN, union_groups=[UnionGroupFactory(name="一组")],
                               departments=[DepartmentFactory(name="二处")])
    refusal = eligibility_refusal(activity=activity, member=MemberFactory())
    assert refusal.message == "This activity is for the groups 一组 and the departments 二处."


def test_it_checks_the_roll_before_the_audience():
    """A retired man asking for a women's activity that excludes retirees hears about retirement first."""
    activity = ActivityFactory(audience=Audience.WOMEN, retirees_included=False)
    refusal = eligibility_refusal(activity=activity, member=MemberFactory(status=MemberStatus.RETIRED))
    assert refusal.code == eligibility.RETIREES_EXCLUDED


@pytest.mark.parametrize("member_kwargs, activity_kwargs, code", [
    ({"status": MemberStatus.WITHDRAWN}, {}, eligibility.NOT_ON_ROLL),
    ({"status": MemberStatus.RETIRED}, {}, eligibility.RETIREES_EXCLUDED),
    ({"male": True}, {"audience": Audience.WOMEN}, eligibility.WOMEN_ONLY),
    ({}, {"audience": Audience.CHOSEN, "departments": "other"}, eligibility.NOT_IN_CHOSEN),
])
def test_it_refuses_registration_with_the_reason_as_the_error_code(member_kwargs, activity_kwargs, code):
    if activity_kwargs.get("departments") == "other":
        activity_kwargs = {**activity_kwargs, "departments": [DepartmentFactory()]}
    member = MemberFactory(**member_kwargs)
    with pytest.raises(ValidationError) as error:
        registration_create(activity=ActivityFactory(**activity_kwargs), member=member, answers={}, actor=None)
    assert error.value.code == code
    assert code in eligibility.NOT_ELIGIBLE_CODES


def test_the_list_query_agrees_with_the_rule_for_every_combination():
    group, other_group = UnionGroupFactory(), UnionGroupFactory()
    department = DepartmentFactory()
    members = [
        MemberFactory(male=male, status=status, union_group=union_group, department=dept)
        for male, status, union_group, dept in itertools.product(
            [True, False], [MemberStatus.ACTIVE, MemberStatus.RETIRED, MemberStatus.WITHDRAWN],
            [group, other_group, None], [department, DepartmentFactory()])
    ]
    activities = [
        ActivityFactory(audience=audience, retirees_included=retirees, union_groups=groups, departments=depts)
        for audience, retirees, (groups, depts) in itertools.product(
            Audience.values, [True, False], [([group], []), ([], [department]), ([group], [department]), ([], [])])
    ]
    for member in members:
        expected = {a.pk for a in activities if eligibility_refusal(activity=a, member=member) is None}
        assert set(activities_open_to(member).values_list("pk", flat=True)) == expected, member
    assert activities_open_to(None).count() == 0
    for activity in activities:
        expected = {m.pk for m in members if eligibility_refusal(activity=activity, member=m) is None}
        assert set(members_eligible_for(activity).filter(pk__in=[m.pk for m in members])
                   .values_list("pk", flat=True)) == expected, activity
