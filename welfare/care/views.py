"""Care pages (phone-first): the welfare officer's overview, recording and withdrawing a visit, a member's year
against the caps, and care reports (group leaders report for their own group). Joined under /welfare/."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finance.money import money
from members.models import Member
from members.selectors import group_members_for_leader, member_for_user

from .. import care_selectors as selectors
from ..models import CareReport, Occasion, OccasionRule
from . import access, services
from .forms import CareReportForm, VisitForm, WithdrawForm


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
@require_GET
def care_home(request):
    """For the chair, welfare officers, treasurer and auditor: recent visits, open reports, holidays coming."""
    access.require_view(request.user)
    today = timezone.localdate()
    return render(request, "welfare/care/home.html", {
        "visits": selectors.visits_listed(year=_year(request))[:50], "year": _year(request),
        "reports": list(selectors.open_reports()[:50]),
        "holidays": selectors.holidays_between(start=today, end=today + datetime.timedelta(days=90)),
        "distributions": selectors.distributions()[:10],
        "may_record": request.user.has_perm(access.RECORD),
    })


def _policy_rules(year):
    policy = selectors.policy_for_year(year)
    rules = OccasionRule.objects.filter(policy=policy).select_related("occasion", "account") if policy else []
    return policy, rules


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
            visit = services.visit_record(
                member=data["member"], occasion=data["occasion"], date=data["date"], form=data["form"],
                amount=data["amount"], visitors=form.visitor_names(), notes=data["notes"],
                signed_by=data["signed_by"], actor=request.user,
                report=report if report and report.member_id == data["member"].pk else None)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("Recorded: %(occasion)s for %(member)s, %(amount)s yuan.") % {
                "occasion": visit.occasion.name, "member": visit.member.name, "amount": money(visit.amount)})
            return redirect("welfare:visit_detail", pk=visit.pk)
    year = form.cleaned_data["date"].year if form.is_bound and form.is_valid() else timezone.localdate().year
    policy, rules = _policy_rules(year)
    return render(request, "welfare/care/visit_form.html",
                  {"form": form, "report": report, "policy": policy, "rules": rules})


@login_required
@require_GET
def visit_detail(request, pk):
    visit = access.visit_get_for_user(user=request.user, pk=pk)
    from finance.spending import spending_for

    return render(request, "welfare/care/visit_detail.html", {
        "visit": visit, "spending": spending_for(visit), "visitor_members": list(visit.visitor_members.all()),
        "may_withdraw": request.user.has_perm(access.WITHDRAW) and visit.status == visit.Status.RECORDED,
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_withdraw(request, pk):
    """Confirm, then withdraw a mistaken visit with a reason (its spending is cancelled if not yet posted)."""
    visit = access.visit_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(access.WITHDRAW):
        raise PermissionDenied
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
        "member": member, "summary": summary, "may_record": request.user.has_perm(access.RECORD),
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)})


# --- care reports --------------------------------------------------------------------------------------------------

def _reportable_members(user):
    if user.has_perm(access.RECORD):
        return Member.objects.filter(status__in=["active", "retired"]).select_related("union_group") \
            .order_by("name_initials", "pk")
    return group_members_for_leader(user).filter(status__in=["active", "retired"])


@login_required
@require_GET
def report_list(request):
    """Open reports: all of them for welfare officers, the own group's for a group leader."""
    access.require_reporter(request.user)
    if request.user.has_perm(access.RECORD):
        reports = selectors.open_reports()
    else:
        reports = selectors.reports_for_leader(request.user)
    return render(request, "welfare/care/report_list.html", {
        "reports": list(reports), "may_record": request.user.has_perm(access.RECORD),
        "must_visit": list(Occasion.objects.filter(must_visit=True))})


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """A 小组长 (or the welfare officer) reports that a member is in hospital, married, had a child …"""
    access.require_reporter(request.user)
    form = CareReportForm(request.POST or None, members=_reportable_members(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.care_report_create(member=data["member"], occasion=data["occasion"], date=data["date"],
                                    note=data["note"], actor=request.user)
        messages.success(request, _("Thank you: the union has been told about %(member)s.")
                         % {"member": data["member"].name})
        return redirect("welfare:report_list")
    return render(request, "welfare/care/report_form.html", {"form": form})


@login_required
@require_POST
def report_close(request, pk):
    access.require_record(request.user)
    report = get_object_or_404(CareReport, pk=pk)
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
