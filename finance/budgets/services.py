"""Budgets (预算) and the check of spending against them (《基层工会经费收支管理办法》: the budget is approved in
advance; spending is checked against the approved lines).

A budget and each adjustment go 草拟 → 委员会通过 → 经审会审查 → 上级批复. Every step is recorded by the chair (who
chairs the committee and, for the two outside steps, enters the date and reference of the 经审会's minutes and of the
higher union's reply): the auditor role stays strictly read-only, so the audit committee's decision is entered as a
record of its meeting, not as a click by an auditor. The lines limit spending once the committee and the 经审会 have
agreed (finance.models.BUDGET_IN_FORCE).

Spending above an approved line needs the chair's explicit approval (OverBudgetApproval), created only through
`over_budget_approve` by someone holding finance.approve_over_budget — never the treasurer alone.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_context
from finance.books import selectors as books
from finance.models import Account, Budget, BudgetLine, BudgetState, FiscalYear, OverBudgetApproval
from finance.money import check_fen

from .access import can_approve_budget, can_approve_over_budget, chair_check
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


def over_budget_approve(*, year: int, account: Account, amount: Decimal, reason: str, actor) -> OverBudgetApproval:
    """The chair allows spending up to `amount` above the approved line of `account` in `year` (logged)."""
    chair_check(can_approve_over_budget(actor))
    amount = check_fen(amount, message=_("The amount must be a positive sum in yuan and fen."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for spending above the budget."))
    with transaction.atomic(), audit_context(actor=actor):
        fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
        return OverBudgetApproval.objects.create(fiscal_year=fiscal_year, account=account, amount=amount,
                                                 reason=reason.strip()[:300], approved_by=actor)


class BudgetExceeded(ValidationError):
    """Posting would take spending above an approved budget line and no chair approval covers it."""

    def __init__(self, excesses: list[Excess]):
        self.excesses = excesses
        super().__init__(_("This exceeds the approved budget and needs the chair's approval first: %(lines)s.")
                         % {"lines": "; ".join(str(excess) for excess in excesses)})


def budget_enforce(*, voucher):
    """Raise BudgetExceeded unless every excess of `voucher` is covered by an unused chair approval for that
    account and year, which is then marked as used by the voucher. Call inside the posting transaction."""
    excesses = budget_check(voucher=voucher)
    if not excesses:
        return
    uncovered, used = [], []
    for excess in excesses:
        approval = (OverBudgetApproval.objects.select_for_update()
                    .filter(fiscal_year__year=voucher.date.year, account=excess.account, voucher__isnull=True,
                            amount__gte=excess.over).order_by("amount", "pk").first())
        if approval is None:
            uncovered.append(excess)
        else:
            used.append(approval)
    if uncovered:
        raise BudgetExceeded(uncovered)
    for approval in used:
        approval.voucher = voucher
        approval.save(update_fields=["voucher"])
