"""A report asked for on the portal is rendered by a real Celery worker over Redis (the report task is found by
the worker although it lives in finance/reports/jobs.py); the page polls the job, then offers the kept file."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Job
from finance.books import services
from finance.books.services import LineInput
from finance.models import ReportDocument
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _finished(job):
    job.refresh_from_db()
    return job if job.is_finished else None


def test_the_trial_balance_is_rendered_by_the_worker(celery_worker_process, client, auditor, treasurer):
    voucher = services.voucher_create(date=datetime.date(2025, 5, 4), summary="会费", actor=treasurer, lines=[
        LineInput("102", debit=Decimal("321.09")), LineInput("401", credit=Decimal("321.09"))])
    services.voucher_post(voucher=voucher, actor=treasurer)
    client.force_login(auditor)
    response = client.post(reverse("finance:report_start"), {
        "kind": "trial_balance", "fmt": "pdf", "date_from": "2025-01-01", "date_to": "2025-12-31"})
    document = ReportDocument.objects.get()
    assert response["Location"] == reverse("finance:report_document", args=[document.pk])
    page = client.get(response["Location"]).content.decode()
    if not _finished(document.job):
        assert "data-job-progress" in page
    job = wait_for(lambda: _finished(document.job), timeout=120, message="the report job")
    assert job.status == Job.Status.DONE, job.message
    response = client.get(reverse("finance:report_download", args=[document.pk]))
    data = b"".join(response.streaming_content)
    assert_cjk_font_embedded(data)
    assert "321.09" in pdf_text(data)
