"""Reads of budgets: which approved budget lines posting a voucher would exceed (finance.budgets.services
enforces it when posting). The figures come from the books (finance.books.selectors)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import money
from finance.books import selectors as books
from finance.models import Account, AccountKind

#: The approvals list's filter value for the requests waiting for the chair (the workbench links to it).
PENDING = "pending"
#: … and for those the chair declined (the auditor reads them there).
DECLINED = "declined"


@dataclass(frozen=True)
class Excess:
    """A finding of the budget check: spending above an approved line, or (``no_budget``) spending posted while no
    budget is in force for the year (then ``budget`` and ``actual`` are zero and ``over`` is the whole amount).
    Either needs the chair's confirmation (finance.models.OverBudgetApproval) before it is posted."""

    account: Account
    budget: Decimal
    actual: Decimal  # booked so far this year, before this voucher
    adding: Decimal
    over: Decimal  # actual + adding - budget
    no_budget: bool = False

    def __str__(self):
        if self.no_budget:
            return _("%(account)s: this voucher %(adding)s") % {
                "account": self.account, "adding": money(self.adding)}
        return _("%(account)s: budget %(budget)s, spent %(actual)s, this voucher %(adding)s, over by %(over)s") % {
            "account": self.account, "budget": money(self.budget), "actual": money(self.actual),
            "adding": money(self.adding), "over": money(self.over)}


def budget_check(*, voucher) -> list[Excess]:
    """What posting `voucher` (a draft) would need the chair's confirmation for, before approvals
    (budget_findings)."""
    return budget_findings(year=voucher.date.year,
                           lines=[(line.account_id, line.debit - line.credit) for line in voucher.lines.all()])


def budget_findings(*, year: int, lines) -> list[Excess]:
    """Which findings posting `lines` ((account id, debit − credit) pairs) in `year` gives: before the year's
    budget is in force, every expense account the lines add to (《基层工会经费收支管理办法》: the budget is approved
    in advance, so spending without one is the chair's decision); once it is, the budget lines they would exceed,
    checked against the nearest budgeted account at or above each expense account (an expense with no budget line
    anywhere above it has a budget of zero)."""
    nodes = {node.account.pk: node for node in books.account_tree()}
    in_force = books.budget_in_force(year=year)
    budgets = books.budget_amounts(year=year) if in_force else {}
    adding = {}
    for account_id, amount in lines:
        node = nodes[account_id]
        if node.account.kind != AccountKind.EXPENSE:
            continue
        target = next((pk for pk in [account_id, *node.ancestors] if pk in budgets), account_id)
        adding[target] = adding.get(target, Decimal("0")) + amount
    if not any(amount > 0 for amount in adding.values()):
        return []
    if not in_force:
        zero = Decimal("0.00")
        return [Excess(nodes[target].account, zero, zero, amount, amount, no_budget=True)
                for target, amount in sorted(adding.items(), key=lambda item: nodes[item[0]].account.code)
                if amount > 0]
    own = books.account_totals(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    excesses = []
    for target, amount in adding.items():
        if amount <= 0:
            continue
        subtree = books.subtree_ids(nodes.values(), target)
        actual = sum((own[pk].debit - own[pk].credit for pk in subtree if pk in own), Decimal("0"))
        budget = budgets.get(target, Decimal("0"))
        if actual + amount > budget:
            excesses.append(Excess(nodes[target].account, budget, actual, amount, actual + amount - budget))
    return excesses
