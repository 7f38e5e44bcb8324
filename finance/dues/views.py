"""Dues pages. Thin: each view authorises, reads a selector or calls a service, and renders or redirects.

Who may do what: ``finance.import_dues`` (treasurer) uploads, posts and records payments; ``finance.view_duesrecord``
(treasurer, chair, auditor) reads every page; a member reads only their own history. A page of someone else's
dues is a 404; a write without the permission is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.models import Job
from members.models import Member, UnionGroup
from members.selectors import member_for_user

from . import selectors, services
from .forms import DuesImportForm, PaymentForm
from .payroll import LISTED_ROWS

VIEW_PERM, WRITE_PERM = "finance.view_duesrecord", "finance.import_dues"


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def _year_param(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
def overview(request):
    """The treasurer's dues page: the year's collection by month, the posted lists, links to the work."""
    _require(request.user, VIEW_PERM)
    year = _year_param(request)
    return render(request, "finance/dues/overview.html", {
        "year": year, "collection": selectors.dues_collection(year=year), "imports": selectors.dues_imports()[:24],
        "can_write": request.user.has_perm(WRITE_PERM),
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require(request.user, WRITE_PERM)
    form = DuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.dues_import_start(
                data=data["file"].read(), filename=data["file"].name, year=data["year"], month=data["month"],
                received_on=data["received_on"], actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("finance:dues_import_job", pk=job.pk)
    return render(request, "finance/dues/import.html", {"form": form})


def _import_job(pk):
    job = Job.objects.filter(pk=pk, kind=services.JOB_KIND).first()
    if job is None:
        raise Http404
    return job


@login_required
def import_job(request, pk):
    """Progress, then the differences found (preview) or what was posted."""
    _require(request.user, VIEW_PERM)
    job = _import_job(pk)
    params = job.params
    apply_job = Job.objects.filter(pk=params.get("apply_job")).first() if params.get("apply_job") else None
    is_preview = params.get("phase") == services.PHASE_PREVIEW
    return render(request, "finance/dues/import_job.html", {
        "job": job, "result": job.result, "is_preview": is_preview, "apply_job": apply_job,
        "status_url": reverse("core:job_status", args=[job.pk]), "listed_rows": LISTED_ROWS,
        "can_confirm": (is_preview and apply_job is None and job.status == Job.Status.DONE
                        and not job.result.get("has_errors") and bool(job.input_file)
                        and request.user.has_perm(WRITE_PERM)),
    })


@login_required
@require_POST
def import_confirm(request, pk):
    _require(request.user, WRITE_PERM)
    job = _import_job(pk)
    try:
        apply_job, _started = services.dues_import_confirm(preview_job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:dues_import_job", pk=job.pk)
    return redirect("finance:dues_import_job", pk=apply_job.pk)


@login_required
def arrears(request):
    """Who has paid nothing for how many consecutive months; those at the threshold are marked for the chair."""
    _require(request.user, VIEW_PERM)
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
        "own": own, "can_write": not own and request.user.has_perm(WRITE_PERM),
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
    if not request.user.has_perm(VIEW_PERM):
        raise Http404
    return _history(request, get_object_or_404(Member, pk=pk), own=False)


@login_required
@require_http_methods(["GET", "POST"])
def member_payment(request, pk):
    """Record dues a member paid in person for a month (its own voucher)."""
    _require(request.user, WRITE_PERM)
    member = get_object_or_404(Member, pk=pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dues_pay_in_person(member=member, year=data["year"], month=data["month"], amount=data["amount"],
                                        received_on=data["received_on"], account_code=data["account"],
                                        actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The payment is recorded and booked."))
            return redirect("finance:dues_member", pk=member.pk)
    return render(request, "finance/dues/payment.html", {"form": form, "member": member})
