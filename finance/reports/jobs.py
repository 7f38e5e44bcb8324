"""Report documents rendered in the background and kept for download (core.jobs does the claiming and saving)."""

import datetime

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import document_job_run, document_job_start
from finance.books.selectors import closed_stamp
from finance.models import AuditReport, ReportDocument, ReportFormat, ReportKind

from . import documents
from .writing import audit_report_pdf

JOB_KIND = "finance.report"
# Reports whose figures this module reads itself (through books.py and finance.books.selectors).
BOOK_REPORTS = {
    ReportKind.LEDGER: (documents.ledger_pdf, documents.ledger_xlsx),
    ReportKind.TRIAL_BALANCE: (documents.trial_balance_pdf, documents.trial_balance_xlsx),
    ReportKind.INCOME_STATEMENT: (documents.income_statement_pdf, documents.income_statement_xlsx),
}
# Budget execution and dues collection print rows that the budget and dues areas compute (sources.py registers
# them when the app is ready): a source is offered once registered (see register_row_source).
ROW_SOURCES = {}
ROW_RENDERERS = {
    ReportKind.BUDGET_EXECUTION: (documents.budget_execution_pdf, documents.budget_execution_xlsx),
    ReportKind.DUES_COLLECTION: (documents.dues_collection_pdf, documents.dues_collection_xlsx),
}


def register_row_source(kind, source):
    """Offer budget execution or dues collection: ``source(*, year, month=None)`` (dues) or
    ``source(*, year, as_of)`` (budget: actual from 1 January to ``as_of``) returns the rows to print."""
    if kind not in ROW_RENDERERS:
        raise ValueError(f"{kind} is not printed from rows")
    ROW_SOURCES[kind] = source


def offered_kinds():
    return [*BOOK_REPORTS, *(kind for kind in ROW_RENDERERS if kind in ROW_SOURCES), ReportKind.AUDIT_REPORT]


def _month_of(date_from, date_to):
    """The month a one-month range covers, else None (a year or another range)."""
    one_month = date_from.day == 1 and (date_to + datetime.timedelta(days=1)).day == 1 and \
        (date_from.year, date_from.month) == (date_to.year, date_to.month)
    return date_from.month if one_month else None


def _stamp(*, kind, fmt, date_from, date_to, account, actor):
    """Generated-at time and person for a new document (see ReportDocument)."""
    if kind == ReportKind.AUDIT_REPORT:
        report = AuditReport.objects.filter(year=date_from.year).first()
        if report is not None and report.is_final:
            return report.finalised_at, report.finalised_by
        return timezone.now(), actor
    closed_at = closed_stamp(date_from=date_from, date_to=date_to)
    if closed_at is None:
        return timezone.now(), actor
    first = (ReportDocument.objects.filter(kind=kind, format=fmt, date_from=date_from, date_to=date_to,
                                           account=account).order_by("pk").select_related("stamp_by").first())
    return (first.stamp, first.stamp_by) if first else (closed_at, actor)


def report_document_start(*, kind, fmt, date_from, date_to, actor, account=None, language=None):
    """Ask for a report: a kept ReportDocument whose file a background job renders. Returns the document."""
    if kind not in offered_kinds():
        raise ValidationError(_("This report is not available."))
    if date_from > date_to:
        raise ValidationError(_("The start date is after the end date."))
    if kind == ReportKind.AUDIT_REPORT:
        if fmt != ReportFormat.PDF:
            raise ValidationError(_("The audit report is printed as a PDF only."))
        date_from, date_to = datetime.date(date_from.year, 1, 1), datetime.date(date_from.year, 12, 31)
    if kind != ReportKind.LEDGER:
        account = None
    with transaction.atomic():
        stamp, stamp_by = _stamp(kind=kind, fmt=fmt, date_from=date_from, date_to=date_to, account=account,
                                 actor=actor)
        job = document_job_start(kind=JOB_KIND, actor=actor, task=report_document_task, total=3,
                                 params={"kind": kind, "format": fmt}, language=language)
        return ReportDocument.objects.create(kind=kind, format=fmt, date_from=date_from, date_to=date_to,
                                             account=account, job=job, stamp=stamp, stamp_by=stamp_by,
                                             created_by=actor)


def report_job_run(*, job_id):
    return document_job_run(job_id=job_id, kinds=[JOB_KIND], render=_render_job)


@shared_task(name="finance.report_document", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def report_document_task(job_id):
    """Render a report document (PDF or .xlsx). Claims the job, so a redelivery is a no-op."""
    report_job_run(job_id=job_id)


def render_document(document, *, progress=None):
    """(filename, mimetype, bytes) of a report document, rendered now."""
    common = {"date_from": document.date_from, "date_to": document.date_to, "stamp": document.stamp,
              "by": document.stamp_by}
    if document.kind == ReportKind.AUDIT_REPORT:
        report = AuditReport.objects.filter(year=document.date_from.year).first() or AuditReport(
            year=document.date_from.year)
        return audit_report_pdf(report, stamp=document.stamp, by=document.stamp_by)
    if document.kind in ROW_RENDERERS:
        year = document.date_from.year
        if document.kind == ReportKind.BUDGET_EXECUTION:  # the year so far, up to the end of the range
            period = {"as_of": min(document.date_to, datetime.date(year, 12, 31))}
        else:
            period = {"month": _month_of(document.date_from, document.date_to)}
        rows = ROW_SOURCES[document.kind](year=year, **period)
        pdf, xlsx = ROW_RENDERERS[document.kind]
        return (pdf if document.format == ReportFormat.PDF else xlsx)(
            rows, year=year, stamp=document.stamp, by=document.stamp_by, **period)
    pdf, xlsx = BOOK_REPORTS[document.kind]
    if document.kind == ReportKind.LEDGER:
        common.update(account=document.account, progress=progress)
    return (pdf if document.format == ReportFormat.PDF else xlsx)(**common)


def _render_job(job):
    document = ReportDocument.objects.select_related("account", "stamp_by").filter(job=job).first()
    if document is None:
        job.finish(failed=True, message=_("The report request no longer exists."))
        return None
    job.set_progress(1, message=_("Adding up the books"))
    produced = render_document(document, progress=lambda message: job.set_progress(2, message=message))
    job.set_progress(3, message=_("Saving the file"))
    return f"report-{document.kind}-{document.pk}.{document.format}", produced, {"document": document.pk}
