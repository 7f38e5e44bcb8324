"""Care pages (phone-first), joined under /welfare/: the welfare officer's overview, recording and withdrawing a
visit, a member's year against the caps, care reports (group leaders report for their own group), and holiday
distributions (节日慰问 in one go: choose the holiday and year, adjust the list, record all at once) with their
sign-for sheet (签收表) PDF, rendered right away for short lists and by a background job for long ones."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.idempotency import AlreadySubmitted, submit_once
from core.jobs import job_for_user
from core.models import Job
from core.money import money
from core.pdf import PDF_MIMETYPE
from finance.spending import spendings_for
from members.models import Member
from members.selectors import group_members_for_leader, member_for_user

from ..models import CareReport, GiftForm
from . import access, selectors, services, sheet
from .forms import (
    CareReportForm,
    DistributionChoiceForm,
    DistributionDateForm,
    DistributionFormSet,
    VisitFilterForm,
    VisitForm,
    WithdrawForm,
)


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


#: Visits per page on the care home.
VISITS_PER_PAGE = 20


@login_required
@require_GET
def care_home(request):
    """For the chair, welfare officers, treasurer and auditor: recent visits, open reports, holidays coming."""
    access.require_view(request.user)
    today = timezone.localdate()
    filter_form = VisitFilterForm(request.GET)
    visits = selectors.visits_listed(year=_year(request), **filter_form.filters())
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "welfare/care/home.html", {
        "visits": page, "page": page, "page_query": query.urlencode(), "filter_form": filter_form,
        "year": _year(request),
        "reports": list(selectors.open_reports()[:50]),
        "holidays": selectors.holidays_between(start=today, end=today + datetime.timedelta(days=90)),
        "distributions": selectors.distributions()[:10],
        "may_record": access.can_record(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    """Record a visit or gift. The service checks the policy; its refusals appear on the form, naming the rule."""
    access.require_record(request.user)
    report = None
    if request.GET.get("report", "").isdigit():
        report = get_object_or_404(CareReport.objects.select_related("member", "occasion"), pk=request.GET["report"])
    initial = {}
    if report is not None:
        initial = {"member": report.member, "occasion": report.occasion, "date": report.date}
    elif request.GET.get("member", "").isdigit():
        initial["member"] = request.GET["member"]
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = submit_once(request, scope="welfare.visit", perform=lambda: services.visit_record(
                member=data["member"], occasion=data["occasion"], date=data["date"], form=data["form"],
                amount=data["amount"], visitors=form.visitor_names(), notes=data["notes"],
                signed_by=data["signed_by"], actor=request.user,
                report=report if report and report.member_id == data["member"].pk else None),
                url=lambda visit: reverse("welfare:visit_detail", args=[visit.pk]))
        except AlreadySubmitted as first:
            return first.response(request)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("Recorded: %(occasion)s for %(member)s, %(amount)s yuan.") % {
                "occasion": visit.occasion.name, "member": visit.member.name, "amount": money(visit.amount)})
            return redirect("welfare:visit_detail", pk=visit.pk)
    year = form.cleaned_data["date"].year if form.is_bound and form.is_valid() else timezone.localdate().year
    policy, rules = selectors.policy_with_rules(year)
    return render(request, "welfare/care/visit_form.html",
                  {"form": form, "report": report, "policy": policy, "rules": rules})


@login_required
@require_GET
def visit_detail(request, pk):
    visit = access.visit_for_user(user=request.user, pk=pk)
    return render(request, "welfare/care/visit_detail.html", {
        "visit": visit, "spending": spendings_for([visit]).get(visit.pk),
        "visitor_members": list(visit.visitor_members.all()),
        "may_withdraw": access.can_withdraw(request.user) and visit.status == visit.Status.RECORDED,
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_withdraw(request, pk):
    """Confirm, then withdraw a mistaken visit with a reason (its spending is cancelled if not yet posted)."""
    visit = access.visit_for_user(user=request.user, pk=pk, withdraw=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_withdraw(visit=visit, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("The visit is withdrawn."))
            return redirect("welfare:visit_detail", pk=visit.pk)
    return render(request, "welfare/care/visit_withdraw.html", {"visit": visit, "form": form})


@login_required
@require_GET
def member_history(request, pk):
    """Everything a member received in a year against the caps (welfare officers, chair, treasurer, auditor)."""
    access.require_view(request.user)
    member = get_object_or_404(Member.objects.select_related("union_group", "department"), pk=pk)
    summary = selectors.member_year_summary(member=member, year=_year(request))
    return render(request, "welfare/care/member_history.html", {
        "member": member, "summary": summary, "may_record": access.can_record(request.user),
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)})


# --- care reports --------------------------------------------------------------------------------------------------

def _reportable_members(user):
    if access.can_record(user):
        return Member.objects.on_roll().select_related("union_group").order_by("name_initials", "pk")
    return group_members_for_leader(user).on_roll()


@login_required
@require_GET
def report_list(request):
    """Open reports: all of them for welfare officers, the own group's for a group leader."""
    access.require_reporter(request.user)
    if access.can_record(request.user):
        reports = selectors.open_reports()
    else:
        reports = selectors.reports_for_leader(request.user)
    return render(request, "welfare/care/report_list.html", {
        "reports": list(reports), "may_record": access.can_record(request.user),
        "must_visit": list(selectors.must_visit_occasions())})


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """A 小组长 (or the welfare officer) reports that a member is in hospital, married, had a child …"""
    access.require_reporter(request.user)
    form = CareReportForm(request.POST or None, members=_reportable_members(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(request, scope="welfare.care_report", url=reverse("welfare:report_list"),
                        perform=lambda: services.care_report_create(
                            member=data["member"], occasion=data["occasion"], date=data["date"], note=data["note"],
                            actor=request.user))
        except AlreadySubmitted as first:
            return first.response(request)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("Thank you: the union has been told about %(member)s.")
                             % {"member": data["member"].name})
            return redirect("welfare:report_list")
    return render(request, "welfare/care/report_form.html", {"form": form})


@login_required
@require_POST
def report_close(request, pk):
    report = access.care_report_for_user(user=request.user, pk=pk)
    try:
        services.care_report_close(report=report, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The report is closed."))
    return redirect("welfare:report_list")


@login_required
@require_GET
def my_care(request):
    """The member's own care this year (also shown on /members/me/)."""
    member = member_for_user(request.user)
    if member is None:
        return render(request, "members/no_record.html", status=404)
    summary = selectors.member_year_summary(member=member, year=_year(request))
    return render(request, "welfare/care/my_care.html", {"member": member, "summary": summary})


# --- holiday distributions -----------------------------------------------------------------------------------------


@login_required
@require_GET
def distribution_list(request):
    access.require_view(request.user)
    return render(request, "welfare/care/distribution_list.html", {
        "distributions": selectors.distributions(), "choice": DistributionChoiceForm(
            initial={"year": timezone.localdate().year}),
        "may_record": access.can_record(request.user)})


def _default_form(rule):
    for form in (GiftForm.GOODS, GiftForm.VOUCHER, GiftForm.CASH):
        if form in rule.allowed_forms:
            return form
    return GiftForm.GOODS


#: The steps of a distribution page's POST (the button pressed): check the list and show the confirmation page,
#: go back to the list as entered, or record it (the confirmation page's answer).
CHECK, EDIT, RECORD = "check", "edit", "record"
LIST_CHANGED = gettext_lazy("The list changed since the page was opened (someone received the gift or left the roll); "
                            "open the list again.")


@login_required
@require_http_methods(["GET", "POST"])
def distribution_new(request):
    """GET ?occasion=&year=: the eligible members with the per-person standard (those who already received the gift
    are listed apart and skipped), offered only the gift forms the holiday's rule allows. POST "check": every line is
    checked against the rules, nothing is written; the lines in error are marked on the list, else the confirmation
    page says how many members and how much in all. POST "record" (its answer): all lines in one transaction, or
    back to the list with every refusal marked. POST "edit": back to the list as entered."""
    access.require_record(request.user)
    choice = DistributionChoiceForm(request.GET or None, initial={"year": timezone.localdate().year})
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
    formset = DistributionFormSet(request.POST or None, initial=initial,
                                  form_kwargs={"allowed_forms": rule.allowed_forms})
    date_form = DistributionDateForm(request.POST or None, initial={"date": occasion.date_in(year)})
    step = request.POST.get("step", CHECK)
    refusals = {}
    if request.method == "POST" and step != EDIT and formset.is_valid() and date_form.is_valid():
        by_pk = {c.member.pk: c.member for c in open_candidates}
        lines = [(by_pk.get(f.cleaned_data["member"]) or Member(pk=f.cleaned_data["member"]),
                  f.cleaned_data["amount"], f.cleaned_data["form"])
                 for f in formset.forms if f.cleaned_data.get("include")]
        changed = any(member.pk not in by_pk for member, _amount, _form in lines)

        def record():
            if changed:
                raise ValidationError(str(LIST_CHANGED))
            return services.distribution_record(occasion=occasion, year=year, date=date_form.cleaned_data["date"],
                                                lines=lines, actor=request.user)

        if step == RECORD:
            try:  # a repeated submit is told so first: by then its members have received the gift
                distribution = submit_once(
                    request, scope="welfare.distribution", perform=record,
                    url=lambda distribution: reverse("welfare:distribution_detail", args=[distribution.pk]))
            except AlreadySubmitted as first:
                return first.response(request)
            except ValidationError as refusal:
                refusals = dict(refusal) if hasattr(refusal, "error_dict") else {None: refusal.messages}
            else:
                messages.success(request, _("Recorded %(count)d gifts for %(year)s %(occasion)s, %(total)s yuan in "
                                            "all.") % {"count": len(lines), "year": year, "occasion": occasion.name,
                                                       "total": money(sum(line[1] for line in lines))})
                return redirect("welfare:distribution_detail", pk=distribution.pk)
        elif changed or not lines:
            refusals = {None: [str(LIST_CHANGED) if changed else _("Nobody is on the list.")]}
        else:
            refusals = services.distribution_refusals(occasion=occasion, year=year, lines=lines, members=by_pk)
            if not refusals:
                return render(request, "welfare/care/distribution_confirm.html", {
                    "occasion": occasion, "year": year, "formset": formset, "date": date_form.cleaned_data["date"],
                    "lines": [(member, amount, GiftForm(form).label) for member, amount, form in lines],
                    "count": len(lines), "total": sum(line[1] for line in lines),
                    "back_url": reverse("welfare:distribution_list")})
    rows = [_Row(number, candidate, f, refusals.get(candidate.member.pk, []))
            for number, (candidate, f) in enumerate(_paired(open_candidates, formset), start=1)]
    return render(request, "welfare/care/distribution_form.html", {
        "occasion": occasion, "year": year, "rule": rule, "policy": rule.policy, "rows": rows, "formset": formset,
        "date_form": date_form, "already": [c for c in candidates if c.already], "refusals": refusals.get(None, []),
        "rows_in_error": [row for row in rows if row.in_error], "holiday_date": occasion.date_in(year)})


def _paired(candidates, formset):
    """Each line's candidate with its form: in the list's order when the page is first shown, by the member a posted
    line names afterwards (a line whose member is no longer a candidate is left out: the page says the list
    changed)."""
    if not formset.is_bound:
        return list(zip(candidates, formset.forms))
    by_pk = {str(c.member.pk): c for c in candidates}
    return [(by_pk[str(f["member"].value())], f) for f in formset.forms if str(f["member"].value()) in by_pk]


class _Row:
    """A line of the distribution list as shown: its number (第 57 行), the candidate, its form and what is wrong
    with it (a field error or a refusal of the rules)."""

    def __init__(self, number, candidate, form, refusals):
        self.number, self.candidate, self.form, self.refusals = number, candidate, form, refusals
        self.problems = list(refusals) + [f"{candidate.member.name}: {error}" for error in
                                          (form.errors.get("amount", []) + form.errors.get("form", []))]
        self.in_error = bool(self.problems)


@login_required
@require_GET
def distribution_detail(request, pk):
    distribution = access.distribution_for_user(user=request.user, pk=pk)
    groups = sheet.sheet_groups(distribution)
    return render(request, "welfare/care/distribution_detail.html", {
        "distribution": distribution, "groups": groups, "total": sum((g["total"] for g in groups), 0),
        "count": sum(len(g["rows"]) for g in groups), "sync_max": sheet.sync_max_rows(),
        "may_record": access.can_record(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def distribution_sheet(request, pk):
    """Short lists: the PDF right away (GET). Long ones: POST starts a background job with progress."""
    distribution = access.distribution_for_user(user=request.user, pk=pk)
    if request.method == "POST" or sheet.row_count(distribution) > sheet.sync_max_rows():
        if request.method != "POST":
            return redirect("welfare:distribution_detail", pk=distribution.pk)
        if not access.can_record(request.user):  # a job writes: not for read-only roles (the auditor)
            raise PermissionDenied
        job = sheet.sign_sheet_job_start(distribution=distribution, actor=request.user)
        return redirect("welfare:distribution_sheet_job", pk=distribution.pk, job_id=job.pk)
    filename, mimetype, data = sheet.sign_sheet_pdf(distribution)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def distribution_sheet_job(request, pk, job_id):
    distribution = access.distribution_for_user(user=request.user, pk=pk)
    job = job_for_user(user=request.user, job_id=job_id, kinds=[sheet.JOB_KIND], subject_permission=access.VIEW_DISTRIBUTION,
                       distribution=distribution.pk)
    if request.GET.get("download") and job.status == Job.Status.DONE and job.output_file:
        return FileResponse(job.output_file.open("rb"), as_attachment=True, content_type=PDF_MIMETYPE,
                            filename=job.result.get("filename") or "sign-sheet.pdf")
    # A colleague may open the page, but only those core lets follow a job get the live progress (else: reload).
    status_url = reverse("core:job_status", args=[job.pk]) if job.visible_to(request.user) else ""
    return render(request, "welfare/care/sheet_job.html", {"distribution": distribution, "job": job,
                                                           "status_url": status_url})
