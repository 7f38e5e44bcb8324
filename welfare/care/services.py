"""Writes for care work: record a visit or gift, withdraw a mistaken one, record a holiday distribution in one go,
and care reports (情况报告).

Every payout is a spending record in the same transaction (``finance.spending.spending_record``): the gift and its
spending are saved together or not at all. The member's row is locked while the caps are checked, so two gifts
recorded at the same moment cannot together break a yearly cap (PostgreSQL row lock; SQLite serialises writes).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from accounts.selectors import permission_holders
from core.audit import audit_context
from core.notifications import notify
from finance.spending import SpendingState, spending_cancel, spending_for, spending_record
from members.models import Member

from ..models import BenefitPolicy, CareReport, Distribution, OccasionRule, Visit
from .access import can_report_for
from .rules import visit_refusals
from .selectors import policy_for_year, rule_for, usage_in_year

#: A distribution line: the member, the amount and the form of the gift.
DistributionLine = tuple  # (member, Decimal amount, GiftForm)


def _snapshot(policy, rule):
    """The policy figures a visit was checked against, kept on the visit: later edits of the policy never alter
    what was recorded."""
    return {"policy": policy, "checked_cap_per_event": rule.cap_per_event, "checked_cap_per_year": rule.cap_per_year,
            "checked_holiday_cap": policy.holiday_yearly_cap if rule.occasion.is_holiday else None,
            "checked_forms": ",".join(rule.allowed_forms), "account_code": rule.account.code}


def _create_visit(*, member, occasion, year, date, form, amount, policy, rule, actor, visitors=(), notes="",
                  signed_by="", report=None, distribution=None):
    visitor_members = [v for v in visitors if isinstance(v, Member)]
    names = [v.name if isinstance(v, Member) else str(v).strip() for v in visitors]
    visit = Visit.objects.create(
        member=member, occasion=occasion, year=year, date=date, form=form, amount=amount, notes=notes,
        signed_by=signed_by, visitors="、".join(n for n in names if n)[:200], report=report,
        distribution=distribution, recorded_by=actor, **_snapshot(policy, rule))
    if visitor_members:
        visit.visitor_members.set(visitor_members)
    if amount > 0:
        label = f"{year} {occasion.name}"
        spending_record(source=visit, amount=amount, account_code=rule.account.code, spent_on=date,
                        summary=_("%(occasion)s for %(member)s") % {"occasion": label, "member": member.name},
                        occasion=label, actor=actor)
    if report is not None and report.status == CareReport.Status.OPEN:
        report.status, report.closed_at = CareReport.Status.CLOSED, timezone.now()
        report.save(update_fields=["status", "closed_at"])
    return visit


def visit_record(*, member, occasion, date, form, amount, actor, visitors=(), notes="", signed_by="", year=None,
                 report=None):
    """Record a visit or gift (慰问) to `member` for `occasion`, checked against the policy of `year` (default: the
    year of `date`); the payout becomes a spending chargeable to the occasion's expense account.

    Raises ValidationError listing every rule broken (rules.visit_refusals); nothing is saved then.
    """
    amount = Decimal(amount)
    year = year or holiday_year(occasion, date) or date.year
    if report is not None and (report.member_id != member.pk or report.occasion_id != occasion.pk):
        raise ValidationError(_("The care report is about another member or occasion."))
    with transaction.atomic(), audit_context(actor=actor):
        member = Member.objects.for_update([member.pk])[member.pk]
        policy = policy_for_year(year)
        rule = rule_for(policy=policy, occasion=occasion)
        refusals = visit_refusals(member=member, occasion=occasion, year=year, form=form, amount=amount,
                                  policy=policy, rule=rule, usage=usage_in_year(year=year, member_ids=[member.pk]))
        if refusals:
            raise ValidationError(refusals)
        return _create_visit(member=member, occasion=occasion, year=year, date=date, form=form, amount=amount,
                             policy=policy, rule=rule, actor=actor, visitors=visitors, notes=notes,
                             signed_by=signed_by, report=report)


HOLIDAY_LATE_DAYS = 31  # a holiday gift handed out up to a month after the holiday still belongs to it


def holiday_year(occasion, date):
    """For a holiday, the year of the holiday a gift on `date` is for: the first one not more than a month past.
    A 2027 元旦 gift handed out on 2026-12-28 counts for 2027, so the same holiday cannot be given twice by dating
    the gifts either side of New Year. None for other occasions."""
    if not occasion.is_holiday:
        return None
    earliest = date - datetime.timedelta(days=HOLIDAY_LATE_DAYS)
    return next(year for year in (date.year - 1, date.year, date.year + 1) if occasion.date_in(year) >= earliest)


def visit_withdraw(*, visit, reason, actor):
    """Withdraw a mistaken visit (visits are never edited). Its spending is cancelled with it while it is not yet in
    the books; once posted, the treasurer first reverses the voucher, and then the visit can be withdrawn (so it
    stops counting against the caps)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the visit is withdrawn."))
    with transaction.atomic(), audit_context(actor=actor):
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.status != Visit.Status.RECORDED:
            raise ValidationError(_("This visit is already withdrawn."))
        spending = spending_for(visit)  # after a reversal in the books: the payout recorded again, not yet posted
        if spending is not None and spending.state == SpendingState.POSTED:
            raise ValidationError(_("The payout of this visit is already in the books (voucher %(voucher)s): the "
                                    "treasurer corrects it with a reversing voucher; the visit stays recorded.")
                                  % {"voucher": spending.voucher})
        if spending is not None and spending.state == SpendingState.RECORDED:
            spending_cancel(spending=spending, actor=actor)
        visit.status, visit.withdrawn_reason = Visit.Status.WITHDRAWN, reason[:300]
        visit.withdrawn_by, visit.withdrawn_at = actor, timezone.now()
        visit.save(update_fields=["status", "withdrawn_reason", "withdrawn_by", "withdrawn_at"])
        if visit.report_id and not visit.report.visits.filter(status=Visit.Status.RECORDED).exists():
            CareReport.objects.filter(pk=visit.report_id).update(status=CareReport.Status.OPEN, closed_at=None)
        return visit


def distribution_refusals(*, occasion, year, lines, members):
    """What ``distribution_record`` refuses, line by line: ``{member pk: ["name: problem", …]}``, and under ``None``
    what concerns the whole list (no policy, no rule). ``members``: the lines' members by pk, as the caller read
    them. Reads only: the confirmation page asks it before anything is written, and ``distribution_record`` asks
    it again under its row locks."""
    policy = policy_for_year(year)
    rule = rule_for(policy=policy, occasion=occasion)
    usage = usage_in_year(year=year, member_ids=[member.pk for member, _amount, _form in lines])
    refusals = {}
    for line_member, amount, form in lines:
        member = members[line_member.pk]
        problems = visit_refusals(member=member, occasion=occasion, year=year, form=form, amount=Decimal(amount),
                                  policy=policy, rule=rule, usage=usage)
        if problems and (policy is None or rule is None):
            return {None: problems}  # the same refusal would repeat for everyone
        if problems:
            refusals[member.pk] = [f"{member.name}: {problem}" for problem in problems]
    return refusals


def distribution_record(*, occasion, year, date, lines, actor):
    """Record a holiday's gifts for many members at once (e.g. 2027 春节). All or nothing: if any line breaks a rule,
    nothing is saved and the ValidationError lists every refusal with the member's name, keyed by the member's pk
    (``None`` for what concerns the whole list). Members who already received this holiday's gift in `year` are
    refused too (the page marks and skips them)."""
    if not occasion.is_holiday:
        raise ValidationError(_("%(occasion)s is not a holiday.") % {"occasion": occasion.name})
    lines = [(member, Decimal(amount), form) for member, amount, form in lines]
    if not lines:
        raise ValidationError(_("Nobody is on the list."))
    member_ids = [member.pk for member, _amount, _form in lines]
    if len(set(member_ids)) != len(member_ids):
        raise ValidationError(_("A member appears twice on the list."))
    with transaction.atomic(), audit_context(actor=actor):
        members = Member.objects.for_update(member_ids)  # in pk order: overlapping payouts cannot deadlock
        refusals = distribution_refusals(occasion=occasion, year=year, lines=lines, members=members)
        if refusals:
            raise ValidationError(refusals)
        policy = policy_for_year(year)
        rule = rule_for(policy=policy, occasion=occasion)
        distribution = Distribution.objects.create(occasion=occasion, year=year, date=date, recorded_by=actor)
        for line_member, amount, form in lines:
            _create_visit(member=members[line_member.pk], occasion=occasion, year=year, date=date, form=form,
                          amount=amount, policy=policy, rule=rule, actor=actor, distribution=distribution)
        return distribution


# --- care reports (情况报告) ---------------------------------------------------------------------------------------

def care_report_create(*, member, occasion, date, note="", actor):
    """Record that `member` is in hospital / married / had a child / lost a relative … so the union visits.
    The welfare officers are told (in the portal and by email) once the report is saved."""
    if not can_report_for(actor, member):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        report = CareReport.objects.create(member=member, occasion=occasion, date=date, note=note,
                                           reported_by=actor)
        transaction.on_commit(lambda: _tell_welfare_officers(report.pk))
        return report


def _tell_welfare_officers(report_id):
    report = CareReport.objects.select_related("member", "occasion", "reported_by").get(pk=report_id)
    title = _("Care report: %(member)s, %(occasion)s") % {"member": report.member.name,
                                                          "occasion": report.occasion.name}
    body = _("Reported by %(who)s for %(date)s. %(note)s") % {
        "who": display_name(report.reported_by), "date": report.date,
        "note": report.note}
    if report.occasion.must_visit:
        body += " " + _("This occasion is on the must-visit list (五必访).")
    officers = permission_holders("welfare.record_visit").exclude(pk=report.reported_by_id)
    for officer in officers:
        notify(user=officer, title=title, body=body, url=reverse("welfare:report_list"))


def care_report_close(*, report, actor):
    """Close a report without a visit (e.g. the member asked for none)."""
    with transaction.atomic(), audit_context(actor=actor):
        report = CareReport.objects.select_for_update().get(pk=report.pk)
        if report.status != CareReport.Status.OPEN:
            raise ValidationError(_("This report is already closed."))
        report.status, report.closed_at = CareReport.Status.CLOSED, timezone.now()
        report.save(update_fields=["status", "closed_at"])
        return report


# --- the policy ----------------------------------------------------------------------------------------------------

def policy_copy_to_year(*, policy, year, actor):
    """A copy of `policy` with its rules for `year` (in use unless that year already has a policy in use), so the
    chair starts next year from this year's figures and edits what changed. Refuses if the region has one already."""
    with transaction.atomic(), audit_context(actor=actor):
        if BenefitPolicy.objects.filter(year=year, region=policy.region).exists():
            raise ValidationError(_("There is already a %(year)s policy for %(region)s.")
                                  % {"year": year, "region": policy.region})
        copy = BenefitPolicy.objects.create(
            year=year, region=policy.region, name=policy.name, holiday_yearly_cap=policy.holiday_yearly_cap,
            notes=policy.notes, in_use=not BenefitPolicy.objects.filter(year=year, in_use=True).exists())
        for rule in OccasionRule.objects.filter(policy=policy):
            rule.pk, rule.policy = None, copy
            rule.save()
        return copy
