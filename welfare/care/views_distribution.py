"""Holiday distributions (节日慰问 in one go): choose the holiday and year, adjust the list, record all at once; the
sign-for sheet (签收表) PDF, rendered right away for short lists and by a background job for long ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.models import Job
from core.pdf import PDF_MIMETYPE
from finance.money import money
from members.models import Member

from .. import care_selectors as selectors
from ..models import GiftForm
from . import access, services, sheet
from .forms import DistributionChoiceForm, DistributionDateForm, DistributionFormSet


@login_required
@require_GET
def distribution_list(request):
    access.require_view(request.user)
    return render(request, "welfare/care/distribution_list.html", {
        "distributions": selectors.distributions(), "choice": DistributionChoiceForm(
            initial={"year": timezone.localdate().year}),
        "may_record": request.user.has_perm(access.RECORD)})


def _default_form(rule):
    for form in (GiftForm.GOODS, GiftForm.VOUCHER, GiftForm.CASH):
        if form in rule.allowed_forms:
            return form
    return GiftForm.GOODS


@login_required
@require_http_methods(["GET", "POST"])
def distribution_new(request):
    """GET ?occasion=&year=: the eligible members with the per-person standard (those who already received the gift
    are listed apart and skipped). POST: record the included lines all at once, or list every refusal."""
    access.require_record(request.user)
    choice = DistributionChoiceForm(request.GET or None)
    if not choice.is_valid():
        return render(request, "welfare/care/distribution_choose.html", {"choice": choice})
    occasion, year = choice.cleaned_data["occasion"], choice.cleaned_data["year"]
    rule, candidates = selectors.distribution_candidates(occasion=occasion, year=year)
    if rule is None:
        choice.add_error(None, _("%(occasion)s is not covered by the benefit policy for %(year)s.")
                         % {"occasion": occasion.name, "year": year})
        return render(request, "welfare/care/distribution_choose.html", {"choice": choice})
    open_candidates = [c for c in candidates if not c.already]
    initial = [{"member": c.member.pk, "include": True, "amount": c.standard, "form": _default_form(rule)}
               for c in open_candidates]
    formset = DistributionFormSet(request.POST or None, initial=initial)
    date_form = DistributionDateForm(request.POST or None, initial={"date": occasion.date_in(year)})
    refusals = []
    if request.method == "POST" and formset.is_valid() and date_form.is_valid():
        by_pk = {c.member.pk: c.member for c in open_candidates}
        lines = [(by_pk.get(f.cleaned_data["member"]) or Member(pk=f.cleaned_data["member"]),
                  f.cleaned_data["amount"], f.cleaned_data["form"])
                 for f in formset.forms if f.cleaned_data.get("include")]
        unknown = [line for line in lines if line[0].pk not in by_pk]
        if unknown:
            refusals = [_("The list changed since the page was opened (someone received the gift or left the "
                          "roll); open the list again.")]
        else:
            try:
                distribution = services.distribution_record(occasion=occasion, year=year,
                                                            date=date_form.cleaned_data["date"], lines=lines,
                                                            actor=request.user)
            except ValidationError as refusal:
                refusals = refusal.messages
            else:
                messages.success(request, _("Recorded %(count)d gifts for %(year)s %(occasion)s, %(total)s yuan in "
                                            "all.") % {"count": len(lines), "year": year, "occasion": occasion.name,
                                                       "total": money(sum(line[1] for line in lines))})
                return redirect("welfare:distribution_detail", pk=distribution.pk)
    rows = list(zip(open_candidates, formset.forms))
    return render(request, "welfare/care/distribution_form.html", {
        "occasion": occasion, "year": year, "rule": rule, "policy": rule.policy, "rows": rows, "formset": formset,
        "date_form": date_form, "already": [c for c in candidates if c.already], "refusals": refusals,
        "holiday_date": occasion.date_in(year)})


@login_required
@require_GET
def distribution_detail(request, pk):
    distribution = access.distribution_get_for_user(user=request.user, pk=pk)
    groups = sheet.sheet_groups(distribution)
    return render(request, "welfare/care/distribution_detail.html", {
        "distribution": distribution, "groups": groups, "total": sum((g["total"] for g in groups), 0),
        "count": sum(len(g["rows"]) for g in groups), "sync_max": sheet.sync_max_rows(),
        "may_record": request.user.has_perm(access.RECORD)})


@login_required
@require_http_methods(["GET", "POST"])
def distribution_sheet(request, pk):
    """Short lists: the PDF right away (GET). Long ones: POST starts a background job with progress."""
    distribution = access.distribution_get_for_user(user=request.user, pk=pk)
    if request.method == "POST" or sheet.row_count(distribution) > sheet.sync_max_rows():
        if request.method != "POST":
            return redirect("welfare:distribution_detail", pk=distribution.pk)
        job = sheet.sign_sheet_job_start(distribution=distribution, actor=request.user)
        return redirect("welfare:distribution_sheet_job", pk=distribution.pk, job_id=job.pk)
    filename, mimetype, data = sheet.sign_sheet_pdf(distribution)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def distribution_sheet_job(request, pk, job_id):
    distribution = access.distribution_get_for_user(user=request.user, pk=pk)
    job = sheet.sign_sheet_job_for_user(user=request.user, distribution=distribution, job_id=job_id)
    if request.GET.get("download") and job.status == Job.Status.DONE and job.output_file:
        return FileResponse(job.output_file.open("rb"), as_attachment=True, content_type=PDF_MIMETYPE,
                            filename=job.result.get("filename") or "sign-sheet.pdf")
    # A colleague may open the page, but only those core lets follow a job get the live progress (else: reload).
    status_url = reverse("core:job_status", args=[job.pk]) if job.visible_to(request.user) else ""
    return render(request, "welfare/care/sheet_job.html", {"distribution": distribution, "job": job,
                                                           "status_url": status_url})
