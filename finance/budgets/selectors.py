"""Reads of budgets: which approved budget lines posting a voucher would exceed (finance.budgets.services
enforces it when posting). The figures come from the books (finance.books.selectors)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from finance.books import selectors as books
from finance.models import Account, AccountKind


@dataclass(frozen=True)
class Excess:
    account: Account
    budget: Decimal
    actual: Decimal  # booked so far this year, before this voucher
    adding: Decimal
    over: Decimal  # actual + adding - budget

    def __str__(self):
        return _("%(account)s: budget %(budget)s, spent %(actual)s, this voucher %(adding)s, over by %(over)s") % {
            "account": self.account, "budget": self.budget, "actual": self.actual, "adding": self.adding,
            "over": self.over}



def budget_check(*, voucher) -> list[Excess]:
    """Which budget lines posting `voucher` (a draft) would exceed, before approvals. Checked against the nearest
    budgeted account at or above each expense account (an expense with no budget line anywhere above it has a
    budget of zero). No check before the year's budget is in force."""
    year = voucher.date.year
    if not books.budget_in_force(year=year):
        return []
    nodes = {node.account.pk: node for node in books.account_tree()}
    budgets = books.budget_amounts(year=year)
    adding = {}
    for line in voucher.lines.all():
        node = nodes[line.account_id]
        if node.account.kind != AccountKind.EXPENSE:
            continue
        target = next((pk for pk in [line.account_id, *node.ancestors] if pk in budgets), line.account_id)
        adding[target] = adding.get(target, Decimal("0")) + line.debit - line.credit
    if not any(amount > 0 for amount in adding.values()):
        return []
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
