"""Budgets (预算) and the check of spending against them (《基层工会经费收支管理办法》: the budget is approved in
advance; spending is checked against the approved lines).

A budget and each adjustment go 草拟 → 委员会通过 → 经审会审查 → 上级批复. Every step is recorded by the chair (who
chairs the committee and, for the two outside steps, enters the date and reference of the 经审会's minutes and of the
higher union's reply): the auditor role stays strictly read-only, so the audit committee's decision is entered as a
record of its meeting, not as a click by an auditor. The lines limit spending once the committee and the 经审会 have
agreed (finance.models.BUDGET_IN_FORCE).

Spending above an approved line, and spending while no budget is in force for the year, needs the chair's explicit
approval (OverBudgetApproval), given only by someone holding finance.approve_over_budget — never the treasurer
alone: either beforehand (`over_budget_approve`), or on the treasurer's request when posting was refused
(`over_budget_request` holds the spending for the chair; the chair answers with `over_budget_confirm`, or with
`over_budget_decline` and a reason, which leaves the spending unposted and tells its owners).
"""

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.money import check_fen
from core.notifications import notify
from finance.books import selectors as books
from finance.books.access import source_url
from finance.models import (
    Account,
    Budget,
    BudgetLine,
    BudgetState,
    FiscalYear,
    OverBudgetApproval,
    SpendingState,
    VoucherState,
)

from .access import can_approve_budget, can_approve_over_budget, can_hold_for_the_chair, chair_check
from .selectors import Excess, budget_check

NEXT_STEP = {BudgetState.DRAFT: BudgetState.COMMITTEE, BudgetState.COMMITTEE: BudgetState.AUDIT,
             BudgetState.AUDIT: BudgetState.HIGHER}
STEP_FIELDS = {BudgetState.COMMITTEE: "committee", BudgetState.AUDIT: "audit", BudgetState.HIGHER: "higher"}


def budget_create(*, year: int, title: str, lines: dict[str, Decimal], actor, adjusts: Budget | None = None) -> Budget:
    """A draft budget (or adjustment of `adjusts`) with one line per account code; amounts in yuan and fen.
    In an adjustment amounts are changes and may be negative, but no line may end below zero."""
    if adjusts is not None and adjusts.state not in (BudgetState.AUDIT, BudgetState.HIGHER):
        raise ValidationError(_("Only a budget in force can be adjusted."))
    accounts = {a.code: a for a in Account.objects.filter(code__in=lines, is_active=True)}
    for code, amount in lines.items():
        amount = Decimal(amount)
        if code not in accounts:
            raise ValidationError(_("There is no account %(code)s in use.") % {"code": code})
        check_fen(amount, positive=False, signed=adjusts is not None,
                  message=_("Budget amounts are sums in yuan and fen (%(code)s).") % {"code": code})
    with transaction.atomic(), audit_context(actor=actor):
        fiscal_year, _created = FiscalYear.objects.get_or_create(year=adjusts.fiscal_year.year if adjusts else year)
        if adjusts is None and Budget.objects.filter(fiscal_year=fiscal_year, adjusts__isnull=True).exists():
            raise ValidationError(_("%(year)s already has a budget: adjust it instead.") % {"year": fiscal_year})
        budget = Budget.objects.create(fiscal_year=fiscal_year, title=title, adjusts=adjusts, created_by=actor)
        BudgetLine.objects.bulk_create(BudgetLine(budget=budget, account=accounts[code], amount=Decimal(amount))
                                       for code, amount in lines.items())
    return budget


def budget_advance(*, budget: Budget, on: datetime.date, reference: str, actor) -> Budget:
    """Record the next approval step of a budget or adjustment: who (the actor), when (`on`, the date of the
    meeting or reply) and its reference (minutes, reply number). Chair only (finance.approve_budget)."""
    chair_check(can_approve_budget(actor))
    with transaction.atomic(), audit_context(actor=actor):
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
        step = NEXT_STEP.get(budget.state)
        if step is None:
            raise ValidationError(_("This budget has gone through every step already."))
        if not budget.lines.exists():
            raise ValidationError(_("A budget without lines cannot be approved."))
        if step != BudgetState.COMMITTEE and not reference.strip():
            raise ValidationError(_("Enter the reference of the minutes or the reply."))
        if step == BudgetState.AUDIT and budget.adjusts_id:
            _check_adjusted_lines(budget)
        prefix = STEP_FIELDS[step]
        setattr(budget, f"{prefix}_by", actor)
        setattr(budget, f"{prefix}_on", on)
        setattr(budget, f"{prefix}_reference", reference.strip()[:200])
        budget.state = step
        budget.save()
    return budget


def _check_adjusted_lines(adjustment: Budget):
    current = books.budget_amounts(year=adjustment.fiscal_year.year)
    for line in adjustment.lines.select_related("account"):
        if current.get(line.account_id, Decimal("0")) + line.amount < 0:
            raise ValidationError(_("The adjustment would take %(account)s below zero.") % {"account": line.account})


def over_budget_approve(*, year: int, account: Account, amount: Decimal, reason: str, actor,
                        no_budget: bool = False) -> OverBudgetApproval:
    """The chair allows spending up to `amount` above the approved line of `account` in `year` — or, with
    `no_budget`, spending up to `amount` on `account` while the year's budget is not in force (logged)."""
    chair_check(can_approve_over_budget(actor))
    amount = check_fen(amount, message=_("The amount must be a positive sum in yuan and fen."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for spending above the budget."))
    with transaction.atomic(), audit_context(actor=actor):
        fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
        return OverBudgetApproval.objects.create(fiscal_year=fiscal_year, account=account, amount=amount,
                                                 no_budget=no_budget, reason=reason.strip()[:300],
                                                 approved_by=actor, approved_at=timezone.now())


def held_key(*, voucher=None, spendings=()) -> str:
    """The key of a held posting: the draft voucher, or the set of recorded spending (however it is ordered), so a
    request is told apart by what it is for, never by its summary text."""
    if voucher is not None:
        return f"voucher:{voucher.pk}"
    pks = sorted({spending.pk for spending in spendings})
    if not pks:
        raise ValueError("a held posting is a voucher or some spending")
    joined = ",".join(map(str, pks))
    return f"spending:{joined}" if len(joined) <= 55 else "spending#" + hashlib.sha256(joined.encode()).hexdigest()[:55]


def over_budget_request(*, year: int, findings: list[Excess], subject: str, reason: str, actor, voucher=None,
                        spendings=()) -> list[OverBudgetApproval]:
    """Hold spending whose posting was refused (BudgetExceeded) for the chair: one request per finding not covered
    by an approval yet — the account and the amount above its line, or, with no budget in force, the whole amount.
    The request names what is held: the draft `voucher`, or the recorded `spendings` (`subject` is how it is
    shown). Asked by whoever posts (finance.post_voucher or finance.post_spending); a request already waiting for
    the same posting and finding is not made twice. The chair answers with over_budget_confirm or
    over_budget_decline."""
    if not can_hold_for_the_chair(actor):
        raise PermissionDenied(_("You may not post to the books."))
    if not reason.strip():
        raise ValidationError(_("Say why this spending is needed, for the chair."))
    key = held_key(voucher=voucher, spendings=spendings)
    with transaction.atomic(), audit_context(actor=actor):
        uncovered, _used = _covering(year=year, findings=findings)
        if not uncovered:
            raise ValidationError(_("Nothing here needs the chair's confirmation any more: post it."))
        fiscal_year = FiscalYear.objects.get(year=year)
        requests = []
        for finding in uncovered:
            waiting = pending_requests(year=year, findings=[finding]).filter(held_key=key).first()
            if waiting is None:
                waiting = OverBudgetApproval.objects.create(
                    fiscal_year=fiscal_year, account=finding.account, amount=finding.over,
                    no_budget=finding.no_budget, reason=reason.strip()[:300], subject=subject[:200], held_key=key,
                    held_voucher=voucher, requested_by=actor, requested_at=timezone.now())
                waiting.held_spendings.set(spendings)
            requests.append(waiting)
        return requests


def pending_requests(*, year: int, findings: list[Excess]):
    """The requests waiting for the chair that are for the same accounts and kind as `findings`, oldest first."""
    keys = {(finding.account.pk, finding.no_budget) for finding in findings}
    query = Q(pk__in=[])
    for account_id, no_budget in keys:
        query |= Q(account_id=account_id, no_budget=no_budget)
    return (OverBudgetApproval.objects.pending().filter(query, fiscal_year__year=year)
            .select_related("account", "requested_by").order_by("requested_at", "pk"))


def declined_requests(*, key: str):
    """The chair's refusals of the posting named `key` (held_key), latest first: the posting pages show them."""
    return (OverBudgetApproval.objects.declined().filter(held_key=key)
            .select_related("account", "declined_by").order_by("-declined_at", "-pk"))


def over_budget_confirm(*, approval: OverBudgetApproval, actor) -> OverBudgetApproval:
    """The chair's confirmation of a held request (who and when are kept on it and in the audit trail); the
    treasurer's next posting of that spending uses it."""
    chair_check(can_approve_over_budget(actor))
    with transaction.atomic(), audit_context(actor=actor):
        approval = OverBudgetApproval.objects.select_for_update().get(pk=approval.pk)
        _check_pending(approval)
        approval.approved_by, approval.approved_at = actor, timezone.now()
        approval.save(update_fields=["approved_by", "approved_at"])
    return approval


def _check_pending(approval):
    if approval.is_declined:
        raise ValidationError(_("This request has been declined already."))
    if not approval.is_pending:
        raise ValidationError(_("This has been confirmed already."))


def held_together(approval: OverBudgetApproval):
    """The requests waiting for the chair for the same held posting as `approval` (itself included): a voucher on
    two accounts asks twice, and is declined as one."""
    if not approval.held_key:
        return OverBudgetApproval.objects.pending().filter(pk=approval.pk)
    return (OverBudgetApproval.objects.pending()
            .filter(fiscal_year_id=approval.fiscal_year_id, held_key=approval.held_key)
            .select_related("account").order_by("pk"))


def held_withdraw(*, voucher=None, spending=None) -> int:
    """The requests still waiting for the chair for a posting that can no longer happen — the held draft voucher
    is being deleted, or one of the held spending is being cancelled — are withdrawn (deleted one by one, so each
    is in the audit trail with who did it): the chair is not left a question about nothing. Confirmed and declined
    requests stay as the record of what was decided. Call inside the caller's transaction; returns how many."""
    waiting = OverBudgetApproval.objects.pending()
    if voucher is not None:
        waiting = waiting.filter(held_voucher=voucher)
    elif spending is not None:
        waiting = waiting.filter(held_spendings=spending)
    else:
        raise ValueError("a held posting is a voucher or some spending")
    withdrawn = list(waiting.select_for_update(of=("self",)).order_by("pk"))
    for request in withdrawn:
        request.delete()
    return len(withdrawn)


def over_budget_decline(*, approval: OverBudgetApproval, reason: str, actor) -> list[OverBudgetApproval]:
    """The chair declines held spending (《基层工会经费收支管理办法》: spending beyond the approved budget is the
    committee's decision, so the chair may say no): every request waiting for the same posting is declined with
    who, when and why (on the rows and in the audit trail). Nothing is posted; the voucher stays a draft and the
    spending stays recorded, so it can be corrected and posted or held again, or cancelled. The treasurer who
    asked and whoever recorded the spending (welfare, activities) are told, with the reason."""
    chair_check(can_approve_over_budget(actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the spending is declined."))
    with transaction.atomic(), audit_context(actor=actor):
        approval = OverBudgetApproval.objects.select_for_update().get(pk=approval.pk)
        _check_pending(approval)
        declined = list(held_together(approval).select_for_update(of=("self",)))
        now = timezone.now()
        for request in declined:
            request.declined_by, request.declined_at, request.decline_reason = actor, now, reason[:300]
            request.save(update_fields=["declined_by", "declined_at", "decline_reason"])
        _tell_declined(approval, reason=reason[:300], actor=actor)
    return declined


def _tell_declined(approval, *, reason, actor):
    """The treasurer who asked, and each person who recorded held spending, hear of the refusal once."""
    title = _("The chair declined held spending: %(subject)s") % {"subject": approval.subject or approval.account}
    body = _("Reason: %(reason)s. It is not posted: correct it and post it again (or hold it for the chair again), "
             "or cancel it.") % {"reason": reason.rstrip("。.")}
    told = {actor.pk}
    if approval.requested_by_id and approval.requested_by_id not in told:
        told.add(approval.requested_by_id)
        notify(user=approval.requested_by, title=title, body=body, url=_held_url(approval))
    for spending in approval.held_spendings.select_related("recorded_by", "source_type").prefetch_related("source"):
        recorder = spending.recorded_by
        if recorder is None or recorder.pk in told:
            continue
        told.add(recorder.pk)
        notify(user=recorder, title=title, body=body, url=source_url(recorder, spending.source) or "")


def _held_url(approval):
    """Where the treasurer corrects or posts the held posting again."""
    if approval.held_voucher_id:
        return reverse("admin:finance_voucher_change", args=[approval.held_voucher_id])
    return reverse("admin:finance_spending_changelist") + f"?state__exact={SpendingState.RECORDED}"


class BudgetExceeded(ValidationError):
    """Posting would take spending above an approved budget line, or spend while no budget is in force, and no
    chair approval covers it."""

    def __init__(self, excesses: list[Excess]):
        self.excesses = excesses
        over = [excess for excess in excesses if not excess.no_budget]
        unbudgeted = [excess for excess in excesses if excess.no_budget]
        messages = []
        if unbudgeted:
            messages.append(_("No budget is in force for this year yet: this spending needs the chair's "
                              "confirmation first: %(lines)s.")
                            % {"lines": "; ".join(str(excess) for excess in unbudgeted)})
        if over:
            messages.append(_("This exceeds the approved budget and needs the chair's approval first: %(lines)s.")
                            % {"lines": "; ".join(str(excess) for excess in over)})
        super().__init__(" ".join(messages))

    @property
    def no_budget(self):
        return any(excess.no_budget for excess in self.excesses)


def _covering(*, year: int, findings: list[Excess]):
    """Split `findings` into those no unused approval covers and the approvals (locked) that cover the others."""
    uncovered, used = [], []
    for excess in findings:
        approval = (OverBudgetApproval.objects.select_for_update()
                    .filter(fiscal_year__year=year, account=excess.account, no_budget=excess.no_budget,
                            approved_at__isnull=False, voucher__isnull=True, amount__gte=excess.over)
                    .exclude(pk__in=[approval.pk for approval in used]).order_by("amount", "pk").first())
        if approval is None:
            uncovered.append(excess)
        else:
            used.append(approval)
    return uncovered, used


def budget_enforce(*, voucher):
    """Raise BudgetExceeded unless every finding of `voucher` (spending above a line, or spending while no budget
    is in force) is covered by an unused chair approval of that kind, account and year, which is then marked as
    used by the voucher. Call inside the posting transaction."""
    excesses = budget_check(voucher=voucher)
    if not excesses:
        return
    uncovered, used = _covering(year=voucher.date.year, findings=excesses)
    if uncovered:
        raise BudgetExceeded(uncovered)
    for approval in used:
        approval.voucher = voucher
        approval.save(update_fields=["voucher"])


def voucher_hold(*, voucher, reason: str, actor) -> list[OverBudgetApproval]:
    """Hold a draft voucher whose posting was refused by the budget check for the chair (over_budget_request),
    named by its date and summary."""
    if voucher.state != VoucherState.DRAFT:
        raise ValidationError(_("Only a draft voucher can be posted."))
    return over_budget_request(year=voucher.date.year, findings=budget_check(voucher=voucher),
                               subject=f"{voucher.date.isoformat()} {voucher.summary}", reason=reason, actor=actor,
                               voucher=voucher)
