"""The sign-in sheet (签到表, issue §1): a PDF with the title, union name, activity, date and place, a table 序号 /
姓名 / 部门 / 签名, page numbers and an embedded CJK font; small lists inline, large ones through a background job
with progress."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation

from activities import exports
from activities.models import Registration
from core.models import Job
from tests.factories import DepartmentFactory, MemberFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_pages, pdf_text

from .factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def outing():
    starts = timezone.make_aware(datetime.datetime(2026, 10, 17, 8, 30))
    activity = ActivityFactory(title="金秋登山健步走", place="香山公园东门", starts_at=starts,
                               ends_at=starts + datetime.timedelta(hours=7),
                               registration_opens_at=starts - datetime.timedelta(days=20),
                               registration_closes_at=starts - datetime.timedelta(days=3))
    office, finance = DepartmentFactory(name="办公室"), DepartmentFactory(name="财务处")
    for name, department in [("张三明", office), ("李四", finance), ("王五", office)]:
        RegistrationFactory(activity=activity, member=MemberFactory(name=name, department=department))
    RegistrationFactory(activity=activity, member=MemberFactory(name="候补甲"), status=Registration.Status.WAITLISTED)
    RegistrationFactory(activity=activity, member=MemberFactory(name="退出乙"), status=Registration.Status.CANCELLED)
    return activity


def test_it_prints_the_sheet_with_a_cjk_font_and_the_names(outing):
    with translation.override("zh-hans"):
        filename, mimetype, data = exports.signin_sheet_pdf(outing)
    assert mimetype == "application/pdf" and filename.endswith(".pdf") and "金秋登山健步走" in filename
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    for expected in ("金秋登山健步走", settings.UNION_NAME, "香山公园东门", "张三明", "李四", "王五", "办公室", "财务处"):
        assert expected in text, expected
    assert "候补甲" not in text and "退出乙" not in text  # only people with a seat sign
    assert "2026" in text


def test_it_has_the_columns_and_page_numbers(outing):
    with translation.override("en"):
        _filename, _mimetype, data = exports.signin_sheet_pdf(outing)
    text = pdf_text(data)
    for header in ("Sign-in sheet", "No.", "Name", "Department", "Signature"):
        assert header in text, header
    assert "第1页/共1页" in text.replace(" ", "")


def test_it_downloads_inline_for_a_short_list(client, login, chair, outing):
    login(chair)
    response = client.get(f"/admin/activities/activity/{outing.pk}/signin-sheet/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "张三明" in pdf_text(response.content)
    assert not Job.objects.exists()


def test_a_long_list_runs_as_a_job_with_progress(client, login, chair, settings, media,
                                                django_capture_on_commit_callbacks):
    settings.SIGNIN_SHEET_SYNC_MAX_ROWS = 30
    activity = ActivityFactory(title="职工运动会", capacity=None)
    department = DepartmentFactory(name="综合处")
    names = [f"会员{n:03d}" for n in range(60)]
    for name in names:
        RegistrationFactory(activity=activity, member=MemberFactory(name=name, department=department))
    login(chair)
    url = f"/admin/activities/activity/{activity.pk}/signin-sheet/"
    page = client.get(url)
    assert page.status_code == 200 and b"signin-start" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind=exports.SIGNIN_JOB_KIND)
    assert response["Location"] == f"{url}{job.pk}/"
    # Tests run tasks eagerly; the job was queued at commit and has run by now.
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.progress_done == job.progress_total == 60 + exports.SIGNIN_BLANK_ROWS
    status = client.get(f"/jobs/{job.pk}/").json()
    assert status["finished"] and status["percent"] == 100
    assert b"pdf-download" in client.get(response["Location"]).content
    download = client.get(f"{url}{job.pk}/download/")
    data = b"".join(download.streaming_content)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert all(name in text for name in (names[0], names[-1]))
    pages = pdf_pages(data)
    assert pages >= 3 and f"第{pages}页/共{pages}页" in text.replace(" ", "")


def test_the_job_reports_progress_page_by_page(chair):
    activity = ActivityFactory()
    for _ in range(70):
        RegistrationFactory(activity=activity)
    seen = []
    exports.signin_sheet_pdf(activity, pages=seen.append)
    assert seen[:3] == [1, 2, 3]


def test_the_job_runs_once_and_only_for_its_starter(client, login, chair, make_persona, outing,
                                                   django_capture_on_commit_callbacks):
    from accounts.models import Role

    with django_capture_on_commit_callbacks(execute=True):
        job = exports.signin_sheet_job_start(activity=outing, actor=chair)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    finished_at = job.finished_at
    exports.signin_sheet_job_run(job_id=job.pk)  # delivered twice: the claim makes it a no-op
    job.refresh_from_db()
    assert job.finished_at == finished_at
    other_chair = make_persona("vicechair", Role.CHAIR)
    login(other_chair)
    assert client.get(f"/admin/activities/activity/{outing.pk}/signin-sheet/{job.pk}/").status_code == 404
    assert client.get(f"/admin/activities/activity/{outing.pk}/signin-sheet/{job.pk}/download/").status_code == 404


def test_a_title_with_quotes_does_not_break_the_running_header(outing):
    outing.title = '"职工"之家\\开放日'
    outing.save()
    _filename, _mimetype, data = exports.signin_sheet_pdf(outing)
    assert "职工" in pdf_text(data)
