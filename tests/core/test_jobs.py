import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Job
from core.services import discard_stale_uploads, jobs_discard_stale_uploads

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _job(status, age_hours):
    job = Job.objects.create(kind="roster_import", status=status)
    job.input_file.save("roll.xlsx", ContentFile(b"data"))
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=age_hours))
    job.refresh_from_db()
    return job


def test_it_deletes_old_unconfirmed_uploads_once(media):
    old = _job(Job.Status.DONE, 30)
    fresh = _job(Job.Status.DONE, 2)
    running = _job(Job.Status.RUNNING, 30)
    path = old.input_file.path
    assert discard_stale_uploads() == 1
    old.refresh_from_db()
    assert old.input_file.name == ""
    assert not (media / path).exists()
    assert fresh.input_file.storage.exists(fresh.input_file.name)
    assert running.input_file.storage.exists(running.input_file.name)
    assert jobs_discard_stale_uploads() == 0


def test_it_is_scheduled_in_beat():
    task = PeriodicTask.objects.get(task="core.discard_stale_uploads")
    assert task.enabled and task.crontab.hour == "3"


def test_it_reports_progress_as_a_percentage():
    job = Job(progress_done=50, progress_total=200)
    assert job.percent == 25
    job.status = Job.Status.DONE
    assert job.percent == 100


def test_it_claims_a_job_once():
    job = Job.objects.create(kind="x")
    assert job.claim() is True
    assert Job.objects.get(pk=job.pk).claim() is False


def test_it_shows_progress_to_the_starter_and_the_chair_only(login, chair, treasurer):
    from django.test import Client

    job = Job.objects.create(kind="roster_import", created_by=treasurer, progress_done=3, progress_total=4)
    other = Job.objects.create(kind="roster_import", created_by=chair)
    as_treasurer = login(treasurer, use_client=Client())
    as_chair = login(chair, use_client=Client())
    assert as_treasurer.get(f"/jobs/{job.pk}/").json()["percent"] == 75
    assert as_chair.get(f"/jobs/{job.pk}/").status_code == 200
    assert as_treasurer.get(f"/jobs/{other.pk}/").status_code == 404
