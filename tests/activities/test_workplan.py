"""The annual work plan: forward-only states with who and when, copying last year's plan, and the content lock
after the committee's approval (services and the chair's admin pages)."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import workplan
from activities.models import WorkPlan, WorkPlanItem, WorkPlanSection
from tests.activities.factories import ActivityFactory, _english  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_site(settings):
    """These tests read page texts, messages and notification titles in English, whatever the catalogue says."""
    settings.LANGUAGE_CODE = "en"


def make_plan(year=2027, *, sections=2, items=2, state=WorkPlan.State.DRAFT):
    plan = WorkPlan.objects.create(year=year, title=f"示范机关工会{year}年工作计划", state=state,
                                   guiding=f"{year}年，工会坚持以职工为中心。")
    for s in range(1, sections + 1):
        section = WorkPlanSection.objects.create(plan=plan, number=s, title=f"第{s}部分工作")
        for i in range(1, items + 1):
            WorkPlanItem.objects.create(section=section, number=i, text=f"任务{s}-{i}", owner=f"责任人{s}{i}",
                                        deadline=f"{i + 2}月")
    return plan


@pytest.fixture
def chair_client(client, chair):
    client.force_login(chair)
    return client


# --- state machine ---------------------------------------------------------------------------------------------

def test_it_moves_forward_with_who_and_when(chair):
    plan = make_plan()
    workplan.workplan_approve(plan=plan, actor=chair)
    plan.refresh_from_db()
    assert plan.state == WorkPlan.State.APPROVED and plan.approved_at is not None
    workplan.workplan_publish(plan=plan, actor=chair)
    plan.refresh_from_db()
    assert plan.state == WorkPlan.State.PUBLISHED and plan.published_at >= plan.approved_at
    entries = LogEntry.objects.get_for_object(plan).filter(action=LogEntry.Action.UPDATE).order_by("id")
    assert [(e.actor, e.additional_data["action"], e.changes_dict["state"][1]) for e in entries] == [
        (chair, "activities.workplan.approved", "approved"),
        (chair, "activities.workplan.published", "published"),
    ]
    assert [action for action, actor, _at in workplan.workplan_state_history(plan)] == [
        "activities.workplan.approved", "activities.workplan.published"]


def test_it_never_goes_back_or_skips_the_committee(chair):
    plan = make_plan()
    with pytest.raises(ValidationError, match="Only a plan approved by the committee can be published"):
        workplan.workplan_publish(plan=plan, actor=chair)
    workplan.workplan_approve(plan=plan, actor=chair)
    with pytest.raises(ValidationError, match="Only a draft plan can be approved"):
        workplan.workplan_approve(plan=plan, actor=chair)
    workplan.workplan_publish(plan=plan, actor=chair)
    for step in (workplan.workplan_approve, workplan.workplan_publish):
        with pytest.raises(ValidationError):
            step(plan=plan, actor=chair)
    plan.refresh_from_db()
    assert plan.state == WorkPlan.State.PUBLISHED


def test_it_refuses_to_approve_a_plan_without_items(chair):
    plan = WorkPlan.objects.create(year=2027, title="空计划")
    with pytest.raises(ValidationError, match="without any items"):
        workplan.workplan_approve(plan=plan, actor=chair)


def test_it_numbers_sections_in_chinese():
    assert [workplan.cn_numeral(n) for n in (1, 2, 9, 10, 11, 19, 20, 21, 99)] == [
        "一", "二", "九", "十", "十一", "十九", "二十", "二十一", "九十九"]


# --- copy from last year ---------------------------------------------------------------------------------------

def test_it_starts_next_years_plan_from_this_one(chair):
    plan = make_plan(2026, sections=3, items=2)
    workplan.workplan_approve(plan=plan, actor=chair)
    first = WorkPlanItem.objects.filter(section__plan=plan).first()
    first.status = WorkPlanItem.Status.DONE
    first.save()
    first.activities.add(ActivityFactory())
    plan.summary_text = "2026年总结"
    plan.save()

    new_plan = workplan.workplan_copy_to_next_year(plan=plan, actor=chair)

    assert (new_plan.year, new_plan.title, new_plan.state) == (2027, "示范机关工会2027年工作计划", "draft")
    assert new_plan.guiding == plan.guiding and new_plan.summary_text == ""
    old = list(WorkPlanItem.objects.filter(section__plan=plan).values_list(
        "section__number", "section__title", "number", "text", "owner", "deadline"))
    new = list(WorkPlanItem.objects.filter(section__plan=new_plan).values_list(
        "section__number", "section__title", "number", "text", "owner", "deadline"))
    assert new == old and len(new) == 6
    assert set(WorkPlanItem.objects.filter(section__plan=new_plan).values_list("status", flat=True)) == {"planned"}
    assert not WorkPlanItem.activities.through.objects.filter(workplanitem__section__plan=new_plan).exists()
    # Last year's plan is untouched.
    first.refresh_from_db()
    assert first.status == "done" and first.activities.count() == 1
    entry = LogEntry.objects.get_for_object(new_plan).get(action=LogEntry.Action.CREATE)
    assert entry.actor == chair and entry.additional_data["copied_from"] == plan.pk


def test_it_refuses_to_copy_into_a_year_that_has_a_plan(chair):
    plan = make_plan(2026)
    WorkPlan.objects.create(year=2027, title="已有的2027年计划")
    with pytest.raises(ValidationError, match="A work plan for 2027 already exists: “已有的2027年计划”"):
        workplan.workplan_copy_to_next_year(plan=plan, actor=chair)
    assert WorkPlan.objects.count() == 2


def test_it_copies_with_the_admin_action_and_refuses_a_second_time(chair_client):
    plan = make_plan(2026)
    url = reverse("admin:activities_workplan_changelist")
    response = chair_client.post(url, {"action": "copy_to_next_year", "_selected_action": [plan.pk]})
    new_plan = WorkPlan.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:activities_workplan_change", args=[new_plan.pk])
    response = chair_client.post(url, {"action": "copy_to_next_year", "_selected_action": [plan.pk]}, follow=True)
    assert "A work plan for 2027 already exists" in response.content.decode()
    assert WorkPlan.objects.filter(year=2027).count() == 1


# --- the content lock ------------------------------------------------------------------------------------------

def test_it_refuses_content_changes_once_approved(chair):
    plan = make_plan()
    workplan.workplan_check_content_editable(plan=plan, lock=True)  # a draft: fine
    workplan.workplan_approve(plan=plan, actor=chair)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        workplan.workplan_check_content_editable(plan=plan, lock=True)


def test_it_keeps_item_status_updates_open_after_publishing(chair):
    plan = make_plan()
    workplan.workplan_approve(plan=plan, actor=chair)
    workplan.workplan_publish(plan=plan, actor=chair)
    item = WorkPlanItem.objects.filter(section__plan=plan).first()
    workplan.workplan_item_set_status(item=item, status=WorkPlanItem.Status.DONE, actor=chair)
    item.refresh_from_db()
    assert item.status == "done"
    assert LogEntry.objects.get_for_object(item).latest("id").actor == chair


def test_the_admin_refuses_an_item_edit_after_approval_with_the_reason(chair_client, chair):
    """The item was opened while the plan was a draft; the committee approved it before the save."""
    plan = make_plan()
    item = WorkPlanItem.objects.filter(section__plan=plan).first()
    url = reverse("admin:activities_workplanitem_change", args=[item.pk])
    assert chair_client.get(url).status_code == 200
    workplan.workplan_approve(plan=plan, actor=chair)
    response = chair_client.post(url, {"section": item.section_id, "number": item.number, "text": "改过的任务",
                                       "owner": "别人", "deadline": "12月", "status": "planned"})
    assert response.status_code == 200
    assert "has been approved by the committee; its content" in response.content.decode()
    item.refresh_from_db()
    assert (item.text, item.owner) == ("任务1-1", "责任人11")


def test_the_admin_shows_an_approved_plans_content_read_only_but_takes_status(chair_client, chair):
    plan = make_plan()
    workplan.workplan_approve(plan=plan, actor=chair)
    section = plan.sections.get(number=1)
    item = section.items.get(number=1)

    page = chair_client.get(reverse("admin:activities_workplansection_change", args=[section.pk])).content.decode()
    assert 'name="items-0-text"' not in page and 'name="items-0-status"' in page
    assert "can no longer be changed" in page

    items = list(section.items.order_by("number"))
    data = {"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(items):
        data.update({f"items-{index}-id": row.pk, f"items-{index}-section": section.pk,
                     f"items-{index}-status": "done" if index == 0 else "in_progress"})
    data.update({"items-2-text": "偷偷加的任务", "items-2-number": "3", "items-2-owner": "x", "items-2-deadline": "x",
                 "items-2-section": section.pk, "items-2-status": "planned"})  # a hand-made extra row is ignored
    response = chair_client.post(reverse("admin:activities_workplansection_change", args=[section.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.status == "done" and item.text == "任务1-1"
    assert section.items.count() == 2

    # The plan page: title and guiding are read-only, the year-end text is editable.
    page = chair_client.get(reverse("admin:activities_workplan_change", args=[plan.pk])).content.decode()
    assert 'name="title"' not in page and 'name="summary_text"' in page


def test_the_admin_refuses_a_new_section_on_an_approved_plan(chair_client, chair):
    plan = make_plan()
    workplan.workplan_approve(plan=plan, actor=chair)
    response = chair_client.post(reverse("admin:activities_workplansection_add"),
                                 {"plan": plan.pk, "number": 9, "title": "新加的部分", "items-TOTAL_FORMS": "0",
                                  "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
                                  "items-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 200
    assert not plan.sections.filter(number=9).exists()


def test_the_admin_edits_a_draft_with_sections_and_items(chair_client):
    plan = make_plan(sections=1, items=1)
    section = plan.sections.get()
    url = reverse("admin:activities_workplansection_change", args=[section.pk])
    assert chair_client.get(url).status_code == 200
    item = section.items.get()
    data = {"plan": plan.pk, "number": 1, "title": "丰富职工文体生活", "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "1", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
            "items-0-id": item.pk, "items-0-section": section.pk, "items-0-number": 1, "items-0-text": "组织春游",
            "items-0-owner": "文体委员", "items-0-deadline": "4月", "items-0-status": "planned",
            "items-1-section": section.pk, "items-1-number": 2, "items-1-text": "组织秋游", "items-1-owner": "文体委员",
            "items-1-deadline": "10月", "items-1-status": "planned"}
    response = chair_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(section.items.values_list("text", "deadline")) == [("组织春游", "4月"), ("组织秋游", "10月")]
    section.refresh_from_db()
    assert section.title == "丰富职工文体生活"


def test_the_admin_approves_and_publishes_through_confirmation_pages(chair_client, chair):
    plan = make_plan()
    approve = reverse("admin:activities_workplan_approve", args=[plan.pk])
    assert "content (guiding paragraph" in chair_client.get(approve).content.decode()
    assert chair_client.post(approve).status_code == 302
    plan.refresh_from_db()
    assert plan.state == "approved"
    response = chair_client.post(approve, follow=True)
    assert "Only a draft plan can be approved" in response.content.decode()
    chair_client.post(reverse("admin:activities_workplan_publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == "published"
    assert not chair_client.get(reverse("admin:activities_workplan_delete", args=[plan.pk])).status_code == 200


def test_the_admin_pages_open_for_the_chair_and_not_for_members(chair_client, client, member_user):
    plan = make_plan()
    section = plan.sections.first()
    urls = [reverse("admin:activities_workplan_changelist"), reverse("admin:activities_workplan_add"),
            reverse("admin:activities_workplan_change", args=[plan.pk]),
            reverse("admin:activities_workplansection_change", args=[section.pk]),
            reverse("admin:activities_workplanitem_changelist") + f"?section__plan__id__exact={plan.pk}",
            reverse("admin:activities_workplanitem_change", args=[section.items.first().pk])]
    for url in urls:
        assert chair_client.get(url).status_code == 200, url
    add_page = chair_client.get(urls[1]).content.decode()
    assert "年工作计划" in add_page
    client.force_login(member_user)
    for url in urls:
        assert client.get(url).status_code == 302, url  # non-staff: to the admin login
