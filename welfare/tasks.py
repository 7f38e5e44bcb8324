"""Welfare's background work: the daily reminder job (scheduled by beat) and the retry of a failed channel."""

import datetime
import logging

from celery import shared_task
from django.conf import settings

from core import reminder_engine

from .care.tasks import sign_sheet_task  # noqa: F401  (Celery finds tasks in <app>.tasks)

logger = logging.getLogger(__name__)


def _queue_retries(failed, *, queue=None):
    """One retry task per failed channel, so a robot that is down never holds back the portal or email.

    Queued on the queue the job itself came from (a worker consuming a dedicated queue gets its retries).
    """
    for channel, ids in failed.items():
        logger.warning("reminders: %d deliveries on %s failed; retrying", len(ids), channel)
        deliver_reminders.apply_async((ids,), countdown=settings.REMINDER_RETRY_BACKOFF, queue=queue)


@shared_task(bind=True, name="welfare.send_reminders", time_limit=20 * 60, soft_time_limit=18 * 60)
def send_reminders(self, today=None):
    """The daily reminder job. `today` (ISO date) is for tests and catching up by hand; beat passes nothing."""
    run, failed = reminder_engine.reminders_run(
        today=datetime.date.fromisoformat(today) if today else None)
    _queue_retries(failed, queue=(self.request.delivery_info or {}).get("routing_key"))
    return {"run": run.pk, "status": run.status, "claimed": run.claimed, "delivered": run.delivered,
            "failed": run.failed}


@shared_task(bind=True, name="welfare.deliver_reminders", time_limit=10 * 60, soft_time_limit=9 * 60, max_retries=None)
def deliver_reminders(self, dispatch_ids):
    """Retry one channel's failed deliveries with exponential backoff; after the last try the next daily run
    picks them up again (they stay 'failed' in the ledger with the error)."""
    again = reminder_engine.reminders_retry(ids=dispatch_ids)
    if self.request.is_eager:  # eager (tests, dev without a broker): nothing can hold a countdown, retry at once
        for _ in range(settings.REMINDER_MAX_RETRIES):
            if again:
                again = reminder_engine.reminders_retry(ids=again)
        return {"retried": len(dispatch_ids), "still_failing": len(again)}
    if again and self.request.retries < settings.REMINDER_MAX_RETRIES:
        raise self.retry(args=(again,), countdown=settings.REMINDER_RETRY_BACKOFF * 2 ** (self.request.retries + 1))
    return {"retried": len(dispatch_ids), "still_failing": len(again)}
