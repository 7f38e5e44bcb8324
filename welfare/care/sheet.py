"""The sign-for sheet (签收表) of a holiday distribution: members by 工会小组, with amount, form and an empty signature
column, each group's subtotal and the total to the fen. Short lists render in the request; longer ones (more than
``SIGN_SHEET_SYNC_MAX_ROWS``, settings may override) in a background job with progress (core.jobs), because
WeasyPrint lays out only ~70 table rows a second here.
"""

from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from core.jobs import document_job_run, document_job_start
from core.pdf import render_pdf

from ..models import Distribution, Visit

JOB_KIND = "welfare_sign_sheet"
TEMPLATE = "welfare/pdf/sign_sheet.html"
SIGN_SHEET_SYNC_MAX_ROWS = 150  # ~3 s of layout here (169 rows took 3.2 s)


def sync_max_rows():
    return getattr(settings, "SIGN_SHEET_SYNC_MAX_ROWS", SIGN_SHEET_SYNC_MAX_ROWS)


def _visits(distribution):
    return (Visit.objects.filter(distribution=distribution, status=Visit.Status.RECORDED)
            .select_related("member", "member__union_group", "member__department")
            .order_by("member__union_group__sort_order", "member__union_group__name", "member__name_initials",
                      "member__pk"))


def row_count(distribution):
    return Visit.objects.filter(distribution=distribution, status=Visit.Status.RECORDED).count()


def sheet_groups(distribution):
    """[{"group": name, "rows": [{number, name, department, amount, form}], "total": Decimal}] in one query."""
    groups, number = [], 0
    for visit in _visits(distribution):
        name = str(visit.member.union_group) if visit.member.union_group_id else _("No group")
        if not groups or groups[-1]["group"] != name:
            groups.append({"group": name, "rows": [], "total": Decimal("0.00")})
        number += 1
        groups[-1]["rows"].append({"number": number, "name": visit.member.name, "visit": visit,
                                   "department": str(visit.member.department or ""), "amount": visit.amount,
                                   "form": visit.get_form_display()})
        groups[-1]["total"] += visit.amount
    return groups


def sign_sheet_pdf(distribution):
    """(filename, mimetype, bytes) of the sign-for sheet."""
    groups = sheet_groups(distribution)
    title = f"{distribution.year} {distribution.occasion.name}"
    context = {"distribution": distribution, "groups": groups, "title": title,
               "header_text": title,
               "total": sum((g["total"] for g in groups), Decimal("0.00")),
               "count": sum(len(g["rows"]) for g in groups)}
    filename = f"{_('Sign-for sheet')}-{distribution.year}{distribution.occasion.name}.pdf"
    return render_pdf(TEMPLATE, context, filename=filename)


def sign_sheet_job_start(*, distribution, actor, language=None):
    """Record a sign-sheet job; the worker renders it after commit (eager in development and tests)."""
    return document_job_start(kind=JOB_KIND, actor=actor, task=sign_sheet_task, total=3,
                              params={"distribution": distribution.pk}, language=language)


def sign_sheet_job_run(*, job_id):
    """Render the sheet of a job; a task delivered twice renders once (the job is claimed)."""
    return document_job_run(job_id=job_id, kinds=[JOB_KIND], render=_render)


@shared_task(name="welfare.care_sign_sheet", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def sign_sheet_task(job_id):
    """The background render: takes the job's primary key; a redelivery is a no-op (the job is claimed once)."""
    sign_sheet_job_run(job_id=job_id)


def _render(job):
    distribution = Distribution.objects.select_related("occasion").filter(pk=job.params.get("distribution")).first()
    if distribution is None:
        job.finish(failed=True, message=_("The distribution no longer exists."))
        return None
    job.set_progress(1, message=_("Laying out the pages"))
    document = sign_sheet_pdf(distribution)
    job.set_progress(2, message=_("Saving the file"))
    return f"{JOB_KIND}-{distribution.pk}-{job.pk}.pdf", document, {"distribution": distribution.pk}


