from celery import shared_task

from .services import jobs_discard_stale_uploads


@shared_task(name="core.discard_stale_uploads", time_limit=600)
def discard_stale_uploads():
    return jobs_discard_stale_uploads()
