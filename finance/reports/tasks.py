"""Background rendering of report documents, run by the Celery worker. Tasks take primary keys."""

from celery import shared_task


@shared_task(name="finance.report_document", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def report_document_task(job_id):
    """Render a report document (PDF or .xlsx). Claims the job, so a redelivery is a no-op."""
    from .jobs import report_job_run

    report_job_run(job_id=job_id)
