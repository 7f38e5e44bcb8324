"""Writes of dues: the payroll deduction import (preview, then post), payments in person, and arrears flags.

The flow of a deduction list: the treasurer uploads it with its month → a preview job (``core.models.Job``)
compares it with the roll and the formula → the treasurer confirms → an apply job reads the file again,
compares again inside one transaction and, only if nothing stops it, posts one voucher (Dr 102 银行存款 /
Cr 401 会费收入, the total paid over) through ``finance.books.services`` and sets every member's record for the month.
All or nothing. A month is posted once: a second list for a posted month is refused (a correction is a
reversing voucher in the books, then a payment in person). The uploaded file is deleted once the list is posted
or found unusable (personal data); an unconfirmed preview's file goes with the daily clean-up of stale uploads.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.jobs import JobProgress
from core.models import Job
from core.money import check_fen, money
from core.notifications import notify
from finance.books.services import LineInput, voucher_create, voucher_post
from finance.models import DuesArrearsFlag, DuesImport, DuesRecord, DuesSource
from members.models import Member

from . import selectors
from .formula import dues_for, month_start, rule_in_force
from .payroll import payroll_compare, read_payroll_file

logger = logging.getLogger(__name__)

JOB_KIND = "dues_import"
VIA = "task:dues_import"
PHASE_PREVIEW, PHASE_APPLY = "preview", "apply"
INCOME_ACCOUNT, BANK_ACCOUNT, CASH_ACCOUNT = "401", "102", "101"
#: Lists up to this many rows are checked inside the request; larger ones on the worker with a progress bar.
SYNC_MAX_ROWS = getattr(settings, "DUES_IMPORT_SYNC_MAX_ROWS", 300)


class ListRefused(ValidationError):
    """The list was compared again when posting and something stops it; ``comparison`` says what."""

    def __init__(self, message, comparison):
        super().__init__(message, code="list_refused")
        self.comparison = comparison


def _refuse_posted_month(year, month):
    if DuesImport.objects.filter(year=year, month=month).exists():
        raise ValidationError(_("The deduction list of %(year)d-%(month)02d is already posted. A month is posted "
                                "once: correct a mistake with a reversing voucher and a payment in person.")
                              % {"year": year, "month": month}, code="month_posted")


def _check_month(year, month, received_on):
    if not 1 <= month <= 12:
        raise ValidationError(_("There is no month %(month)d.") % {"month": month}, code="month")
    start = month_start(year, month)
    if start > timezone.localdate():
        raise ValidationError(_("Dues cannot be posted for a month that has not begun."), code="future_month")
    if received_on > timezone.localdate():
        raise ValidationError(_("The date the money arrived cannot be in the future."), code="future_date")
    _refuse_posted_month(year, month)
    return rule_in_force(start)


def dues_import_start(*, data: bytes, filename: str, year: int, month: int, received_on, actor) -> Job:
    """Check that the file can be read and the month can still be posted, keep the file on a preview job and
    compare it with the roll (inline for small lists, on the worker for large ones). Writes no dues."""
    _check_month(year, month, received_on)
    rows = read_payroll_file(data, filename)
    job = Job.objects.create(
        kind=JOB_KIND, created_by=actor, input_file=ContentFile(data, name=f"dues-{year}-{month:02d}.bin"),
        params={"phase": PHASE_PREVIEW, "year": year, "month": month, "received_on": received_on.isoformat(),
                "filename": filename, "rows": len(rows),
                "language": translation.get_language() or settings.LANGUAGE_CODE},
        progress_total=len(rows),
    )
    _dispatch(job)
    return job


def dues_import_confirm(*, preview_job: Job, actor) -> tuple[Job, bool]:
    """Start posting a previewed list. Refused unless its preview finished without errors; a second confirmation
    (double click, second tab) returns the job the first one started, with False."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=preview_job.pk, kind=JOB_KIND)
        if locked.params.get("apply_job"):
            return Job.objects.get(pk=locked.params["apply_job"]), False
        if locked.params.get("phase") != PHASE_PREVIEW or locked.status != Job.Status.DONE:
            raise ValidationError(_("This list cannot be posted: its check has not finished."), code="not_previewed")
        if locked.result.get("has_errors"):
            raise ValidationError(_("This list cannot be posted: the check found errors. Have the list corrected "
                                    "and upload it again."), code="preview_errors")
        if not locked.input_file:
            raise ValidationError(_("The uploaded file is no longer kept; upload it again."), code="no_file")
        _refuse_posted_month(locked.params["year"], locked.params["month"])
        apply_job = Job.objects.create(
            kind=JOB_KIND, created_by=actor, input_file=locked.input_file.name, progress_total=locked.progress_total,
            params={**locked.params, "phase": PHASE_APPLY, "preview_job": locked.pk},
        )
        Job.objects.filter(pk=locked.pk).update(params={**locked.params, "apply_job": apply_job.pk})
    _dispatch(apply_job)
    return apply_job, True


def _dispatch(job):
    if job.progress_total <= SYNC_MAX_ROWS:
        dues_job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: dues_import_task.delay(job.pk))


def dues_job_run(*, job_id):
    """Run one job of a deduction list (preview or apply), in the language of whoever started it. Claims it first:
    a task delivered twice runs once."""
    job = Job.objects.filter(pk=job_id, kind=JOB_KIND).select_related("created_by").first()
    if job is None or not job.claim():
        return
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        _run(job)


@shared_task(name="finance.dues_import", soft_time_limit=25 * 60, time_limit=30 * 60, ignore_result=True)
def dues_import_task(job_id):
    """Check or post a deduction list (the phase is on the job). Claims the job, so a redelivery is a no-op."""
    dues_job_run(job_id=job_id)


def _run(job):
    params = job.params
    if not job.input_file:
        job.finish(failed=True, message=_("The uploaded file is no longer kept; upload it again."))
        return
    year, month = params["year"], params["month"]
    progress = None
    try:
        with job.input_file.open("rb") as handle:
            rows = read_payroll_file(handle.read(), params.get("filename", ""))
        if params["phase"] == PHASE_PREVIEW:
            progress = JobProgress(job, total=len(rows), message=_("Comparing the list with the roll"))
            comparison = payroll_compare(rows=rows, year=year, month=month, owing=selectors.members_owing(year, month),
                                         rule=rule_in_force(month_start(year, month)), progress=progress)
            result, message = comparison.as_json(), _("The check is finished.")
            if comparison.has_errors:
                job.discard_input_file()
        else:
            progress = JobProgress(job, total=len(rows), message=_("Posting"))
            dues_import = dues_import_post(
                rows=rows, year=year, month=month, received_on=datetime.date.fromisoformat(params["received_on"]),
                filename=params.get("filename", ""), actor=job.created_by, job=job, progress=progress)
            result = {**dues_import.differences, "posted": True, "dues_import": dues_import.pk,
                      "voucher": dues_import.voucher_id}
            message = _("Posted.")
            job.discard_input_file()
    except ListRefused as refused:
        job.finish(result={**refused.comparison.as_json(), "posted": False}, message=" ".join(refused.messages))
        job.discard_input_file()
        return
    except ValidationError as error:
        job.fail_import(error)
        job.discard_input_file()
        return
    except Exception as error:  # noqa: BLE001 — logged by Job.fail_import; the file stays for a retry
        job.fail_import(error)
        return
    finally:
        if progress is not None:
            progress.close()
    job.finish(result=result, message=message)


def dues_import_post(*, rows, year, month, received_on, actor, filename="", job=None, progress=None) -> DuesImport:
    """Post a deduction list: compare it with the roll again, then — only if nothing stops it — book the total
    paid over as one voucher (Dr 102 银行存款 / Cr 401 会费收入) and set every member's record for the month:
    expected by the formula for everyone who owes for the month, paid as listed. All or nothing; a month that is
    already posted is refused (also when two posts race: the unique month constraint rolls the second back).
    """
    rule = _check_month(year, month, received_on)
    with transaction.atomic(), audit_context(actor=actor, via=VIA if job else None):
        owing = selectors.members_owing(year, month)
        comparison = payroll_compare(rows=rows, year=year, month=month, owing=owing, rule=rule, progress=progress)
        if comparison.has_errors:
            raise ListRefused(_("Nothing was posted: the list was checked again and has errors (perhaps the roll "
                                "changed since the check)."), comparison)
        if comparison.total_paid <= 0:
            raise ListRefused(_("Nothing was posted: the list pays over no money."), comparison)
        total = comparison.total_paid
        summary = _("%(year)d-%(month)02d dues (payroll deduction, %(count)d members)") % {
            "year": year, "month": month, "count": len(comparison.paid)}
        voucher = voucher_post(voucher=voucher_create(
            date=received_on, summary=summary, actor=actor, attachments=1,
            lines=[LineInput(BANK_ACCOUNT, debit=total, summary=summary),
                   LineInput(INCOME_ACCOUNT, credit=total, summary=summary)]), actor=actor)
        try:
            with transaction.atomic():
                dues_import = DuesImport.objects.create(
                    year=year, month=month, filename=filename[:200], rows=comparison.rows, total_paid=total,
                    received_on=received_on, voucher=voucher, job=job, posted_by=actor,
                    differences=comparison.as_json())
        except IntegrityError:
            raise ValidationError(_("The deduction list of %(year)d-%(month)02d is already posted.")
                                  % {"year": year, "month": month}, code="month_posted") from None
        _write_records(comparison=comparison, owing=owing, dues_import=dues_import, voucher=voucher)
        dues_arrears_flag(actor=actor)
    return dues_import


def _write_records(*, comparison, owing, dues_import, voucher):
    year, month = comparison.year, comparison.month
    existing = {record.member_id: record for record in
                DuesRecord.objects.select_for_update().filter(year=year, month=month)}
    new, changed = [], []
    for pk in set(owing) | set(comparison.paid):
        member = owing.get(pk) or comparison.members[pk]
        paid = comparison.paid.get(pk)
        record = existing.get(pk)
        if record is None and not paid and not comparison.expected.get(pk):
            continue  # a dues base under 10 yuan owes nothing: no record of nothing
        if record is None:
            record = DuesRecord(member_id=pk, year=year, month=month, dues_base=member.dues_base,
                                expected=comparison.expected.get(pk, 0))
            new.append(record)
        else:
            changed.append(record)  # a payment in person came first: the list adds to it
        record.dues_import = dues_import
        if paid:
            record.paid += paid
            record.voucher = voucher
            record.source = DuesSource.PAYROLL
    DuesRecord.objects.bulk_create(new, batch_size=500)
    DuesRecord.objects.bulk_update(changed, ["paid", "voucher", "source", "dues_import"], batch_size=500)


def dues_pay_in_person(*, member, year, month, amount, received_on, actor, account_code=CASH_ACCOUNT):
    """Record dues a member paid in person (cash or transfer) for one month, booked as its own voucher
    (Dr 101 库存现金 or 102 银行存款 / Cr 401 会费收入). The month's record is created if the month has none yet.

    A month is never paid more than it owes: a payment beyond what is still open is refused, so a second submit of
    the same payment (or a second treasurer's tab) books nothing. The member's row is locked while this is checked,
    so two payments at the same instant are counted one after the other."""
    amount = check_fen(amount, message=_("Enter the amount paid in yuan and fen."), code="amount")
    if account_code not in (CASH_ACCOUNT, BANK_ACCOUNT):
        raise ValidationError(_("Dues are received in cash or into the bank account."), code="account")
    if month_start(year, month) > timezone.localdate() or received_on > timezone.localdate():
        raise ValidationError(_("Dues cannot be recorded for the future."), code="future_month")
    rule = rule_in_force(month_start(year, month))
    with transaction.atomic(), audit_context(actor=actor):
        member = Member.objects.for_update([member.pk])[member.pk]
        record = DuesRecord.objects.select_for_update().filter(member=member, year=year, month=month).first()
        if record is None:
            owes = member.pk in selectors.members_owing(year, month, member_ids=[member.pk])
            record = DuesRecord(member=member, year=year, month=month, dues_base=member.dues_base,
                                expected=dues_for(member.dues_base, rule=rule) if owes else 0)
        if record.paid + amount > record.expected:
            raise ValidationError(
                _("%(year)d-%(month)02d: %(name)s owes %(owed)s yuan for the month and has paid %(paid)s; a payment "
                  "of %(amount)s would be more than is owed. Nothing was recorded.")
                % {"year": year, "month": month, "name": member.name, "owed": money(record.expected),
                   "paid": money(record.paid), "amount": money(amount)}, code="overpaid")
        summary = _("%(year)d-%(month)02d dues paid in person: %(name)s") % {
            "year": year, "month": month, "name": member.name}
        voucher = voucher_post(voucher=voucher_create(
            date=received_on, summary=summary, actor=actor,
            lines=[LineInput(account_code, debit=amount, summary=summary),
                   LineInput(INCOME_ACCOUNT, credit=amount, summary=summary)]), actor=actor)
        record.paid += amount
        record.voucher = voucher
        record.source = DuesSource.MANUAL
        record.save()
    return record


def dues_arrears_flag(*, actor=None):
    """Raise a flag for every member who reached the arrears threshold (six months without dues by default) and
    tell the chair — once per run of unpaid months (the flag's unique constraint makes a second run a no-op).
    The member's status is not changed: the 章程's automatic leave applies only after someone talked to them."""
    threshold = selectors.arrears_threshold()
    reached = [a for a in selectors.dues_arrears(minimum=1, threshold=threshold) if a.reached and not a.flagged]
    if not reached:
        return []
    flagged = []
    with transaction.atomic(), audit_context(actor=actor, via=None if actor else "task:dues_arrears"):
        for arrears in reached:
            flag, created = DuesArrearsFlag.objects.get_or_create(
                member=arrears.member, since_year=arrears.since[0], since_month=arrears.since[1],
                defaults={"months": arrears.months})
            if created:
                flagged.append(arrears)
        if flagged:
            chairs = get_user_model().objects.filter(groups__role__code="chair", is_active=True).distinct()
            names = "、".join(a.member.name for a in flagged)
            title = _("%(count)d members have paid no dues for %(months)d months or more") % {
                "count": len(flagged), "months": threshold}
            body = _("Please talk to them (中国工会章程: automatic leave only after being talked to): %(names)s") % {
                "names": names}
            for chair in chairs:
                notify(user=chair, title=title, body=body, url=reverse("finance:dues_arrears"))
    return flagged
