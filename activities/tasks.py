"""Background work of the activities app, run by the Celery worker. Tasks take primary keys and call a service."""

from celery import shared_task


@shared_task(name="activities.workplan_pdf", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def workplan_pdf_task(job_id):
    """Render a work plan or year-end summary PDF (the kind is on the job). Claims the job, so a redelivery is a
    no-op."""
    from .workplan import workplan_pdf_job_run

    workplan_pdf_job_run(job_id=job_id)


@shared_task(name="activities.signin_sheet", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def signin_sheet_task(job_id):
    """Render a sign-in sheet PDF for a long registration list. A redelivery is a no-op (the job is claimed)."""
    from .exports import signin_sheet_job_run

    signin_sheet_job_run(job_id=job_id)
