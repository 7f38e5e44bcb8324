"""The console's home: tasks per role (counts, only what the role may use), flat query count, grouped navigation."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.models import InterestGroup, InterestGroupPlan
from core import admin_nav
from core.workbench import tasks_for
from finance.models import OverBudgetApproval
from members.models import Member, MemberStatus
from tests.console.helpers import console_member
from welfare.models import CareReport, CaseState, HardshipCase, Occasion

pytestmark = pytest.mark.django_db

ALL_TASKS = {"members.applications", "care.open_reports", "hardship.notices_ending", "hardship.reviews_due",
             "finance.dues_import", "finance.spending", "finance.vouchers", "finance.over_budget",
             "activities.plans", "core.reminders_failed", "tracker.overdue", "tracker.talks_due"}
HARDSHIP_TASKS = {"hardship.notices_ending", "hardship.reviews_due"}


def _tiles(html):
    return dict(re.findall(r'data-task="([\w.]+)">\s*<a href="[^"]*"><span class="wb-count">(\d+)</span>', html))


def test_it_shows_the_chair_every_task_with_its_count(console):
    response = console("chair").get("/admin/")
    assert response.status_code == 200
    tiles = _tiles(response.content.decode())
    # Posting spending and importing the deduction list are the treasurer's work, not the chair's.
    assert set(tiles) == ALL_TASKS - {"finance.spending", "finance.dues_import"}
    today = timezone.localdate()
    assert int(tiles["members.applications"]) == Member.objects.with_status(MemberStatus.APPLICANT).count()
    assert int(tiles["care.open_reports"]) == CareReport.objects.filter(status=CareReport.Status.OPEN).count()
    assert int(tiles["hardship.reviews_due"]) == HardshipCase.objects.filter(
        state=CaseState.APPROVED, review_due_on__lte=today).count()
    assert int(tiles["activities.plans"]) == InterestGroupPlan.objects.filter(status="submitted").count()
    # The demo's second training course, held for the chair's confirmation (finance.books.demo)
    held = OverBudgetApproval.objects.pending()  # the study trip the chair declined is no task
    assert int(tiles["finance.over_budget"]) == held.count() == 1


def test_it_counts_a_new_application(console):
    before = {t["key"]: t["count"] for t in tasks_for(User.objects.get(username="chair"))}
    console_member(status=MemberStatus.APPLICANT)
    after = {t["key"]: t["count"] for t in tasks_for(User.objects.get(username="chair"))}
    assert after["members.applications"] == before["members.applications"] + 1


@pytest.mark.parametrize("username, present, absent", [
    ("treasurer", {"finance.spending", "finance.dues_import"}, HARDSHIP_TASKS | {"members.applications"}),
    ("welfare", {"care.open_reports"} | HARDSHIP_TASKS, {"finance.vouchers", "finance.spending"}),
    ("auditor", set(), HARDSHIP_TASKS | {"finance.spending", "members.applications", "finance.over_budget"}),
])
def test_it_shows_each_role_only_what_it_may_use(console, username, present, absent):
    user = User.objects.get(username=username)
    tiles = _tiles(console(username).get("/admin/").content.decode())
    assert present <= set(tiles)
    assert not absent & set(tiles)
    for key in tiles:  # every tile the page shows, the role holds the task's permission for
        from core.workbench import _TASKS
        assert user.has_perm(_TASKS[key].permission)


def test_the_hardship_chart_is_for_case_handlers_only(console):
    assert 'data-chart="hardship.stages"' in console("welfare").get("/admin/").content.decode()
    assert 'data-chart="hardship.stages"' not in console("treasurer").get("/admin/").content.decode()
    assert 'data-chart="hardship.stages"' not in console("auditor").get("/admin/").content.decode()


def test_members_and_outsiders_do_not_get_the_console(console):
    response = console("member").get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_data(console):
    client = console("chair")
    _queries(client)  # warm caches (content types, permissions)
    before = _queries(client)
    group, occasion = InterestGroup.objects.first(), Occasion.objects.first()
    chair = User.objects.get(username="chair")
    for i in range(15):
        console_member(status=MemberStatus.APPLICANT)
        CareReport.objects.create(member=console_member(), occasion=occasion, date=timezone.localdate(),
                                  note=f"n{i}", reported_by=chair)
        InterestGroupPlan.objects.create(group=group, year=2000 + i, activities="x", budget="100.00",
                                         status="submitted")
    assert _queries(client) == before


def test_the_sidebar_is_grouped_by_task(console):
    html = console("chair").get("/admin/members/member/").content.decode()
    captions = re.findall(r'<a href="#group-(\w+)" class="section"', html)
    assert captions == ["members", "activities", "care", "hardship", "funds", "audit", "democracy", "notices", "settings"]
    treasurer = console("treasurer").get("/admin/finance/voucher/").content.decode()
    assert "#group-hardship" not in treasurer  # nothing of hardship aid the treasurer may open


def test_every_admin_model_is_placed_in_a_group():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered - set(admin_nav.MODEL_GROUPS) == set()
    assert set(admin_nav.MODEL_GROUPS.values()) <= {code for code, _name in admin_nav.GROUPS}


def test_unlisted_models_fall_under_settings():
    app_list = [{"app_label": "thirdparty", "models": [{"object_name": "Thing", "name": "通知"}]}]
    assert [(g["app_label"], [m["name"] for m in g["models"]]) for g in admin_nav.grouped(app_list)] == [
        ("group-settings", ["通知"])]
