"""Interest groups: joining, leaving and rejoining; the leader's yearly plan (draft → submitted → approved, or returned
and resubmitted); the chair's decision in the admin; only the leader may see the members and write the plan."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from activities import interest
from activities.models import InterestGroup, InterestGroupMembership, InterestGroupPlan
from core.models import Notification
from members.models import MemberStatus
from tests.activities.factories import _english  # noqa: F401
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_site(settings):
    """These tests read page texts, messages and notification titles in English, whatever the catalogue says."""
    settings.LANGUAGE_CODE = "en"

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def leader(make_persona):
    return make_persona("photo-leader", Role.MEMBER)


@pytest.fixture
def group(leader):
    return InterestGroup.objects.create(name="摄影小组", description="周末外拍", leader=leader.member)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- joining and leaving ---------------------------------------------------------------------------------------

def test_it_joins_leaves_and_rejoins_keeping_the_history(group, member_user):
    member = member_user.member
    interest.interest_group_join(group=group, member=member, actor=member_user)
    with pytest.raises(ValidationError, match="You are already a member of “摄影小组”"):
        interest.interest_group_join(group=group, member=member, actor=member_user)
    left = interest.interest_group_leave(group=group, member=member, actor=member_user)
    assert left.left_at is not None
    with pytest.raises(ValidationError, match="You are not a member of “摄影小组”"):
        interest.interest_group_leave(group=group, member=member, actor=member_user)
    interest.interest_group_join(group=group, member=member, actor=member_user)
    rows = list(InterestGroupMembership.objects.filter(group=group, member=member).order_by("id")
                .values_list("left_at", flat=True))
    assert len(rows) == 2 and rows[0] is not None and rows[1] is None


def test_the_database_allows_one_open_membership_only(group, member_user):
    InterestGroupMembership.objects.create(group=group, member=member_user.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterestGroupMembership.objects.create(group=group, member=member_user.member)


def test_it_refuses_inactive_groups_people_off_the_roll_and_a_leaving_leader(group, leader, member_user):
    group.active = False
    group.save()
    with pytest.raises(ValidationError, match="not taking members"):
        interest.interest_group_join(group=group, member=member_user.member, actor=member_user)
    group.active = True
    group.save()
    retired_elsewhere = MemberFactory(status=MemberStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="Only members on the roll"):
        interest.interest_group_join(group=group, member=retired_elsewhere, actor=None)
    interest.interest_group_join(group=group, member=leader.member, actor=leader)
    with pytest.raises(ValidationError, match="cannot leave it"):
        interest.interest_group_leave(group=group, member=leader.member, actor=leader)


def test_a_member_joins_and_leaves_on_the_phone_pages(client, group, member_user):
    client.force_login(member_user)
    page = client.get(reverse("activities:interest_groups"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "摄影小组" in html and reverse("activities:interest_join", args=[group.pk]) in html
    assert 'name="viewport"' in html

    response = client.post(reverse("activities:interest_join", args=[group.pk]), follow=True)
    assert "You have joined “摄影小组”." in _messages(response)
    assert reverse("activities:interest_leave", args=[group.pk]) in response.content.decode()
    response = client.post(reverse("activities:interest_join", args=[group.pk]), follow=True)
    assert "You are already a member of “摄影小组”." in _messages(response)
    assert InterestGroupMembership.objects.filter(group=group, left_at__isnull=True).count() == 1

    response = client.post(reverse("activities:interest_leave", args=[group.pk]), follow=True)
    assert "You have left “摄影小组”." in _messages(response)
    assert InterestGroupMembership.objects.get(group=group).left_at is not None
    assert client.get(reverse("activities:interest_join", args=[group.pk])).status_code == 405


def test_people_without_a_member_record_get_no_group_pages(client, outsider, group):
    client.force_login(outsider)
    assert client.get(reverse("activities:interest_groups")).status_code == 404
    assert client.post(reverse("activities:interest_join", args=[group.pk])).status_code == 404


def test_the_group_list_costs_the_same_queries_for_3_or_30_groups(client, member_user):
    client.force_login(member_user)
    leaders = MemberFactory.create_batch(3)
    for index in range(3):
        InterestGroup.objects.create(name=f"小组{index}", leader=leaders[index])
    client.get(reverse("activities:interest_groups"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activities:interest_groups"))
    for index in range(3, 30):
        g = InterestGroup.objects.create(name=f"小组{index}", leader=MemberFactory())
        InterestGroupMembership.objects.create(group=g, member=member_user.member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("activities:interest_groups"))
    assert response.content.decode().count("class=\"card\" id=\"group-") == 30
    assert len(many) == len(few)


# --- the leader's page and plan --------------------------------------------------------------------------------

def test_only_the_leader_sees_the_members_and_the_plan(client, group, leader, member_user, chair):
    interest.interest_group_join(group=group, member=member_user.member, actor=member_user)
    lead_url = reverse("activities:interest_lead", args=[group.pk])
    plan_url = reverse("activities:interest_plan", args=[group.pk, THIS_YEAR])
    for someone in (member_user, chair):
        client.force_login(someone)
        assert client.get(lead_url).status_code == 404
        assert client.get(plan_url).status_code == 404
        assert client.post(plan_url, {"activities": "x", "budget": "1", "submit": "1"}).status_code == 404
    assert not InterestGroupPlan.objects.exists()
    with pytest.raises(PermissionDenied):
        interest.interest_plan_save(group=group, year=THIS_YEAR, activities="x", budget=1, actor=member_user)

    client.force_login(leader)
    page = client.get(lead_url).content.decode()
    assert member_user.member.name in page
    assert plan_url in page
    assert client.get(reverse("activities:interest_plan", args=[group.pk, THIS_YEAR + 5])).status_code == 404


def test_the_leader_saves_a_draft_then_submits(client, group, leader):
    client.force_login(leader)
    url = reverse("activities:interest_plan", args=[group.pk, THIS_YEAR])
    response = client.post(url, {"activities": "3月 樱花外拍\n10月 秋色外拍", "budget": "3000", "save": "1"})
    assert response.status_code == 302
    plan = InterestGroupPlan.objects.get(group=group, year=THIS_YEAR)
    assert (plan.status, plan.budget, plan.submitted_at) == ("draft", Decimal("3000.00"), None)

    client.post(url, {"activities": "3月 樱花外拍\n10月 秋色外拍\n12月 作品展", "budget": "3500.50", "submit": "1"})
    plan.refresh_from_db()
    assert (plan.status, plan.budget) == ("submitted", Decimal("3500.50")) and plan.submitted_at is not None
    assert "作品展" in plan.activities

    # Submitted: read-only for the leader until the chair decides.
    page = client.get(url).content.decode()
    assert 'name="activities"' not in page and "3500.50" in page
    client.post(url, {"activities": "改了", "budget": "1", "submit": "1"})
    plan.refresh_from_db()
    assert plan.budget == Decimal("3500.50")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        interest.interest_plan_save(group=group, year=THIS_YEAR, activities="改了", budget=1, actor=leader)


def test_the_budget_cannot_be_negative(client, group, leader):
    client.force_login(leader)
    url = reverse("activities:interest_plan", args=[group.pk, THIS_YEAR])
    response = client.post(url, {"activities": "外拍", "budget": "-1", "submit": "1"})
    assert response.status_code == 200 and response.context["form"].errors["budget"]
    assert not InterestGroupPlan.objects.exists()
    with pytest.raises(ValidationError, match="cannot be negative"):
        interest.interest_plan_save(group=group, year=THIS_YEAR, activities="外拍", budget=Decimal("-0.01"),
                                    actor=leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterestGroupPlan.objects.create(group=group, year=THIS_YEAR, activities="x", budget=Decimal("-5"))


# --- the chair's decision ----------------------------------------------------------------------------------------

def _submitted_plan(group, leader, budget="2000"):
    return interest.interest_plan_save(group=group, year=THIS_YEAR, activities="外拍四次", budget=budget,
                                       actor=leader, submit=True)


def _action(client, action, plans, **extra):
    return client.post(reverse("admin:activities_interestgroupplan_changelist"),
                       {"action": action, "_selected_action": [p.pk for p in plans], **extra})


def test_the_chair_returns_with_a_note_and_the_leader_resubmits(client, group, leader, chair):
    plan = _submitted_plan(group, leader)
    client.force_login(chair)

    response = _action(client, "return_plans", [plan])  # first: the page asking for the note
    assert response.status_code == 200 and "外拍四次" in response.content.decode()
    response = _action(client, "return_plans", [plan], decide="1", note="")
    assert response.status_code == 200 and response.context["form"].errors["note"]
    plan.refresh_from_db()
    assert plan.status == "submitted"

    response = _action(client, "return_plans", [plan], decide="1", note="请补充每次活动的预算明细")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.decision_note, plan.decided_by) == ("returned", "请补充每次活动的预算明细", chair)
    notice = Notification.objects.get(user=leader)
    assert "returned" in notice.title and notice.body == "请补充每次活动的预算明细"

    client.force_login(leader)
    url = reverse("activities:interest_plan", args=[group.pk, THIS_YEAR])
    page = client.get(url).content.decode()
    assert "请补充每次活动的预算明细" in page and 'name="activities"' in page
    client.post(url, {"activities": "外拍四次，每次500元", "budget": "2000", "submit": "1"})
    plan.refresh_from_db()
    assert plan.status == "submitted" and "每次500元" in plan.activities

    client.force_login(chair)
    _action(client, "approve_plans", [plan], decide="1", note="同意")
    plan.refresh_from_db()
    assert (plan.status, plan.decision_note) == ("approved", "同意")
    assert Notification.objects.filter(user=leader).count() == 2
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert 'badge ok">approved</span>' in page and "同意" in page and 'name="activities"' not in page


def test_only_submitted_plans_are_decided_and_only_by_the_chair(group, leader, chair, treasurer):
    plan = interest.interest_plan_save(group=group, year=THIS_YEAR, activities="外拍", budget="100", actor=leader)
    with pytest.raises(ValidationError, match="Only a submitted plan can be decided"):
        interest.interest_plan_approve(plan=plan, actor=chair)
    plan = interest.interest_plan_submit(plan=plan, actor=leader)
    with pytest.raises(PermissionDenied):
        interest.interest_plan_approve(plan=plan, actor=treasurer)
    with pytest.raises(ValidationError, match="Say why"):
        interest.interest_plan_return(plan=plan, actor=chair, note="  ")
    interest.interest_plan_approve(plan=plan, actor=chair)
    with pytest.raises(ValidationError):
        interest.interest_plan_return(plan=plan, actor=chair, note="晚了")
    with pytest.raises(ValidationError, match="only a draft or a returned plan can be submitted"):
        interest.interest_plan_submit(plan=plan, actor=leader)


def test_the_admin_lists_groups_with_member_counts(client, group, chair, member_user):
    interest.interest_group_join(group=group, member=member_user.member, actor=member_user)
    other = MemberFactory()
    interest.interest_group_join(group=group, member=other, actor=None)
    interest.interest_group_leave(group=group, member=other, actor=None)
    client.force_login(chair)
    response = client.get(reverse("admin:activities_interestgroup_changelist"))
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert (row.name, row.member_count, row.leader) == ("摄影小组", 1, group.leader)
    assert client.get(reverse("admin:activities_interestgroup_change", args=[group.pk])).status_code == 200
    _submitted_plan(group, group.leader.user)
    assert client.get(reverse("admin:activities_interestgroupplan_changelist")).status_code == 200


def test_it_tells_the_chair_a_plan_waits_for_a_decision(group, leader, chair, member_user):
    from core.models import Notification

    plan = interest.interest_plan_save(group=group, year=THIS_YEAR, activities="10月 秋色外拍", budget=800,
                                       actor=leader, submit=True)
    waiting = Notification.objects.get(user=chair)
    assert group.name in waiting.title and str(THIS_YEAR) in waiting.title
    assert waiting.url.endswith(f"/{plan.pk}/change/")
    assert not Notification.objects.filter(user=member_user).exists()
