"""Background work of the member roll, run by the Celery worker."""

from celery import shared_task

from . import roster


@shared_task(name="members.roster_import", soft_time_limit=25 * 60, time_limit=30 * 60, ignore_result=True)
def roster_import_task(job_id):
    """Preview or apply a roster import (the phase is on the job). Claims the job, so a redelivery is a no-op."""
    roster.roster_job_run(job_id=job_id)
