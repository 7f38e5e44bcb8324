"""Money out of hardship cases: aid payments (living, medical, 金秋助学, 送温暖), the 送温暖 round before 元旦 / 春节,
and 医疗互助 enrolment.

Every payment is booked through ``finance.spending.spending_record`` in the same transaction: the payment and its
spending are saved together or not at all. The expense account comes from the aid kind (data: 50301 困难职工帮扶,
50302 送温暖). Spending summaries name the case number and the masked name only (张*明), never the full name or ID.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from finance.spending import spending_record
from members.models import Member

from ..models import (
    AidKind,
    AidKindCode,
    AidPayment,
    CaseState,
    EducationAidRate,
    HardshipCase,
    MedicalAidEnrolment,
    WarmthRate,
)
from .services import masked_case_label, policy_for


def _check_amount(amount):
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("The amount must be more than zero, in yuan and fen."), code="amount")
    return amount


def _check_education(*, case, amount, applied_on, stage):
    """金秋助学: applications in the season (July–August by default, data), children entering or at university
    or senior high school, at most the standard for the stage (data)."""
    policy = policy_for(applied_on.year)
    if not policy.education_season_from <= applied_on.month <= policy.education_season_until:
        raise ValidationError(
            _("金秋助学 applications are taken from month %(start)d to month %(end)d; this one is dated %(date)s.")
            % {"start": policy.education_season_from, "end": policy.education_season_until, "date": applied_on},
            code="education_season")
    rate = EducationAidRate.objects.filter(stage=stage).first()
    if rate is None:
        raise ValidationError(_("Choose the school stage (university or senior high school)."), code="education_stage")
    if amount > rate.amount:
        raise ValidationError(_("The 金秋助学 standard for %(stage)s is %(standard)s yuan; %(amount)s is more.")
                              % {"stage": rate.get_stage_display(), "standard": rate.amount, "amount": amount},
                              code="education_over_standard")


def _record(*, case, kind, amount, paid_on, actor, note="", occasion="", applied_on=None, stage=""):
    """Save one payment and its spending on a locked, approved case (the caller holds the transaction)."""
    if case.state != CaseState.APPROVED:
        raise ValidationError(_("Aid is paid only on an approved, open case; %(number)s is “%(state)s”.")
                              % {"number": case.number, "state": case.get_state_display()}, code="case_not_approved")
    if paid_on < case.approved_on:
        raise ValidationError(_("The payment date is before the case was approved (%(date)s).")
                              % {"date": case.approved_on}, code="paid_before_approval")
    payment = AidPayment.objects.create(case=case, kind=kind, amount=amount, paid_on=paid_on, note=note,
                                        occasion=occasion, applied_on=applied_on, education_stage=stage,
                                        recorded_by=actor)
    summary = f"{kind.name} {masked_case_label(case)}"
    spending_record(source=payment, amount=amount, account_code=kind.account_code, spent_on=paid_on,
                    summary=summary, occasion=occasion or kind.name, actor=actor)
    return payment


def aid_payment_record(*, case, kind, amount, paid_on=None, note="", applied_on=None, education_stage="",
                       occasion="", actor):
    """Pay aid on a case (困难职工帮扶), booked as spending in the same transaction."""
    amount = _check_amount(amount)
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")
    if kind.code == AidKindCode.EDUCATION:
        applied_on = applied_on or paid_on
        _check_education(case=case, amount=amount, applied_on=applied_on, stage=education_stage)
    else:
        education_stage = ""
    with transaction.atomic(), audit_context(actor=actor):
        locked = HardshipCase.objects.select_for_update().select_related("member").get(pk=case.pk)
        return _record(case=locked, kind=kind, amount=amount, paid_on=paid_on, actor=actor, note=note,
                       occasion=occasion, applied_on=applied_on, stage=education_stage)


# 送温暖 -------------------------------------------------------------------------------------------------------------


@dataclass
class WarmthLine:
    case: HardshipCase
    amount: Decimal


def warmth_occasion(*, year, holiday):
    return f"{year} {holiday} 送温暖"


def warmth_candidates(*, year, holiday):
    """The 送温暖 list for a holiday: open approved cases, each with the suggested amount for its level (data),
    leaving out cases that already received this holiday's 送温暖. Three queries."""
    rates = dict(WarmthRate.objects.values_list("level", "amount"))
    done = set(AidPayment.objects.filter(kind__code=AidKindCode.WARMTH, occasion=warmth_occasion(
        year=year, holiday=holiday)).values_list("case_id", flat=True))
    cases = (HardshipCase.objects.select_related("member", "member__department")
             .filter(state=CaseState.APPROVED).order_by("member__department__sort_order", "member__name_initials"))
    return [WarmthLine(case=case, amount=rates.get(case.level, Decimal("0.00"))) for case in cases
            if case.pk not in done]


def warmth_batch_record(*, year, holiday, lines, paid_on=None, actor):
    """Record the 送温暖 visits of a holiday all at once: each is a 送温暖 aid payment and a spending (50302 by
    default, from the aid kind). All or nothing: one refused line leaves nothing saved, and the message names it.

    ``lines``: iterable of (case, amount); lines with no amount are skipped.
    """
    paid_on = paid_on or timezone.localdate()
    kind = AidKind.objects.filter(code=AidKindCode.WARMTH).first()
    if kind is None:
        raise ValidationError(_("The aid kind 送温暖 is missing from the aid kinds."), code="no_warmth_kind")
    occasion = warmth_occasion(year=year, holiday=holiday)
    payments = []
    with transaction.atomic(), audit_context(actor=actor):
        for case, amount in lines:
            if amount in (None, ""):
                continue
            locked = HardshipCase.objects.select_for_update().select_related("member").get(pk=case.pk)
            try:
                amount = _check_amount(amount)
                if AidPayment.objects.filter(case=locked, kind=kind, occasion=occasion).exists():
                    raise ValidationError(_("already received %(occasion)s") % {"occasion": occasion})
                payments.append(_record(case=locked, kind=kind, amount=amount, paid_on=paid_on, actor=actor,
                                        occasion=occasion))
            except ValidationError as error:
                raise ValidationError(_("%(case)s: %(error)s — nothing was recorded.")
                                      % {"case": masked_case_label(locked), "error": " ".join(error.messages)},
                                      code="warmth_line") from error
        if not payments:
            raise ValidationError(_("Enter at least one amount."), code="warmth_empty")
    return payments


# 医疗互助 ------------------------------------------------------------------------------------------------------------


def medical_enrol(*, plan, member, actor):
    """Enrol a member in a 医疗互助 plan of a year (one enrolment per member and plan: also a constraint)."""
    if not member.is_in_service:
        raise ValidationError(_("%(name)s is not an active member.") % {"name": member.name}, code="not_active")
    try:
        with transaction.atomic(), audit_context(actor=actor):
            return MedicalAidEnrolment.objects.create(plan=plan, member=member, contribution=plan.contribution,
                                                      enrolled_by=actor)
    except IntegrityError as error:
        raise ValidationError(_("%(name)s is already enrolled in %(plan)s.") % {"name": member.name, "plan": plan},
                              code="already_enrolled") from error


def medical_enrol_all_preview(*, plan):
    """How many active members a bulk enrolment would add (the confirmation page shows it)."""
    active = Member.objects.in_service()
    return active.exclude(medical_aid_enrolments__plan=plan).count()


def medical_enrol_all(*, plan, actor):
    """Enrol every active member not yet in the plan, in one go. Re-running adds only newcomers."""
    with transaction.atomic(), audit_context(actor=actor):
        members = Member.objects.in_service().exclude(medical_aid_enrolments__plan=plan)
        rows = [MedicalAidEnrolment(plan=plan, member=member, contribution=plan.contribution, enrolled_by=actor)
                for member in members.only("pk")]
        # Saved one by one (not bulk_create) so each enrolment gets its audit entry.
        for row in rows:
            row.save()
    return len(rows)
