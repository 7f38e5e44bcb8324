"""The work plan and year-end summary PDFs: a CJK font embedded (pdffonts), the expected text (pdftotext), page
numbers, the summary's figures from seeded registrations, and the background job the admin buttons go through."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activities import workplan
from activities.demo import DEMO_SECTIONS
from activities.models import Activity, Registration, WorkPlan, WorkPlanItem, WorkPlanSection
from benchmarks.activities import benchmark_workplan_pdf
from core.models import Job
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import MemberFactory, UserFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def plan_with_demo_sections(year, sections=8, items_per_section=6):
    plan = WorkPlan.objects.create(year=year, title=f"{settings.UNION_NAME}{year}年工作计划",
                                   guiding="坚持以职工为中心的工作导向，围绕中心、服务大局，团结动员广大会员建功立业。")
    for s in range(sections):
        title, demo = DEMO_SECTIONS[s % len(DEMO_SECTIONS)]
        section = WorkPlanSection.objects.create(plan=plan, number=s + 1, title=title)
        for i in range(items_per_section):
            text, owner, deadline = demo[i % len(demo)]
            WorkPlanItem.objects.create(section=section, number=i + 1, text=f"{text}（第{i + 1}项）",
                                        owner=f"{owner}{s + 1}", deadline=deadline)
    return plan


def held_activity(title, month, **kwargs):
    starts = timezone.make_aware(datetime.datetime(LAST_YEAR, month, 12, 9, 0))
    return ActivityFactory(title=title, starts_at=starts, registration_opens_at=starts - datetime.timedelta(days=20),
                           registration_closes_at=starts - datetime.timedelta(days=2), capacity=None, **kwargs)


def register(activity, members, checked_in):
    for index, member in enumerate(members):
        RegistrationFactory(activity=activity, member=member,
                            checked_in_at=activity.starts_at if index < checked_in else None)


@pytest.fixture
def seeded_year():
    """Three activities linked to the plan with 10/8/5 registrations and 9/8/2 check-ins; noise around them."""
    plan = WorkPlan.objects.create(year=LAST_YEAR, title=f"示范机关工会{LAST_YEAR}年工作计划", guiding="总体要求。",
                                   summary_text=f"{LAST_YEAR}年，在上级工会的指导下，工会各项工作取得新进展。")
    culture = WorkPlanSection.objects.create(plan=plan, number=1, title="丰富职工文体生活")
    care = WorkPlanSection.objects.create(plan=plan, number=2, title="做好女职工工作")
    spring = WorkPlanItem.objects.create(section=culture, number=1, text="组织春游", owner="文体委员", deadline="4月",
                                         status="done")
    autumn = WorkPlanItem.objects.create(section=culture, number=2, text="组织秋游", owner="文体委员",
                                         deadline="10月", status="done")
    WorkPlanItem.objects.create(section=culture, number=3, text="组建合唱团", owner="工会办公室", deadline="全年",
                                status="in_progress")
    womens_day = WorkPlanItem.objects.create(section=care, number=1, text="三八节活动", owner="女职工委员会",
                                             deadline="3月", status="done")
    WorkPlanItem.objects.create(section=care, number=2, text="女职工健康讲座", owner="女职工委员会",
                                deadline="6月", status="not_done")
    members = MemberFactory.create_batch(10)
    walk = held_activity("春季健步走", 4)
    hike = held_activity("秋季登山", 10)
    talk = held_activity("三八节插花", 3)
    register(walk, members, 9)
    register(hike, members[:8], 8)
    register(talk, members[:5], 2)
    # Not counted: a waitlisted and a cancelled registration, a cancelled activity, one still ahead.
    late = MemberFactory.create_batch(2)
    RegistrationFactory(activity=walk, member=late[0], status=Registration.Status.WAITLISTED)
    RegistrationFactory(activity=walk, member=late[1], status=Registration.Status.CANCELLED)
    cancelled = held_activity("取消的活动", 5, state=Activity.State.CANCELLED)
    register(cancelled, members[:3], 0)
    ahead = ActivityFactory(title="还没举办的活动")
    spring.activities.add(walk, ahead)
    autumn.activities.add(hike, walk)  # linked twice within the section: counted once
    womens_day.activities.add(talk, cancelled)
    held_activity("未列入计划的读书会", 7)  # held, nobody registered
    return plan


# --- the plan --------------------------------------------------------------------------------------------------

def test_it_prints_the_plan_with_an_embedded_cjk_font_and_page_numbers():
    plan = plan_with_demo_sections(2027, sections=8, items_per_section=6)
    filename, mimetype, data = workplan.workplan_pdf(plan)
    assert (filename, mimetype) == (f"{settings.UNION_NAME}2027年工作计划.pdf", "application/pdf")
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    pages = pdf_pages(data)
    assert pages >= 2
    assert f"{settings.UNION_NAME}2027年工作计划" in text
    assert "坚持以职工为中心的工作导向" in text
    for number, (title, items) in zip("一二三四五六七八", DEMO_SECTIONS):
        assert f"{number}、{title}" in text
    assert "工会办公室1" in text and "经费审查委员会7" in text  # owners, as typed
    for deadline in ("7–8月", "次年一季度", "每季度末"):
        assert deadline in text
    numbers = re.findall(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页", text)
    assert numbers == [(str(page), str(pages)) for page in range(1, pages + 1)]


def test_it_marks_a_draft_and_dates_an_approved_plan(chair):
    plan = plan_with_demo_sections(2027, sections=1, items_per_section=1)
    with translation.override("en"):
        assert "Draft — not yet approved by the committee" in pdf_text(workplan.workplan_pdf(plan)[2])
        workplan.workplan_approve(plan=plan, actor=chair)
        text = pdf_text(workplan.workplan_pdf(plan)[2])
    assert f"Approved by the union committee on {timezone.localdate().isoformat()}" in text
    assert "Draft" not in text


# --- the year-end summary --------------------------------------------------------------------------------------

def test_it_fills_the_summary_from_the_records(seeded_year):
    summary = workplan.year_summary(seeded_year)
    culture, care = summary.sections
    assert [i.text for i in culture.items_done] == ["组织春游", "组织秋游"]
    assert [i.text for i in culture.items_open] == ["组建合唱团"]
    assert [i.text for i in care.items_open] == ["女职工健康讲座"]
    rows = [(a.title, a.figures.registered, a.figures.checked_in, a.figures.rate_display) for a in culture.activities]
    assert rows == [("春季健步走", 10, 9, "90.0%"), ("秋季登山", 8, 8, "100.0%")]
    assert (culture.figures.registered, culture.figures.checked_in, culture.figures.rate_display) == (18, 17, "94.4%")
    assert [(a.title, a.figures.rate_display) for a in care.activities] == [("三八节插花", "40.0%")]
    assert [(a.title, a.figures.rate_display) for a in summary.unlinked_activities] == [("未列入计划的读书会", "—")]
    assert (summary.items_total, summary.items_done, summary.items_open) == (5, 3, 2)
    assert summary.activities_held == 4
    assert (summary.figures.registered, summary.figures.checked_in, summary.figures.rate_display) == (23, 19, "82.6%")
    assert summary.participants == 9  # distinct members checked in at least once


def test_it_prints_the_summary_with_the_chairs_words_and_the_rates(seeded_year):
    filename, _mimetype, data = workplan.year_summary_pdf(seeded_year)
    assert filename == f"示范机关工会{LAST_YEAR}年工作总结.pdf"
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert f"示范机关工会{LAST_YEAR}年工作总结" in text
    assert "工会各项工作取得新进展" in text
    for expected in ("一、丰富职工文体生活", "二、做好女职工工作", "组建合唱团", "女职工健康讲座", "春季健步走", "秋季登山",
                     "三八节插花", "未列入计划的读书会", "90.0%", "100.0%", "40.0%", "94.4%", "82.6%"):
        assert expected in text, expected
    for absent in ("取消的活动", "还没举办的活动"):
        assert absent not in text
    assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", text)


def test_it_summarises_in_a_constant_number_of_queries(seeded_year):
    with CaptureQueriesContext(connection) as small:
        workplan.year_summary(seeded_year)
    section = seeded_year.sections.get(number=1)
    members = MemberFactory.create_batch(12)
    for number in range(4, 24):
        item = WorkPlanItem.objects.create(section=section, number=number, text=f"任务{number}", owner="x",
                                           deadline="全年")
        activity = held_activity(f"活动{number}", 1 + number % 12)
        register(activity, members[: number % 12 + 1], number % 5)
        item.activities.add(activity)
    with CaptureQueriesContext(connection) as large:
        summary = workplan.year_summary(seeded_year)
    assert summary.activities_held == 24
    assert len(large) == len(small) <= 8


# --- the background job ------------------------------------------------------------------------------------------

def test_the_admin_button_runs_the_job_and_offers_the_download(client, chair, treasurer, member_user,
                                                              django_capture_on_commit_callbacks):
    plan = plan_with_demo_sections(2027, sections=2, items_per_section=3)
    client.force_login(chair)
    change_page = client.get(reverse("admin:activities_workplan_change", args=[plan.pk])).content.decode()
    for kind in ("workplan_pdf", "year_summary_pdf"):
        assert reverse("admin:activities_workplan_pdf", args=[plan.pk, kind]) in change_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:activities_workplan_pdf", args=[plan.pk, "workplan_pdf"]))
    job = Job.objects.get(kind="workplan_pdf")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:activities_workplan_pdf_job", args=[job.pk])
    assert (job.status, job.created_by, job.params["plan"], job.percent) == ("done", chair, plan.pk, 100)
    assert job.output_file.name and job.result["filename"].endswith("2027年工作计划.pdf")

    progress = client.get(reverse("core:job_status", args=[job.pk])).json()
    assert progress["finished"] is True and progress["percent"] == 100
    page = client.get(response["Location"]).content.decode()
    download_url = reverse("admin:activities_workplan_pdf_download", args=[job.pk])
    assert download_url in page

    download = client.get(download_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert_cjk_font_embedded(data)
    assert f"{settings.UNION_NAME}2027年工作计划" in pdf_text(data)

    client.force_login(treasurer)  # staff who may view work plans
    download = client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # read to the end: the client then closes it
    client.force_login(UserFactory(username="staff-without-plans", is_staff=True))
    assert client.get(download_url).status_code == 404
    client.force_login(member_user)
    assert client.get(download_url).status_code == 302  # not staff: to the admin login


def test_the_summary_button_runs_its_own_job(client, chair, seeded_year, django_capture_on_commit_callbacks):
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:activities_workplan_pdf", args=[seeded_year.pk, "year_summary_pdf"]))
    job = Job.objects.get(kind="year_summary_pdf")
    assert job.status == "done"
    with job.output_file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "82.6%" in text and "工会各项工作取得新进展" in text


def test_the_job_page_shows_progress_while_it_runs(client, chair):
    plan = plan_with_demo_sections(2027, sections=1, items_per_section=1)
    client.force_login(chair)
    response = client.post(reverse("admin:activities_workplan_pdf", args=[plan.pk, "workplan_pdf"]))
    job = Job.objects.get()
    assert job.status == "queued"  # handed to the worker after commit (never, inside this test's transaction)
    page = client.get(response["Location"]).content.decode()
    assert "data-job-progress" in page and reverse("core:job_status", args=[job.pk]) in page
    assert client.get(reverse("admin:activities_workplan_pdf_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:activities_workplan_pdf", args=[plan.pk, "workplan_pdf"])).status_code == 405


def test_a_job_runs_once_and_fails_cleanly_when_the_plan_is_gone(chair):
    plan = plan_with_demo_sections(2027, sections=1, items_per_section=1)
    job = workplan.workplan_pdf_start(plan=plan, kind=workplan.JOB_KIND_PLAN, actor=chair)
    workplan.workplan_pdf_job_run(job_id=job.pk)
    job.refresh_from_db()
    name = job.output_file.name
    workplan.workplan_pdf_job_run(job_id=job.pk)  # redelivered: the claim fails, nothing is rendered again
    job.refresh_from_db()
    assert job.output_file.name == name and job.status == "done"

    orphan = workplan.workplan_pdf_start(plan=plan, kind=workplan.JOB_KIND_SUMMARY, actor=chair)
    plan.delete()
    workplan.workplan_pdf_job_run(job_id=orphan.pk)
    orphan.refresh_from_db()
    assert orphan.status == "failed" and orphan.message


def test_the_benchmark_helper_measures_and_leaves_nothing_behind():
    seconds = benchmark_workplan_pdf(sections=2, items_per_section=2)
    assert 0 < seconds < 60
    assert not WorkPlan.objects.exists()


def test_the_auditor_reads_the_plan_but_starts_no_pdf_job(client, auditor):
    """The auditor changes nothing: a job is a write (a Job row and a file)."""
    plan = plan_with_demo_sections(2027, sections=1, items_per_section=1)
    client.force_login(auditor)
    assert client.get(reverse("admin:activities_workplan_change", args=[plan.pk])).status_code == 200
    response = client.post(reverse("admin:activities_workplan_pdf", args=[plan.pk, "workplan_pdf"]))
    assert response.status_code == 403 and not Job.objects.exists()
