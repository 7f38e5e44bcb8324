"""Housekeeping writes for background jobs."""

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import Job

#: Uploaded files of jobs nobody confirmed are deleted after this long (they hold personal data).
STALE_UPLOAD_AGE = datetime.timedelta(days=1)


def jobs_discard_stale_uploads(*, now=None):
    """Delete uploaded input files of finished jobs older than a day (e.g. a previewed roster that was never
    confirmed). Returns how many files were deleted. Safe to run twice: a cleared job is skipped."""
    now = now or timezone.now()
    stale = Job.objects.filter(created_at__lt=now - STALE_UPLOAD_AGE).exclude(input_file="").exclude(
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    deleted = 0
    for job in stale.iterator():
        name = job.input_file.name
        with transaction.atomic():
            # Claim by conditional update: a parallel run deletes each file once.
            if Job.objects.filter(pk=job.pk, input_file=name).update(input_file=""):
                job.input_file.storage.delete(name)
                deleted += 1
    return deleted


@shared_task(name="core.discard_stale_uploads", time_limit=600)
def discard_stale_uploads():
    """Nightly (beat): jobs_discard_stale_uploads."""
    return jobs_discard_stale_uploads()
