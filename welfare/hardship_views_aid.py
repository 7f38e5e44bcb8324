"""Aid pages (mounted at /welfare/cases/): payments on a case, the 送温暖 round, 医疗互助 plans — for case handlers
only (404 for anyone else) — and the public notice (公示) that logged-in members see, where they may object."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pdf import render_pdf
from core.xlsx import XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes
from members.selectors import member_for_user

from . import hardship_aid as aid
from . import hardship_forms as forms
from . import hardship_selectors as selectors
from . import hardship_services as services
from .models import MedicalAidPlan


@login_required
@require_http_methods(["GET", "POST"])
def payment_create(request, pk):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = forms.PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            aid.aid_payment_record(case=case, kind=data["kind"], amount=data["amount"], paid_on=data["paid_on"],
                                   applied_on=data["applied_on"], education_stage=data["education_stage"],
                                   note=data["note"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The payment is recorded and booked as spending."))
            return redirect("welfare:hardship_detail", pk=case.pk)
    return render(request, "welfare/hardship/payment.html", {"case": case, "form": form})


# 公示 -------------------------------------------------------------------------------------------------------------


def _member_or_404(request):
    member = member_for_user(request.user)
    if member is None or not member.is_on_roll:
        raise Http404
    return member


@login_required
@require_GET
def notice_list(request):
    """The public notice: masked names, level, proposed aid and the window — no ID numbers, no figures."""
    _member_or_404(request)
    return render(request, "welfare/hardship/notices.html", {
        "notices": selectors.notices_open(), "form": forms.ObjectionForm(),
        "can_handle": selectors.can_handle_cases(request.user)})


@login_required
@require_POST
def notice_object(request, pk):
    _member_or_404(request)
    case = selectors.notice_case_or_404(pk=pk)
    form = forms.ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write what you object to."))
        services.objection_submit(case=case, text=form.cleaned_data["text"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your objection was received. It is handled confidentially."))
    return redirect("welfare:hardship_notices")


@login_required
@require_GET
def notice_pdf(request):
    """The notice as a PDF for the office's notice board (handlers only; a few rows, rendered at once)."""
    selectors.require_handler(request.user)
    filename, mimetype, data = render_pdf("welfare/hardship/pdf/notice.html", {"notices": selectors.notices_open()},
                                          filename=f"hardship-notice-{timezone.localdate():%Y%m%d}.pdf")
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# 送温暖 -------------------------------------------------------------------------------------------------------------


def _amount_or_none(raw):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": raw}) from None


@login_required
@require_http_methods(["GET", "POST"])
def warmth(request):
    """Build the 送温暖 list for a year and holiday from open approved cases, adjust, record all at once."""
    selectors.require_handler(request.user)
    today = timezone.localdate()
    choose = forms.WarmthChooseForm(request.GET or None, initial={"year": today.year + (today.month == 12)})
    lines, year, holiday = [], None, None
    if choose.is_bound and choose.is_valid():
        year, holiday = choose.cleaned_data["year"], choose.cleaned_data["holiday"]
        lines = aid.warmth_candidates(year=year, holiday=holiday)
    if request.method == "POST" and year:
        try:
            chosen = [(line.case, _amount_or_none(request.POST.get(f"amount-{line.case.pk}"))) for line in lines]
            payments = aid.warmth_batch_record(year=year, holiday=holiday, lines=chosen, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d 送温暖 visits recorded and booked as spending.")
                             % {"count": len(payments)})
            return redirect(f"{request.path}?year={year}&holiday={holiday}")
    return render(request, "welfare/hardship/warmth.html", {
        "choose": choose, "lines": lines, "year": year, "holiday": holiday, "posted": request.POST})


# 医疗互助 ------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def medical_plans(request):
    selectors.require_handler(request.user)
    plans = MedicalAidPlan.objects.all()
    return render(request, "welfare/hardship/medical_plans.html", {"plans": plans})


def _plan_or_404(request, plan_pk):
    selectors.require_handler(request.user)
    return get_object_or_404(MedicalAidPlan, pk=plan_pk)


@login_required
@require_http_methods(["GET", "POST"])
def medical_plan(request, plan_pk):
    plan = _plan_or_404(request, plan_pk)
    form = forms.EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            aid.medical_enrol(plan=plan, member=form.cleaned_data["member"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s enrolled.") % {"name": form.cleaned_data["member"].name})
            return redirect("welfare:hardship_medical_plan", plan_pk=plan.pk)
    return render(request, "welfare/hardship/medical_plan.html", {
        "plan": plan, "form": form, "enrolments": selectors.enrolments_for_plan(plan),
        "totals": selectors.enrolment_totals(plan)})


@login_required
@require_http_methods(["GET", "POST"])
def medical_enrol_all(request, plan_pk):
    """Confirmation page, then every active member not yet in the plan is enrolled in one go."""
    plan = _plan_or_404(request, plan_pk)
    if request.method == "POST":
        count = aid.medical_enrol_all(plan=plan, actor=request.user)
        messages.success(request, _("%(count)d members enrolled in %(plan)s.") % {"count": count, "plan": plan})
        return redirect("welfare:hardship_medical_plan", plan_pk=plan.pk)
    return render(request, "welfare/hardship/medical_enrol_all.html", {
        "plan": plan, "count": aid.medical_enrol_all_preview(plan=plan)})


@login_required
@require_GET
def medical_export(request, plan_pk):
    plan = _plan_or_404(request, plan_pk)
    workbook, sheet = new_sheet(str(plan.year), headers=[
        _("Card number"), _("Name"), _("Department"), _("Contribution (yuan)"), _("Enrolled at")],
        widths=(14, 12, 20, 14, 18))
    money = "#,##0.00"
    for row in selectors.enrolments_for_plan(plan):
        sheet.append([value_cell(sheet, row.member.card_number), value_cell(sheet, row.member.name),
                      value_cell(sheet, row.member.department.name if row.member.department else ""),
                      value_cell(sheet, row.contribution, number_format=money),
                      value_cell(sheet, timezone.localtime(row.enrolled_at).strftime("%Y-%m-%d %H:%M"))])
    totals = selectors.enrolment_totals(plan)
    sheet.append([value_cell(sheet, _("Total")), value_cell(sheet, totals["count"]), value_cell(sheet, ""),
                  value_cell(sheet, totals["total"], number_format=money)])
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="medical-aid-{plan.year}-{plan.pk}.xlsx"'
    return response
