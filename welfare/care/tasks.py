"""Background work of care: the sign-for sheet PDF. Takes the job's primary key; a redelivery is a no-op."""

from celery import shared_task


@shared_task(name="welfare.care_sign_sheet", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def sign_sheet_task(job_id):
    from .sheet import sign_sheet_job_run

    sign_sheet_job_run(job_id=job_id)
