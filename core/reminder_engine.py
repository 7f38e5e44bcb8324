"""The daily reminder job: ask every collector (core.reminders) what is due, deliver each reminder once.

Exactly once: the ledger (ReminderDelivery) has one row per (recipient, key) under a unique constraint. A
run inserts its reminders with insert-or-ignore and goes on only with the rows its own insert created, so
running twice, a redelivered task or two workers at once never tell anyone twice. Each claimed reminder
gets one row per channel (ReminderDispatch), and whoever flips a channel row from waiting to sending with
one conditional UPDATE delivers it (healthchecks style).

Never missing: a run covers the days after the last run that finished (with one day of overlap, so a
subject that became due late on that day is still found), so days lost to a stopped worker are covered by
the next run. A run whose collectors failed does not count as finished. Channel rows left waiting or
failed — by a crash half-way, a mail server that was down, a robot that answered 500 — are picked up by
the next run and retried on their own in between (welfare.deliver_reminders), each channel independently.

The cost is a fixed number of queries however large the roll: collectors query in bulk, the ledger and
channel rows are inserted in one statement each, and outcomes are written per channel and error.
"""

import datetime
import logging
import uuid
from collections import defaultdict
from itertools import groupby

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import channels
from .models import ReminderDelivery, ReminderDispatch, ReminderRun, ReminderSettings, WorkChatWebhook
from .reminders import COLLECTORS

logger = logging.getLogger(__name__)

#: Days re-covered from the last finished run (the ledger drops what was already sent).
OVERLAP_DAYS = 1
#: A channel row claimed longer ago than this by a worker that died is claimed again.
STALE_CLAIM = datetime.timedelta(minutes=30)
#: A channel that still fails this long after the reminder was claimed is left as failed (shown in the admin).
GIVE_UP_AFTER = datetime.timedelta(days=7)
#: Reminder kinds about confidential subjects (hardship cases): never posted to a work-chat group robot, where
#: everyone in the group reads them. Areas add their kinds when they register the collector; portal and email
#: still carry them (to the recipient alone).
GROUP_CHAT_EXCLUDED_KINDS: set[str] = set()


def role_user_ids(*role_codes):
    """Active users holding any of the roles (one query)."""
    return list(get_user_model().objects.filter(is_active=True, groups__role__code__in=role_codes)
                .order_by("pk").values_list("pk", flat=True).distinct())


def run_since(today):
    """The day after which this run starts: the last finished run's day less the overlap.

    Before any run has finished: where the first run started (so a first run that failed is covered again),
    and for the very first run, yesterday (it covers today).
    """
    last = (ReminderRun.objects.filter(status=ReminderRun.Status.DONE, today__lte=today)
            .order_by("-today").values_list("today", flat=True).first())
    if last is not None:
        return last - datetime.timedelta(days=OVERLAP_DAYS)
    first = ReminderRun.objects.order_by("since").values_list("since", flat=True).first()
    return min(first, today - datetime.timedelta(days=1)) if first else today - datetime.timedelta(days=1)


def collect(*, since, today):
    """Every reminder the collectors yield, one per (recipient, key), sorted; and the kinds whose collector failed.

    Sorted so that concurrent runs insert ledger rows in the same order (no deadlock between them).
    """
    found, failed = {}, []
    config = ReminderSettings.current()  # read once per run, handed to every collector
    for kind, func in COLLECTORS.items():
        try:
            for reminder in func(since=since, today=today, config=config):
                found.setdefault((reminder.recipient_id, reminder.key), reminder)
        except Exception:  # noqa: BLE001 — one broken collector must not silence the others; the run is not done
            logger.exception("reminder collector %s failed", kind)
            failed.append(kind)
    return [found[k] for k in sorted(found)], failed


def claim(*, run, reminders):
    """Insert the ledger rows (ignoring ones already there) and channel rows for those this run created.

    Returns the number of reminders this run claimed. Reminders for inactive or deleted accounts are dropped.
    """
    active = set(get_user_model().objects.filter(pk__in={r.recipient_id for r in reminders}, is_active=True)
                 .values_list("pk", flat=True))
    webhook_channels = [w.channel for w in WorkChatWebhook.objects.filter(enabled=True).order_by("pk")]
    with transaction.atomic():
        ReminderDelivery.objects.bulk_create(
            [ReminderDelivery(recipient_id=r.recipient_id, key=r.key[:200], kind=r.kind, title=r.title[:200],
                              body=r.body, url=r.url[:300], remind_on=r.remind_on, due_on=r.due_on, run=run)
             for r in reminders if r.recipient_id in active],
            ignore_conflicts=True)
        claimed = ReminderDelivery.objects.filter(run=run).count()
        if claimed:
            _insert_dispatches(run, [channels.PORTAL, channels.EMAIL, *webhook_channels])
    return claimed


def _insert_dispatches(run, channel_names):
    """One channel row per reminder this run claimed and channel, written by the database (INSERT … SELECT).

    Building tens of thousands of model instances for this took most of a large run's time. Email only for
    recipients with an address; no group robot for the kinds in GROUP_CHAT_EXCLUDED_KINDS.
    """
    quote = connection.ops.quote_name
    dispatch, delivery = quote(ReminderDispatch._meta.db_table), quote(ReminderDelivery._meta.db_table)
    user = quote(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        for name in channel_names:
            join = f" JOIN {user} u ON u.id = d.recipient_id AND u.email <> ''" if name == channels.EMAIL else ""
            private = sorted(GROUP_CHAT_EXCLUDED_KINDS) if name.startswith(channels.WEBHOOK_PREFIX) else []
            where = f" AND d.kind NOT IN ({', '.join(['%s'] * len(private))})" if private else ""
            cursor.execute(
                # table names come from _meta, values are parameters
                f"INSERT INTO {dispatch} (delivery_id, channel, status, attempts, last_error) "  # noqa: S608
                f"SELECT d.id, %s, %s, 0, '' FROM {delivery} d{join} WHERE d.run_id = %s{where}",
                [name, ReminderDispatch.Status.PENDING, run.pk, *private])


def claim_waiting(*, ids=None):
    """Flip waiting (or failed, or abandoned) channel rows to 'sending' under a fresh token; returns the token.

    One conditional UPDATE: when two runs or a run and a retry race, each row goes to exactly one of them.
    A daily run tries failed rows again (once a day) until they are GIVE_UP_AFTER old.
    """
    now = timezone.now()
    S = ReminderDispatch.Status
    if ids is None:
        # The age test goes through `delivery_id IN (…)`, not a join: with a join Django wraps the whole condition
        # in `id IN (SELECT … FROM dispatch JOIN delivery …)`, which PostgreSQL does not re-check against a row
        # another run has just claimed, so both runs took (and delivered) the same rows.
        recent = ReminderDelivery.objects.filter(created_at__gte=now - GIVE_UP_AFTER).values("pk")
        condition = (Q(status=S.PENDING) | Q(status=S.FAILED, delivery_id__in=recent)
                     | Q(status=S.SENDING, claimed_at__lt=now - STALE_CLAIM))
    else:
        condition = Q(pk__in=ids, status=S.FAILED)
    token = uuid.uuid4()
    ReminderDispatch.objects.filter(condition).update(status=S.SENDING, claim_token=token, claimed_at=now)
    return token


def _digest(rows):
    """One message for a recipient's reminders on one channel: the reminder itself, or a list of them."""
    if len(rows) == 1:
        _pk, _channel, _recipient, title, body, url = rows[0]
        return title, body, url
    lines = [f"• {title}" + (f"：{body}" if body else "") for _pk, _channel, _recipient, title, body, _url in rows]
    urls = {row[5] for row in rows}
    title = ngettext("%(count)d reminder", "%(count)d reminders", len(rows)) % {"count": len(rows)}
    return title, "\n".join(lines), urls.pop() if len(urls) == 1 else ""


def deliver(token):
    """Deliver the channel rows claimed under `token`; returns (delivered count, {channel: [failed row ids]})."""
    rows = list(ReminderDispatch.objects.filter(claim_token=token, status=ReminderDispatch.Status.SENDING)
                .order_by("channel", "delivery__recipient_id", "delivery__remind_on", "delivery__key")
                .values_list("pk", "channel", "delivery__recipient_id", "delivery__title", "delivery__body",
                             "delivery__url"))
    if not rows:
        return 0, {}
    people = {pk: (email, member_name or " ".join(p for p in (last, first) if p) or username)
              for pk, email, member_name, first, last, username in get_user_model().objects
              .filter(pk__in={row[2] for row in rows})
              .values_list("pk", "email", "member__name", "first_name", "last_name", "username")}
    webhooks = {w.pk: w for w in WorkChatWebhook.objects.all()} if any(
        row[1].startswith(channels.WEBHOOK_PREFIX) for row in rows) else {}
    failed_by_error = defaultdict(list)
    failed_by_channel = defaultdict(list)
    for channel, channel_rows in groupby(rows, key=lambda row: row[1]):
        messages = []
        for recipient_id, own in groupby(channel_rows, key=lambda row: row[2]):
            own = list(own)
            title, body, url = _digest(own)
            email, name = people.get(recipient_id, ("", ""))
            messages.append(channels.Message(recipient_id=recipient_id, title=title, body=body, url=url, email=email,
                                             name=name, dispatch_ids=[row[0] for row in own]))
        if channel == channels.EMAIL:
            errors = {i: _("no email address") for i, m in enumerate(messages) if not m.email}
            sendable = [(i, m) for i, m in enumerate(messages) if m.email]
            sent_errors = channels.send(channel, [m for _i, m in sendable], webhooks=webhooks)
            errors.update({sendable[j][0]: error for j, error in sent_errors.items()})
        else:
            errors = channels.send(channel, messages, webhooks=webhooks)
        for i, error in errors.items():
            failed_by_error[error[:2000]] += messages[i].dispatch_ids
            failed_by_channel[channel] += messages[i].dispatch_ids
    return _record_outcome(token, failed_by_error), dict(failed_by_channel)


def _record_outcome(token, failed_by_error):
    now = timezone.now()
    S = ReminderDispatch.Status
    for error, ids in failed_by_error.items():
        # In chunks: a mail server down on a big catch-up fails tens of thousands of rows with one error, more
        # than a database accepts as parameters of one statement.
        for start in range(0, len(ids), 5000):
            ReminderDispatch.objects.filter(pk__in=ids[start:start + 5000], claim_token=token).update(
                status=S.FAILED, attempts=F("attempts") + 1, last_error=error, claim_token=None)
    # The failed rows no longer carry the token: what is left under it was delivered.
    return (ReminderDispatch.objects.filter(claim_token=token, status=S.SENDING)
            .update(status=S.DELIVERED, attempts=F("attempts") + 1, last_error="", delivered_at=now))


def reminders_run(*, today=None):
    """One run of the daily job for the days (since, today]. Returns (run, {channel: [failed row ids]}).

    The run is marked done only when every collector ran and the ledger rows were written; channel failures
    do not stop the run (they stay in the ledger and are retried).
    """
    today = today or timezone.localdate()
    run = ReminderRun.objects.create(since=run_since(today), today=today)
    try:
        reminders, failed_kinds = collect(since=run.since, today=today)
        claimed = claim(run=run, reminders=reminders)
    except Exception as exc:
        ReminderRun.objects.filter(pk=run.pk).update(status=ReminderRun.Status.FAILED, message=repr(exc)[:2000],
                                                     finished_at=timezone.now())
        raise
    ReminderRun.objects.filter(pk=run.pk).update(collected=len(reminders), claimed=claimed)
    delivered, failed = deliver(claim_waiting())
    failed_count = sum(len(ids) for ids in failed.values())
    message = _("Collectors that failed: %(kinds)s") % {"kinds": ", ".join(failed_kinds)} if failed_kinds else ""
    ReminderRun.objects.filter(pk=run.pk).update(
        status=ReminderRun.Status.FAILED if failed_kinds else ReminderRun.Status.DONE, delivered=delivered,
        failed=failed_count, message=message, finished_at=timezone.now())
    run.refresh_from_db()
    return run, failed


def reminders_retry(*, ids):
    """Deliver again the failed channel rows `ids` (one channel's); returns the ids that failed again."""
    _delivered, failed = deliver(claim_waiting(ids=ids))
    return [pk for pks in failed.values() for pk in pks]


# --- the tasks: the daily run (scheduled by beat; names kept from when they lived in welfare) and the retry of a
# failed channel ---------------------------------------------------------------------------------------------------

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
    run, failed = reminders_run(
        today=datetime.date.fromisoformat(today) if today else None)
    _queue_retries(failed, queue=(self.request.delivery_info or {}).get("routing_key"))
    return {"run": run.pk, "status": run.status, "claimed": run.claimed, "delivered": run.delivered,
            "failed": run.failed}


@shared_task(bind=True, name="welfare.deliver_reminders", time_limit=10 * 60, soft_time_limit=9 * 60, max_retries=None)
def deliver_reminders(self, dispatch_ids):
    """Retry one channel's failed deliveries with exponential backoff; after the last try the next daily run
    picks them up again (they stay 'failed' in the ledger with the error)."""
    again = reminders_retry(ids=dispatch_ids)
    if self.request.is_eager:  # eager (tests, dev without a broker): nothing can hold a countdown, retry at once
        for _attempt in range(settings.REMINDER_MAX_RETRIES):
            if again:
                again = reminders_retry(ids=again)
        return {"retried": len(dispatch_ids), "still_failing": len(again)}
    if again and self.request.retries < settings.REMINDER_MAX_RETRIES:
        raise self.retry(args=(again,), countdown=settings.REMINDER_RETRY_BACKOFF * 2 ** (self.request.retries + 1))
    return {"retried": len(dispatch_ids), "still_failing": len(again)}
