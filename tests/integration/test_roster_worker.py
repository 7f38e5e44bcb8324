"""A large roster import runs on a real Celery worker over Redis, with progress, and writes once."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from benchmarks.members import generate_roster_rows, roster_rows_to_xlsx
from core.models import Job
from members import roster
from members.models import Member, MembershipEvent
from tests.factories import DepartmentFactory, UnionGroupFactory

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _upload(rows):
    data = roster_rows_to_xlsx(rows)
    return SimpleUploadedFile("roll.xlsx", data), roster.read_roster_file(io.BytesIO(data), "roll.xlsx")


def _finished(job):
    job.refresh_from_db()
    return job if job.is_finished else None


def test_it_previews_and_imports_on_the_worker(celery_worker_process, chair, settings):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 50
    department = DepartmentFactory(name="信息中心")
    UnionGroupFactory(name="信息中心小组", department=department)
    rows = generate_roster_rows(600, departments=["信息中心"], groups=["信息中心小组"], seed=11)
    upload, table = _upload(rows)

    preview = roster.roster_import_start(upload=upload, table=table, actor=chair)
    assert preview.status == Job.Status.QUEUED  # handed to the worker, not run in this process
    wait_for(lambda: _finished(preview), timeout=120, message="the preview job")
    assert preview.status == Job.Status.DONE, preview.message
    assert preview.result["totals"]["new"] == 600 and preview.percent == 100
    assert not Member.objects.filter(department=department).exists()  # a preview writes nothing

    apply_job, started = roster.roster_import_confirm(preview_job=preview, actor=chair)
    assert started
    wait_for(lambda: _finished(apply_job), timeout=120, message="the import job")
    assert apply_job.status == Job.Status.DONE, apply_job.message
    assert Member.objects.filter(department=department).count() == 600
    assert MembershipEvent.objects.filter(member__department=department, kind="enroll").count() == 600
    entries = LogEntry.objects.filter(content_type__model="member", action=LogEntry.Action.CREATE,
                                      additional_data__via="task:roster_import")
    assert entries.count() == 600
    assert set(entries.values_list("actor", flat=True)) == {chair.pk}


def test_it_runs_a_job_delivered_twice_only_once(celery_worker_process, chair, settings):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 5
    DepartmentFactory(name="办公室")
    rows = generate_roster_rows(20, departments=["办公室"], seed=12)
    upload, table = _upload(rows)
    preview = roster.roster_import_start(upload=upload, table=table, actor=chair)
    wait_for(lambda: _finished(preview), timeout=60, message="the preview job")
    apply_job, _ = roster.roster_import_confirm(preview_job=preview, actor=chair)
    roster.roster_import_task.delay(apply_job.pk)  # a duplicate delivery
    wait_for(lambda: _finished(apply_job), timeout=60, message="the import job")
    wait_for(lambda: not Job.objects.filter(status=Job.Status.RUNNING).exists(), timeout=30, message="idle worker")
    assert Member.objects.filter(department__name="办公室").count() == 20
    assert MembershipEvent.objects.filter(member__department__name="办公室").count() == 20
