"""Hardship case pages for the chair and welfare officers (mounted at /welfare/cases/).

Every view starts with ``require_handler`` / ``case_get_for_user``: anyone else gets a 404, whatever the URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import hardship_forms as forms
from . import hardship_rules as rules
from . import hardship_selectors as selectors
from . import hardship_services as services
from .models import CaseAttachment, CaseObjection, CaseState, CaseStep, HardshipLevel


@login_required
@require_GET
def case_list(request):
    selectors.require_handler(request.user)
    state = request.GET.get("state") or ""
    level = request.GET.get("level") or ""
    query = (request.GET.get("q") or "").strip()
    cases = selectors.cases_for_handler(request.user, state=state if state in CaseState.values else None,
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
    selectors.require_handler(request.user)
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
                household_size=data["household_size"], line=data["poverty_line"].monthly_amount,
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
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    return render(request, "welfare/hardship/detail.html", {
        "case": case, "steps": selectors.case_history(case),
        "figures": _figures_context(income=case.household_income, costs=case.unavoidable_costs,
                                    size=case.household_size, line=case.poverty_line_amount,
                                    on=case.last_reviewed_on or case.applied_on), "payments": selectors.case_payments(case),
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
            household_size=data["household_size"], line=data["poverty_line"].monthly_amount, level=data["level"],
            level_reason=data["level_reason"], continue_case=data["decision"] == "continue",
            close_reason=data["close_reason"], reviewed_on=data["reviewed_on"], note=data["note"], actor=actor)
    return services.case_close(case=case, reason=data["reason"], closed_on=data["closed_on"], note=data["note"],
                               actor=actor)


@login_required
@require_http_methods(["GET", "POST"])
def case_step(request, pk, step):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
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
    case = selectors.case_get_for_user(user=request.user, pk=pk)
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
    case = selectors.case_get_for_user(user=request.user, pk=pk)
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
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_pk, case=case)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
