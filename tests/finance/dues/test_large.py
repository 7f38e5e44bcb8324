"""A deduction list of 2,000 rows goes through the worker path (a Celery task, eager here) with progress, and its
queries do not grow with its length."""

import datetime
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.finance import benchmark_dues_import
from core.models import Job
from finance.dues import services
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.models import DuesImport, DuesRecord, Voucher
from members.idcard import make_id_number
from members.models import Member, MemberStatus

pytestmark = pytest.mark.django_db

ROWS = 2000


@pytest.fixture
def big_roll(db):
    birth = datetime.date(1980, 1, 1)
    Member.objects.bulk_create(
        Member(name=f"会员{i}", id_number=make_id_number(f"{110101 + i // 500:06d}", birth, (i % 500) * 2 + 1),
               card_number=f"B{i:05d}", status=MemberStatus.ACTIVE, status_since=datetime.date(2010, 1, 1),
               joined_on=datetime.date(2010, 1, 1), dues_base=Decimal("3000.00") + i)
        for i in range(ROWS))


def test_a_list_of_2000_rows_is_checked_on_the_worker_and_posted(big_roll, treasurer, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SYNC_MAX_ROWS", 300)
    rows = deduction_rows(year=2026, month=9)
    assert len(rows) == ROWS
    data = deduction_list_xlsx(rows)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True) as queued:
        job = services.dues_import_start(data=data, filename="big.xlsx", year=2026, month=9,
                                         received_on=datetime.date(2026, 10, 12), actor=treasurer)
    preview_seconds = time.perf_counter() - started
    assert len(queued) == 1  # handed to the worker, not run in the request
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress_done == ROWS and job.result["has_errors"] is False
    assert len(queries) < 40, len(queries)  # progress every 200 rows + a fixed handful, not one per row
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        apply_job, _ = services.dues_import_confirm(preview_job=job, actor=treasurer)
    post_seconds = time.perf_counter() - started
    apply_job.refresh_from_db()
    assert apply_job.result["posted"] is True, apply_job.message
    assert Voucher.objects.count() == 1 and DuesRecord.objects.filter(paid__gt=0).count() == ROWS
    assert DuesImport.objects.get().total_paid == sum((Decimal(str(r["代扣金额"])) for r in rows), Decimal("0"))
    print(f"\n2,000-row deduction list: check {preview_seconds:.2f} s ({len(queries)} queries), "
          f"post {post_seconds:.2f} s ({connection.vendor})")


def test_the_benchmark_hook_checks_and_posts(treasurer):
    figures = benchmark_dues_import(actor=treasurer, year=2026, month=9, rows=50)
    assert set(figures) == {"preview_seconds", "preview_queries", "apply_seconds", "apply_queries"}
    assert DuesImport.objects.get().rows == 50
    assert not Job.objects.exclude(input_file="").exists()  # the posting deleted the file
