"""Files the chair takes away from an activity: the registrations as .xlsx, and the sign-in sheet (签到表) as PDF.

Registrations (.xlsx)
    Everyone who registered, in the order of the registrations page: seats (confirmed), the waitlist in its order,
    then the cancelled ones; one column per registration question. Mobile numbers are masked (138****5678) unless
    the user has ``members.view_sensitive_member`` — the same rule as on the page; an export with full numbers is
    recorded as an access entry in the audit log (PIPL), like a full roster export.

Sign-in sheet (PDF)
    Title, union name, the activity, its date and place, then a table 序号 / 姓名 / 部门 / 签名 with an empty
    signature column and a few empty rows for walk-ins; page numbers and the CJK font come from the PDF base
    template. WeasyPrint lays out ~70 table rows a second here, so a list longer than
    ``SIGNIN_SHEET_SYNC_MAX_ROWS`` (300) is rendered by a background job with progress (the page count, read from
    WeasyPrint's progress log), a short one right away in the request.
"""

import logging
import re
import threading
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_access
from core.jobs import document_job_run, document_job_start
from core.masking import mask_phone
from core.pdf import render_pdf
from core.xlsx import XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes
from members.selectors import can_see_sensitive

from .attendance import attendance_by_member
from .models import Activity, Registration

logger = logging.getLogger(__name__)

SIGNIN_JOB_KIND = "activities_signin_sheet"
SIGNIN_TEMPLATE = "activities/pdf/signin_sheet.html"
#: Lists longer than this are rendered by the worker (settings.SIGNIN_SHEET_SYNC_MAX_ROWS overrides it).
SIGNIN_SHEET_SYNC_MAX_ROWS = 300
#: Empty rows at the end of the sheet, for people who turn up without a seat.
SIGNIN_BLANK_ROWS = 5
#: Rows on a full page of the sheet (fixed row height), used to turn "page N laid out" into rows for the bar.
SIGNIN_ROWS_PER_PAGE = 22

Status = Registration.Status
SECTION_ORDER = {Status.CONFIRMED: 0, Status.WAITLISTED: 1, Status.CANCELLED: 2, Status.LEFT_WAITLIST: 2}


# --- the registrations, as the page and the export show them -------------------------------------------------------

def answer_text(registration, question):
    """The answer to ``question`` as text ("" when unanswered); answers are keyed by the question's pk as a string."""
    value = (registration.answers or {}).get(str(question.pk))
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(part) for part in value)
    return str(value)


def registrations_table(activity, *, user, year=None):
    """Everything the registrations page and its export show, in a fixed number of queries (4): the questions,
    the registrations with member, department and group, and each person's attendance in the activity's year.

    Returns a dict: ``questions``; ``confirmed``, ``waitlist`` (queue order, with ``position``) and ``cancelled``,
    lists of rows; ``full_phone`` (whether numbers are shown in full). A row is a dict with the registration,
    member, shown phone, answers (one string per question, in question order) and ``attended`` (activities
    attended in the year).
    """
    questions = list(activity.questions.order_by("sort_order", "pk"))
    registrations = list(
        Registration.objects.filter(activity=activity)
        .select_related("member", "member__department", "member__union_group", "checked_in_by")
        .order_by("queued_at", "pk"))
    year = year or timezone.localtime(activity.starts_at).year
    attended = attendance_by_member(year, member_ids={r.member_id for r in registrations})
    full_phone = can_see_sensitive(user)
    table = {"questions": questions, "confirmed": [], "waitlist": [], "cancelled": [], "full_phone": full_phone,
             "year": year}
    for registration in registrations:
        member = registration.member
        row = {"registration": registration, "member": member,
               "phone": member.phone if full_phone else mask_phone(member.phone),
               "answers": [answer_text(registration, question) for question in questions],
               "attended": attended.get(member.pk, 0)}
        if registration.status == Status.CONFIRMED:
            table["confirmed"].append(row)
        elif registration.status == Status.WAITLISTED:
            row["position"] = len(table["waitlist"]) + 1
            table["waitlist"].append(row)
        else:
            table["cancelled"].append(row)
    table["confirmed"].sort(key=lambda r: (r["member"].department.sort_order if r["member"].department else 10**6,
                                           r["member"].department_id or 0, r["member"].name_initials,
                                           r["registration"].pk))
    return table


def _safe_filename_part(text):
    return re.sub(r'[\\/:*?"<>|\s]+', "", text or "")[:60] or "activity"


def registrations_xlsx(*, activity, user):
    """The registrations of ``activity`` as .xlsx: (filename, mimetype, bytes). See the module docstring."""
    table = registrations_table(activity, user=user)
    headers = [_("No."), _("Name"), _("Department"), _("Union group"), _("Mobile number"), _("Status"),
               _("Waitlist position"), _("Seats"), _("Registered at"), _("Walk-in"), _("Checked in at"),
               *[question.label for question in table["questions"]],
               _("Activities attended in %(year)s") % {"year": table["year"]}]
    workbook, sheet = new_sheet(_("Registrations"), headers=headers, freeze="C2",
                                widths=[6, 10, 16, 14, 14, 10, 8, 6, 17, 8, 17])

    def local(moment):
        return timezone.localtime(moment).replace(tzinfo=None) if moment else None

    number = 0
    for section in ("confirmed", "waitlist", "cancelled"):
        for row in table[section]:
            number += 1
            registration, member = row["registration"], row["member"]
            values = [number, member.name, str(member.department or ""), str(member.union_group or ""), row["phone"],
                      registration.get_status_display(), row.get("position"), registration.seats,
                      local(registration.queued_at), _("yes") if registration.walk_in else "",
                      local(registration.checked_in_at), *row["answers"], row["attended"]]
            sheet.append([value_cell(sheet, value, number_format="yyyy-mm-dd hh:mm" if hasattr(value, "hour") else None)
                          for value in values])
    data = workbook_bytes(workbook)
    if table["full_phone"]:
        audit_access(activity, actor=user, action_label="activities.registrations_export_full",
                     details={"rows": number, "activity": activity.pk})
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"{_('Registrations')}-{_safe_filename_part(activity.title)}-{stamp}.xlsx"
    return filename, XLSX_MIMETYPE, data


# --- the sign-in sheet ----------------------------------------------------------------------------------------------

def signin_sheet_sync_max_rows():
    return getattr(settings, "SIGNIN_SHEET_SYNC_MAX_ROWS", SIGNIN_SHEET_SYNC_MAX_ROWS)


def signin_sheet_registrations(activity):
    """The people on the sheet: confirmed registrations (walk-ins included), by department, then pinyin."""
    return (Registration.objects.filter(activity=activity, status=Status.CONFIRMED)
            .select_related("member", "member__department")
            .order_by("member__department__sort_order", "member__department__name", "member__name_initials",
                      "member__name", "pk"))


def signin_sheet_row_count(activity):
    return Registration.objects.filter(activity=activity, status=Status.CONFIRMED).count()


class _PageProgress(logging.Handler):
    """Turns WeasyPrint's "Step 5 - Creating layout - Page N" progress messages into a callback ``pages(N)``.

    Only messages of the thread that installed it count (a threaded worker may render two PDFs at once).
    """

    def __init__(self, callback):
        super().__init__(level=logging.INFO)
        self.callback = callback
        self.thread = threading.get_ident()

    def emit(self, record):
        if record.thread != self.thread or not record.args or "Page %d" not in str(record.msg):
            return
        try:
            self.callback(int(record.args[0]))
        except Exception:  # noqa: BLE001 — progress must never break the rendering
            logger.debug("sign-in sheet progress callback failed", exc_info=True)


@contextmanager
def _weasyprint_pages(callback):
    if callback is None:
        yield
        return
    progress_logger = logging.getLogger("weasyprint.progress")
    handler = _PageProgress(callback)
    previous_level = progress_logger.level
    progress_logger.addHandler(handler)
    if progress_logger.getEffectiveLevel() > logging.INFO:
        progress_logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        progress_logger.removeHandler(handler)
        progress_logger.setLevel(previous_level)


def signin_sheet_pdf(activity, *, pages=None):
    """The sign-in sheet of ``activity``: (filename, mimetype, bytes). ``pages(n)`` is called as page n is laid out."""
    registrations = list(signin_sheet_registrations(activity))
    rows = [{"number": index, "name": registration.member.name,
             "department": str(registration.member.department or ""), "walk_in": registration.walk_in}
            for index, registration in enumerate(registrations, start=1)]
    starts = timezone.localtime(activity.starts_at)
    ends = timezone.localtime(activity.ends_at)
    context = {
        "activity": activity, "rows": rows, "blank_rows": range(len(rows) + 1, len(rows) + 1 + SIGNIN_BLANK_ROWS),
        "starts": starts, "ends": ends, "same_day": starts.date() == ends.date(),
        "header_text": (activity.title or "")[:40], "expected": len(rows),
    }
    filename = f"{_('Sign-in sheet')}-{_safe_filename_part(activity.title)}.pdf"
    with _weasyprint_pages(pages):
        return render_pdf(SIGNIN_TEMPLATE, context, filename=filename)


def signin_sheet_job_start(*, activity, actor, language=None):
    """Record a sign-in sheet job and hand it to the worker once the transaction commits. Returns the job."""
    rows = signin_sheet_row_count(activity)
    return document_job_start(kind=SIGNIN_JOB_KIND, actor=actor, task=signin_sheet_task, total=rows,
                              params={"activity": activity.pk, "rows": rows}, language=language)


def signin_sheet_job_run(*, job_id):
    """Render the sign-in sheet of a job, with progress. A task delivered twice renders once (core.jobs)."""
    return document_job_run(job_id=job_id, kinds=[SIGNIN_JOB_KIND], render=_render_signin_sheet_job)


@shared_task(name="activities.signin_sheet", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def signin_sheet_task(job_id):
    """Render a sign-in sheet PDF for a long registration list. A redelivery is a no-op (the job is claimed)."""
    signin_sheet_job_run(job_id=job_id)


def _render_signin_sheet_job(job):
    activity = Activity.objects.filter(pk=job.params.get("activity")).first()
    if activity is None:
        job.finish(failed=True, message=_("The activity no longer exists."))
        return None
    total = signin_sheet_row_count(activity) + SIGNIN_BLANK_ROWS
    job.set_progress(0, total=total, message=_("Laying out the pages"))
    state = {"last": 0}

    def pages(page_number):
        done = min(total, page_number * SIGNIN_ROWS_PER_PAGE)
        if done - state["last"] >= SIGNIN_ROWS_PER_PAGE * 2:  # every other page is plenty for the bar
            state["last"] = done
            job.set_progress(done)

    document = signin_sheet_pdf(activity, pages=pages)
    job.set_progress(total, message=_("Saving the file"))
    return f"{SIGNIN_JOB_KIND}-{activity.pk}-{job.pk}.pdf", document, {"activity": activity.pk}


