"""Background work of dues, run by the Celery worker (registered through ``finance.tasks``)."""

from celery import shared_task

from . import services


@shared_task(name="finance.dues_import", soft_time_limit=25 * 60, time_limit=30 * 60, ignore_result=True)
def dues_import_task(job_id):
    """Check or post a deduction list (the phase is on the job). Claims the job, so a redelivery is a no-op."""
    services.dues_job_run(job_id=job_id)

