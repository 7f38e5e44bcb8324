"""Hardship pages (mounted at /welfare/cases/): cases and their workflow, payments on a case, the 送温暖 round,
医疗互助 plans — for case handlers only (404 for anyone else, whatever the URL: ``access.require_handler`` /
``access.case_for_user``) — and the public notice (公示) that logged-in members see, where they may object."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.idempotency import AlreadySubmitted, submit_once
from core.pdf import render_pdf
from core.xlsx import MONEY_FORMAT, XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes
from finance.spending import spendings_for

from ..models import CaseAttachment, CaseObjection, CaseState, CaseStep, HardshipLevel
from . import access, aid, forms, rules, selectors, services


@login_required
@require_GET
def case_list(request):
    access.require_handler(request.user)
    state = request.GET.get("state") or ""
    level = request.GET.get("level") or ""
    query = (request.GET.get("q") or "").strip()
    cases = selectors.cases_listed(state=state if state in CaseState.values else None,
                                   level=level if level in HardshipLevel.values else None, query=query)
    return render(request, "welfare/hardship/list.html", {
        "cases": cases, "states": CaseState.choices, "levels": HardshipLevel.choices, "state": state,
        "level": level, "q": query})


def _figures_context(*, income, costs, size, line, on):
    """The per-capita calculation spelled out for the page, with the level the figures suggest."""
    suggested = rules.suggest_level(income=income, costs=costs, size=size, line=line,
                                    thresholds=services.thresholds_for(on.year))
    return {"income": income, "costs": costs, "size": size, "line": line, "suggested": suggested,
            "suggested_label": HardshipLevel(suggested).label if suggested else "",
            "per_capita": rules.per_capita_monthly(income=income, costs=costs, size=size)}


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    access.require_handler(request.user)
    form = forms.CaseOpenForm(request.POST or None)
    figures = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        figures = _figures_context(income=data["household_income"], costs=data["unavoidable_costs"],
                                   size=data["household_size"], line=data["poverty_line"].monthly_amount,
                                   on=data["applied_on"])
        try:
            case = services.case_open(
                member=data["member"], level=data["level"], level_reason=data["level_reason"],
                household_income=data["household_income"], unavoidable_costs=data["unavoidable_costs"],
                household_size=data["household_size"], poverty_line=data["poverty_line"],
                applied_on=data["applied_on"], causes=data["causes"], cause_text=data["cause_text"],
                actor=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("welfare:hardship_detail", pk=case.pk)
    return render(request, "welfare/hardship/create.html", {"form": form, "figures": figures})


@login_required
@require_GET
def case_detail(request, pk):
    case = access.case_for_user(user=request.user, pk=pk)
    payments = list(selectors.case_payments(case))
    spendings = spendings_for(payments)  # where each payment stands in the books, a chair's refusal included
    for payment in payments:
        payment.spending = spendings.get(payment.pk)
    return render(request, "welfare/hardship/detail.html", {
        "case": case, "steps": selectors.case_history(case),
        "figures": _figures_context(income=case.household_income, costs=case.unavoidable_costs,
                                    size=case.household_size, line=case.poverty_line_amount,
                                    on=case.last_reviewed_on or case.applied_on), "payments": payments,
        "objections": case.objections.select_related("submitted_by", "resolved_by"),
        "attachments": case.attachments.select_related("uploaded_by"),
        "allowed": services.allowed_steps(case), "next_step": services.NEXT_STEP.get(case.state),
        "attachment_form": forms.AttachmentForm(), "resolve_form": forms.ResolveForm(),
        "Step": CaseStep, "State": CaseState,
    })


STEP_FORMS = {CaseStep.VISIT: forms.VisitForm, CaseStep.NOTICE: forms.NoticeForm, CaseStep.APPROVE: forms.ApproveForm,
              CaseStep.REVIEW: forms.ReviewForm, CaseStep.CLOSE: forms.CloseForm}


def _initial_for(step, case):
    if step == CaseStep.REVIEW:
        return {"household_income": case.household_income, "unavoidable_costs": case.unavoidable_costs,
                "household_size": case.household_size, "poverty_line": case.poverty_line, "level": case.level}
    if step == CaseStep.NOTICE:
        return {"proposed_aid": case.proposed_aid, "proposed_aid_note": case.proposed_aid_note}
    return {}


def _run_step(step, case, data, actor):
    if step == CaseStep.VISIT:
        return services.case_visit(case=case, visited_on=data["visited_on"], visitors=data["visitors"],
                                   findings=data["findings"], actor=actor)
    if step == CaseStep.NOTICE:
        return services.case_notice(case=case, start=data["start"], proposed_aid=data["proposed_aid"],
                                    proposed_aid_note=data["proposed_aid_note"], actor=actor)
    if step == CaseStep.APPROVE:
        return services.case_approve(case=case, approved_on=data["approved_on"], note=data["note"], actor=actor)
    if step == CaseStep.REVIEW:
        return services.case_review(
            case=case, household_income=data["household_income"], unavoidable_costs=data["unavoidable_costs"],
            household_size=data["household_size"], poverty_line=data["poverty_line"], level=data["level"],
            level_reason=data["level_reason"], continue_case=data["decision"] == "continue",
            close_reason=data["close_reason"], reviewed_on=data["reviewed_on"], note=data["note"], actor=actor)
    return services.case_close(case=case, reason=data["reason"], closed_on=data["closed_on"], note=data["note"],
                               actor=actor)


@login_required
@require_http_methods(["GET", "POST"])
def case_step(request, pk, step):
    case = access.case_for_user(user=request.user, pk=pk)
    if step not in STEP_FORMS:
        raise Http404
    form = STEP_FORMS[step](request.POST or None, initial=_initial_for(step, case))
    if request.method == "POST" and form.is_valid():
        try:
            _run_step(step, case, form.cleaned_data, request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("“%(step)s” recorded for case %(number)s.")
                             % {"step": CaseStep(step).label, "number": case.number})
            return redirect("welfare:hardship_detail", pk=case.pk)
    return render(request, "welfare/hardship/step.html", {"case": case, "form": form, "step": CaseStep(step)})


@login_required
@require_POST
def objection_resolve(request, pk, objection_pk):
    case = access.case_for_user(user=request.user, pk=pk)
    objection = get_object_or_404(CaseObjection, pk=objection_pk, case=case)
    form = forms.ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say how the objection was resolved."))
        services.objection_resolve(objection=objection, resolution=form.cleaned_data["resolution"],
                                   actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The objection is marked resolved."))
    return redirect("welfare:hardship_detail", pk=case.pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    case = access.case_for_user(user=request.user, pk=pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        services.attachment_add(case=case, upload=form.cleaned_data["file"],
                                description=form.cleaned_data["description"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is attached to the case."))
    return redirect("welfare:hardship_detail", pk=case.pk)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """The only way to read an attachment: handlers only, as a download, never cached by proxies."""
    case = access.case_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_pk, case=case)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Aid ---------------------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def payment_create(request, pk):
    case = access.case_for_user(user=request.user, pk=pk)
    form = forms.PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(request, scope="welfare.aid_payment",
                        url=reverse("welfare:hardship_detail", args=[case.pk]),
                        perform=lambda: aid.aid_payment_record(
                            case=case, kind=data["kind"], amount=data["amount"], paid_on=data["paid_on"],
                            applied_on=data["applied_on"], education_stage=data["education_stage"],
                            note=data["note"], actor=request.user))
        except AlreadySubmitted as first:
            return first.response(request)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The payment is recorded and booked as spending."))
            return redirect("welfare:hardship_detail", pk=case.pk)
    return render(request, "welfare/hardship/payment.html", {"case": case, "form": form})


# 公示 -------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request):
    """The public notice: masked names, level, proposed aid and the window — no ID numbers, no figures."""
    access.notice_member_for_user(user=request.user)
    return render(request, "welfare/hardship/notices.html", {
        "notices": selectors.notices_open(), "form": forms.ObjectionForm(),
        "can_handle": access.can_handle_cases(request.user)})


@login_required
@require_POST
def notice_object(request, pk):
    case = access.notice_case_for_user(user=request.user, pk=pk)
    form = forms.ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write what you object to."))
        submit_once(request, scope="welfare.objection", url=reverse("welfare:hardship_notices"),
                    perform=lambda: services.objection_submit(case=case, text=form.cleaned_data["text"],
                                                              actor=request.user))
    except AlreadySubmitted as first:
        return first.response(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your objection was received. It is handled confidentially."))
    return redirect("welfare:hardship_notices")


@login_required
@require_GET
def notice_pdf(request):
    """The notice as a PDF for the office's notice board (handlers only; a few rows, rendered at once)."""
    access.require_handler(request.user)
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
    access.require_handler(request.user)
    today = timezone.localdate()
    choose = forms.WarmthChooseForm(request.GET or None, initial={"year": today.year + (today.month == 12)})
    lines, year, holiday = [], None, None
    if choose.is_bound and choose.is_valid():
        year, holiday = choose.cleaned_data["year"], choose.cleaned_data["holiday"]
        lines = aid.warmth_candidates(year=year, holiday=holiday)
    if request.method == "POST" and year:
        try:
            chosen = [(line.case, _amount_or_none(request.POST.get(f"amount-{line.case.pk}"))) for line in lines]
            payments = submit_once(request, scope="welfare.warmth", url=f"{request.path}?year={year}&holiday={holiday}",
                                   perform=lambda: aid.warmth_batch_record(year=year, holiday=holiday, lines=chosen,
                                                                           actor=request.user))
        except AlreadySubmitted as first:
            return first.response(request)
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
    access.require_handler(request.user)
    plans = selectors.medical_plans()
    return render(request, "welfare/hardship/medical_plans.html", {"plans": plans})


@login_required
@require_http_methods(["GET", "POST"])
def medical_plan(request, plan_pk):
    plan = access.medical_plan_for_user(user=request.user, pk=plan_pk)
    form = forms.EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(request, scope="welfare.medical_enrol",
                        url=reverse("welfare:hardship_medical_plan", args=[plan.pk]),
                        perform=lambda: aid.medical_enrol(plan=plan, member=form.cleaned_data["member"],
                                                          actor=request.user))
        except AlreadySubmitted as first:
            return first.response(request)
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
    plan = access.medical_plan_for_user(user=request.user, pk=plan_pk)
    if request.method == "POST":
        count = aid.medical_enrol_all(plan=plan, actor=request.user)
        messages.success(request, _("%(count)d members enrolled in %(plan)s.") % {"count": count, "plan": plan})
        return redirect("welfare:hardship_medical_plan", plan_pk=plan.pk)
    return render(request, "welfare/hardship/medical_enrol_all.html", {
        "plan": plan, "count": aid.medical_enrol_all_preview(plan=plan)})


@login_required
@require_GET
def medical_export(request, plan_pk):
    plan = access.medical_plan_for_user(user=request.user, pk=plan_pk)
    workbook, sheet = new_sheet(str(plan.year), headers=[
        _("Card number"), _("Name"), _("Department"), _("Contribution (yuan)"), _("Enrolled at")],
        widths=(14, 12, 20, 14, 18))
    for row in selectors.enrolments_for_plan(plan):
        sheet.append([value_cell(sheet, row.member.card_number), value_cell(sheet, row.member.name),
                      value_cell(sheet, row.member.department.name if row.member.department else ""),
                      value_cell(sheet, row.contribution, number_format=MONEY_FORMAT),
                      value_cell(sheet, timezone.localtime(row.enrolled_at).strftime("%Y-%m-%d %H:%M"))])
    totals = selectors.enrolment_totals(plan)
    sheet.append([value_cell(sheet, _("Total")), value_cell(sheet, totals["count"]), value_cell(sheet, ""),
                  value_cell(sheet, totals["total"], number_format=MONEY_FORMAT)])
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="medical-aid-{plan.year}-{plan.pk}.xlsx"'
    return response
