"""The work plan PDF button hands the job to a real Celery worker over Redis; the page polls it and then offers the
file, which has a CJK font embedded."""

import pytest
from django.urls import reverse

from activities.models import WorkPlan, WorkPlanItem, WorkPlanSection
from core.models import Job
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _finished(job):
    job.refresh_from_db()
    return job if job.is_finished else None


def test_the_plan_pdf_is_rendered_by_the_worker(celery_worker_process, client, chair):
    plan = WorkPlan.objects.create(year=2031, title="示范机关工会2031年工作计划", guiding="总体要求。")
    section = WorkPlanSection.objects.create(plan=plan, number=1, title="丰富职工文体生活")
    WorkPlanItem.objects.create(section=section, number=1, text="组织春游", owner="文体委员", deadline="4月")
    client.force_login(chair)

    response = client.post(reverse("admin:activities_workplan_pdf", args=[plan.pk, "workplan_pdf"]))
    job = Job.objects.get(kind="workplan_pdf")
    page = client.get(response["Location"]).content.decode()
    if not _finished(job):
        assert "data-job-progress" in page  # the page polls /jobs/<pk>/ while the worker renders
    wait_for(lambda: _finished(job), timeout=120, message="the PDF job")
    assert job.status == Job.Status.DONE, job.message
    assert client.get(reverse("core:job_status", args=[job.pk])).json()["finished"] is True

    download_url = reverse("admin:activities_workplan_pdf_download", args=[job.pk])
    assert download_url in client.get(response["Location"]).content.decode()
    data = b"".join(client.get(download_url).streaming_content)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert "示范机关工会2031年工作计划" in text and "一、丰富职工文体生活" in text and "文体委员" in text
