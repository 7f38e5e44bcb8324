"""Dues pages. Thin: each view authorises (finance.dues.access), reads a selector or calls a service, and renders or
redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.idempotency import AlreadySubmitted, submit_once
from core.models import Job
from core.xlsx import XLSX_MIMETYPE
from finance.charts import member_dues_chart
from members.models import UnionGroup
from members.selectors import member_for_user

from . import selectors, services
from .access import (
    can_write_dues,
    dues_member_for_user,
    dues_reader_check,
    dues_writer_check,
    import_job_for_user,
)
from .forms import DuesImportForm, PaymentForm
from .payroll import LISTED_ROWS, payroll_template_xlsx

#: Which field of the upload form a refusal of dues_import_start is about (anything else is about the file).
_IMPORT_ERROR_FIELD = {"month": "month", "future_month": "month", "month_posted": "month",
                       "future_date": "received_on"}


def _year_param(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
def overview(request):
    """The treasurer's dues page: the year's collection by month, the posted lists, links to the work."""
    dues_reader_check(request.user)
    year = _year_param(request)
    return render(request, "finance/dues/overview.html", {
        "year": year, "collection": selectors.dues_collection(year=year), "imports": selectors.dues_imports()[:24],
        "can_write": can_write_dues(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    dues_writer_check(request.user)
    form = DuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.dues_import_start(
                data=data["file"].read(), filename=data["file"].name, year=data["year"], month=data["month"],
                received_on=data["received_on"], actor=request.user)
        except ValidationError as error:
            # Said once, beside the field it is about; the month and the date stay filled in.
            for item in error.error_list:
                form.add_error(_IMPORT_ERROR_FIELD.get(item.code, "file"), item.messages)
        else:
            return redirect("finance:dues_import_job", pk=job.pk)
    return render(request, "finance/dues/import.html", {
        "form": form, "choose_again": request.method == "POST" and bool(request.FILES),
    })


@login_required
def import_template(request):
    """The deduction list template (.xlsx) to hand to the payroll office."""
    dues_writer_check(request.user)
    response = HttpResponse(payroll_template_xlsx(), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = content_disposition_header(True, "代扣会费清单模板.xlsx")
    return response


@login_required
def import_job(request, pk):
    """Progress, then the differences found (preview) or what was posted."""
    job = import_job_for_user(user=request.user, pk=pk)
    params = job.params
    apply_job = Job.objects.filter(pk=params.get("apply_job")).first() if params.get("apply_job") else None
    is_preview = params.get("phase") == services.PHASE_PREVIEW
    return render(request, "finance/dues/import_job.html", {
        "job": job, "result": job.result, "is_preview": is_preview, "apply_job": apply_job,
        "status_url": reverse("core:job_status", args=[job.pk]), "listed_rows": LISTED_ROWS,
        "can_confirm": (is_preview and apply_job is None and job.status == Job.Status.DONE
                        and not job.result.get("has_errors") and bool(job.input_file)
                        and can_write_dues(request.user)),
    })


@login_required
@require_POST
def import_confirm(request, pk):
    job = import_job_for_user(user=request.user, pk=pk, change=True)
    try:
        apply_job, _started = services.dues_import_confirm(preview_job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:dues_import_job", pk=job.pk)
    return redirect("finance:dues_import_job", pk=apply_job.pk)


@login_required
def arrears(request):
    """Who has paid nothing for how many consecutive months; those at the threshold are marked for the chair."""
    dues_reader_check(request.user)
    groups = list(UnionGroup.objects.all())
    group = next((g for g in groups if str(g.pk) == request.GET.get("group")), None)
    threshold = selectors.arrears_threshold()
    return render(request, "finance/dues/arrears.html", {
        "rows": selectors.dues_arrears(group=group, threshold=threshold), "groups": groups, "group": group,
        "threshold": threshold, "months": selectors.latest_imported_month(),
    })


def _history(request, member, *, own):
    records = selectors.member_dues_history(user=request.user, member=member)
    year = timezone.localdate().year
    return render(request, "finance/dues/history.html", {
        "member": member, "records": records, "year": year, "totals": selectors.year_totals(records, year),
        "chart": member_dues_chart(records, year),
        "own": own, "can_write": not own and can_write_dues(request.user),
    })


@login_required
def my_dues(request):
    """The member's own dues, month by month (phone-sized)."""
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    return _history(request, member, own=True)


@login_required
def member_history(request, pk):
    """One member's dues for the treasurer, the chair and the auditor; a 404 for everyone else."""
    return _history(request, dues_member_for_user(user=request.user, pk=pk), own=False)


@login_required
@require_http_methods(["GET", "POST"])
def member_payment(request, pk):
    """Record dues a member paid in person for a month (its own voucher)."""
    member = dues_member_for_user(user=request.user, pk=pk, change=True)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(request, scope="finance.dues_payment", url=reverse("finance:dues_member", args=[member.pk]),
                        perform=lambda: services.dues_pay_in_person(
                            member=member, year=data["year"], month=data["month"], amount=data["amount"],
                            received_on=data["received_on"], account_code=data["account"], actor=request.user))
        except AlreadySubmitted as first:
            return first.response(request)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The payment is recorded and booked."))
            return redirect("finance:dues_member", pk=member.pk)
    return render(request, "finance/dues/payment.html", {"form": form, "member": member})
