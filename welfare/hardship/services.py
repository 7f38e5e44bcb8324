"""Writes to hardship cases: the workflow of 困难职工帮扶 (DOMAIN §6), one step at a time.

"先建档、后帮扶、实名制": application → home visit and fact check → public notice (公示) with an objection window →
approval → aid → yearly review → closed. Only the transitions in ``TRANSITIONS`` exist; each locks the case row,
is dated, and leaves a HardshipCaseStep (who, when, what). A skipped or out-of-order step is refused.
"""

import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.masking import mask_name
from core.notifications import notify
from core.uploads import SCANS, upload_check
from members.models import Member

from ..models import (
    CaseAttachment,
    CaseNumberCounter,
    CaseObjection,
    CaseState,
    CaseStep,
    CloseReason,
    HardshipCase,
    HardshipCaseStep,
    HardshipLevel,
    HardshipPolicy,
)
from . import rules
from .selectors import case_handlers

S = CaseState

#: Attachments: what the office scans or photographs (ID, 户口簿, proof of income, hospital bills).
ATTACHMENT_KINDS = SCANS
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str


TRANSITIONS = {
    CaseStep.VISIT: Transition(sources=(S.APPLIED,), target=S.VISITED),
    CaseStep.NOTICE: Transition(sources=(S.VISITED,), target=S.NOTICE),
    CaseStep.APPROVE: Transition(sources=(S.NOTICE,), target=S.APPROVED),
    CaseStep.REVIEW: Transition(sources=(S.APPROVED,), target=S.APPROVED),
    CaseStep.CLOSE: Transition(sources=(S.APPLIED, S.VISITED, S.NOTICE, S.APPROVED), target=S.CLOSED),
}

#: What comes next from each state (for the refusal message and the page's buttons).
NEXT_STEP = {S.APPLIED: CaseStep.VISIT, S.VISITED: CaseStep.NOTICE, S.NOTICE: CaseStep.APPROVE,
             S.APPROVED: CaseStep.REVIEW}


def allowed_steps(case):
    return [step for step, rule in TRANSITIONS.items() if case.state in rule.sources]


def policy_for(year):
    """The rules in force for `year`: that year's row, else the latest earlier one, else the defaults."""
    return HardshipPolicy.objects.filter(year__lte=year).order_by("-year").first() or HardshipPolicy(year=year)


def thresholds_for(year):
    policy = policy_for(year)
    return rules.Thresholds(relative_multiple=policy.relative_multiple,
                            accident_cost_share=policy.accident_cost_share)


def masked_case_label(case):
    """How a case is named outside the case pages (spending summaries, notices): number and masked name."""
    return f"{case.number} {mask_name(case.member.name)}"


def _figures(*, income, costs, size, poverty_line, on):
    if size is None or int(size) < 1:
        raise ValidationError(_("The household has at least one person."), code="household_size")
    if income < 0 or costs < 0:
        raise ValidationError(_("Income and costs cannot be negative."), code="negative_figures")
    figure = rules.per_capita_monthly(income=income, costs=costs, size=size)
    suggested = rules.suggest_level(income=income, costs=costs, size=size, line=poverty_line.monthly_amount,
                                    thresholds=thresholds_for(on.year))
    return figure, suggested


def _check_level(*, level, suggested, reason):
    if level not in HardshipLevel.values:
        raise ValidationError(_("Choose a hardship level."), code="level")
    if level != suggested and not (reason or "").strip():
        raise ValidationError(
            _("The figures suggest “%(suggested)s”; give the reason for choosing “%(level)s”.")
            % {"suggested": HardshipLevel(suggested).label if suggested else _("no hardship level"),
               "level": HardshipLevel(level).label},
            code="level_reason_required")


def _check_date(day, *, not_before=None):
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")
    if not_before and day < not_before:
        raise ValidationError(_("The date %(date)s is before the previous step (%(previous)s).")
                              % {"date": day, "previous": not_before}, code="date_before_previous")


def _next_number(year):
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"KB{year}-{counter.last_number:03d}"


def _log(case, *, step, from_state, done_on, actor, note="", details=None):
    return HardshipCaseStep.objects.create(case=case, step=step, from_state=from_state or "", to_state=case.state,
                                           done_on=done_on, note=note or "", details=details or {}, actor=actor)


def _figures_details(case):
    return {"household_income": str(case.household_income), "unavoidable_costs": str(case.unavoidable_costs),
            "household_size": case.household_size, "poverty_line": str(case.poverty_line_amount),
            "per_capita_monthly": str(case.per_capita_monthly), "suggested_level": case.suggested_level,
            "level": case.level}


def case_open(*, member, level, household_income, unavoidable_costs, household_size, poverty_line, applied_on=None,
              causes=(), cause_text="", level_reason="", actor):
    """Open a case from an application (建档): one open case per member (also a database constraint)."""
    applied_on = applied_on or timezone.localdate()
    _check_date(applied_on)
    figure, suggested = _figures(income=household_income, costs=unavoidable_costs, size=household_size,
                                 poverty_line=poverty_line, on=applied_on)
    _check_level(level=level, suggested=suggested, reason=level_reason)
    with transaction.atomic(), audit_context(actor=actor):
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not member.is_on_roll:
            raise ValidationError(_("%(name)s is not on the roll.") % {"name": member.name}, code="not_on_roll")
        if HardshipCase.objects.filter(member=member).exclude(state=S.CLOSED).exists():
            raise ValidationError(_("%(name)s already has an open case; review or close it first.")
                                  % {"name": member.name}, code="open_case_exists")
        case = HardshipCase(
            number=_next_number(applied_on.year), member=member, level=level, suggested_level=suggested,
            level_reason=level_reason if level != suggested else "", household_income=household_income,
            unavoidable_costs=unavoidable_costs, household_size=household_size, poverty_line=poverty_line,
            poverty_line_amount=poverty_line.monthly_amount, per_capita_monthly=figure, cause_text=cause_text,
            applied_on=applied_on, state=S.APPLIED,
        )
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as error:  # a parallel application for the same member
            raise ValidationError(_("%(name)s already has an open case; review or close it first.")
                                  % {"name": member.name}, code="open_case_exists") from error
        case.causes.set(causes)
        _log(case, step=CaseStep.APPLY, from_state="", done_on=applied_on, actor=actor, details=_figures_details(case))
    return case


def _transition(case, step, *, done_on, actor, note="", prepare=None, details=None):
    """Lock the case, check the step is the legal next one, let `prepare(locked)` check and set fields, save, log."""
    done_on = done_on or timezone.localdate()
    rule = TRANSITIONS[step]
    with transaction.atomic(), audit_context(actor=actor):
        locked = HardshipCase.objects.select_for_update().get(pk=case.pk)
        if locked.state not in rule.sources:
            nxt = NEXT_STEP.get(locked.state)
            message = _("“%(step)s” is not possible for a case that is “%(state)s”.") % {
                "step": CaseStep(step).label, "state": CaseState(locked.state).label}
            if nxt:
                message += " " + _("The next step is “%(next)s”.") % {"next": CaseStep(nxt).label}
            raise ValidationError(message, code="illegal_step")
        last = locked.steps.order_by("-done_on").values_list("done_on", flat=True).first()
        _check_date(done_on, not_before=last)
        from_state = locked.state
        if prepare:
            prepare(locked, done_on)
        locked.state = rule.target
        locked.save()
        logged = _log(locked, step=step, from_state=from_state, done_on=done_on, actor=actor, note=note,
                      details=details(locked) if details else None)
    case.refresh_from_db()
    return logged


def case_visit(*, case, visited_on, visitors, findings, actor):
    """Record the home visit and fact check (入户走访核实): who visited, when, what they found."""
    if not (visitors or "").strip() or not (findings or "").strip():
        raise ValidationError(_("Name who visited and what they found."), code="visit_incomplete")

    def prepare(locked, done_on):
        locked.visited_on, locked.visitors, locked.visit_findings = done_on, visitors.strip(), findings.strip()

    return _transition(case, CaseStep.VISIT, done_on=visited_on, actor=actor, note=findings, prepare=prepare)


def case_notice(*, case, start=None, proposed_aid=None, proposed_aid_note="", actor):
    """Put the case on public notice (公示): the window's length comes from the year's rules (data)."""
    start = start or timezone.localdate()
    policy = policy_for(start.year)
    end = rules.notice_end(start, days=policy.notice_days, working_days=policy.notice_working_days)
    if proposed_aid is not None and proposed_aid <= 0:
        raise ValidationError(_("The proposed aid must be more than zero."), code="proposed_aid")

    def prepare(locked, done_on):
        locked.notice_start, locked.notice_end = start, end
        locked.proposed_aid, locked.proposed_aid_note = proposed_aid, proposed_aid_note

    return _transition(case, CaseStep.NOTICE, done_on=start, actor=actor, prepare=prepare,
                       details=lambda c: {"notice_start": str(start), "notice_end": str(end)})


def objection_submit(*, case, text, actor, on=None):
    """A member objects to a case on public notice; only while the window is open. Handlers are told."""
    on = on or timezone.localdate()
    if not (text or "").strip():
        raise ValidationError(_("Write what you object to."), code="objection_empty")
    with transaction.atomic(), audit_context(actor=actor):
        locked = HardshipCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != S.NOTICE or not (locked.notice_start <= on <= locked.notice_end):
            raise ValidationError(_("Objections to this notice are no longer taken."), code="window_closed")
        # One open objection per member and case: a repeated submit (or a flood) neither piles up objections nor
        # notifies the handlers again; once it is answered the member may object again.
        if CaseObjection.objects.filter(case=locked, submitted_by=actor, resolved_at__isnull=True).exists():
            raise ValidationError(_("You have objected to this case already; the committee will answer it before "
                                    "you can add another objection."), code="objection_open")
        objection = CaseObjection.objects.create(case=locked, text=text.strip(), submitted_by=actor)
        for handler in case_handlers():
            notify(user=handler, title=_("An objection to hardship case %(number)s") % {"number": locked.number},
                   url=f"/welfare/cases/{locked.pk}/")
    return objection


def objection_resolve(*, objection, resolution, actor):
    if not (resolution or "").strip():
        raise ValidationError(_("Say how the objection was resolved."), code="resolution_empty")
    with transaction.atomic(), audit_context(actor=actor):
        locked = CaseObjection.objects.select_for_update().get(pk=objection.pk)
        if locked.resolved_at:
            raise ValidationError(_("This objection is already resolved."), code="already_resolved")
        locked.resolution, locked.resolved_by, locked.resolved_at = resolution.strip(), actor, timezone.now()
        locked.save()
    return locked


def case_approve(*, case, approved_on=None, note="", actor):
    """Approve (建档): only after the objection window has ended and every objection is resolved."""

    def prepare(locked, done_on):
        if done_on <= locked.notice_end:
            raise ValidationError(
                _("The objection window runs until %(end)s; the case can be approved from the day after.")
                % {"end": locked.notice_end}, code="window_open")
        open_objections = locked.objections.filter(resolved_at__isnull=True).count()
        if open_objections:
            raise ValidationError(_("Resolve the %(count)d open objection(s) first.") % {"count": open_objections},
                                  code="objections_open")
        locked.approved_on = done_on
        locked.review_due_on = rules.add_one_year(done_on)

    return _transition(case, CaseStep.APPROVE, done_on=approved_on, actor=actor, note=note, prepare=prepare)


def case_review(*, case, household_income, unavoidable_costs, household_size, poverty_line, level, level_reason="",
                continue_case=True, close_reason="", reviewed_on=None, note="", actor):
    """The yearly review: re-check the figures, then continue the case (next review in a year) or close it."""
    reviewed_on = reviewed_on or timezone.localdate()
    figure, suggested = _figures(income=household_income, costs=unavoidable_costs, size=household_size,
                                 poverty_line=poverty_line, on=reviewed_on)
    if continue_case:
        _check_level(level=level, suggested=suggested, reason=level_reason)
    elif close_reason not in CloseReason.values:
        raise ValidationError(_("Give the reason for closing the case."), code="close_reason_required")

    def prepare(locked, done_on):
        locked.household_income, locked.unavoidable_costs = household_income, unavoidable_costs
        locked.household_size, locked.poverty_line = household_size, poverty_line
        locked.poverty_line_amount, locked.per_capita_monthly = poverty_line.monthly_amount, figure
        locked.suggested_level = suggested
        if continue_case:
            locked.level, locked.level_reason = level, (level_reason if level != suggested else "")
        locked.last_reviewed_on = done_on
        locked.review_due_on = rules.add_one_year(done_on)

    with transaction.atomic():
        logged = _transition(case, CaseStep.REVIEW, done_on=reviewed_on, actor=actor, note=note, prepare=prepare,
                             details=_figures_details)
        if not continue_case:
            logged = case_close(case=case, reason=close_reason, closed_on=reviewed_on, note=note, actor=actor)
    return logged


def case_close(*, case, reason, closed_on=None, note="", actor):
    """Close the file: out of hardship, retired, left, died — or not approved before approval."""
    if reason not in CloseReason.values:
        raise ValidationError(_("Give the reason for closing the case."), code="close_reason_required")

    def prepare(locked, done_on):
        if reason == CloseReason.NOT_APPROVED and locked.state == S.APPROVED:
            raise ValidationError(_("An approved case is closed at review, with the reason the hardship ended."),
                                  code="close_reason")
        locked.closed_on, locked.close_reason, locked.review_due_on = done_on, reason, None

    return _transition(case, CaseStep.CLOSE, done_on=closed_on, actor=actor, note=note, prepare=prepare)


def attachment_add(*, case, upload, description="", actor):
    """Keep a supporting document with the case: PDF, JPEG or PNG up to 10 MB, checked by name and content
    (core.uploads.upload_check)."""
    kind = upload_check(upload, allowed=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
    with transaction.atomic(), audit_context(actor=actor):
        case = HardshipCase.objects.select_for_update().get(pk=case.pk)
        if case.state == S.CLOSED:
            raise ValidationError(_("The case is closed."), code="case_closed")
        attachment = CaseAttachment(case=case, original_name=os.path.basename(upload.name)[:200],
                                    content_type=kind.content_type, size=upload.size,
                                    description=description, uploaded_by=actor)
        attachment.file.save(upload.name, upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment

