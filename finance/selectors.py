"""Reads of the books, for pages, reports (finance.reports) and the budget check. Each runs a fixed number of
queries whatever the number of vouchers, lines or accounts.

Only posted and reviewed vouchers count; drafts are not part of the books. Amounts are Decimal to the fen.

Signs: `balance` figures are signed by the account's normal side — debit minus credit for assets and expenses,
credit minus debit for liabilities, net assets and income — so a bank balance and an income total are both
positive. Parent accounts include their sub-accounts ("rolled up"); `own_*` figures are what was booked on the
account itself.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from .models import BUDGET_IN_FORCE, Account, AccountKind, Budget, BudgetLine, VoucherLine, VoucherState

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
BOOKED = (VoucherState.POSTED, VoucherState.REVIEWED)
#: Income and expense accounts start every fiscal year at zero (the year's result is carried into net assets).
NOMINAL_KINDS = (AccountKind.INCOME, AccountKind.EXPENSE)


@dataclass(frozen=True)
class Totals:
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    def __add__(self, other):
        return Totals(self.debit + other.debit, self.credit + other.credit)


def signed(account: Account, totals: Totals) -> Decimal:
    """A balance on the account's normal side (see the module docstring)."""
    return totals.debit - totals.credit if account.debit_normal else totals.credit - totals.debit


def account_totals(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                   voucher_ids=None) -> dict[int, Totals]:
    """Debit and credit sums of booked lines per account id (own lines only, not rolled up), dates inclusive.
    One query."""
    lines = VoucherLine.objects.filter(voucher__state__in=BOOKED)
    if date_from is not None:
        lines = lines.filter(voucher__date__gte=date_from)
    if date_to is not None:
        lines = lines.filter(voucher__date__lte=date_to)
    if voucher_ids is not None:
        lines = lines.filter(voucher_id__in=voucher_ids)
    rows = lines.values("account_id").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by()
    return {row["account_id"]: Totals(to_fen(row["debit"]), to_fen(row["credit"])) for row in rows}


def to_fen(amount) -> Decimal:
    """Sums to the fen (SQLite's sums of decimals come back with stray digits)."""
    return Decimal(amount or 0).quantize(CENT)


@dataclass
class AccountNode:
    account: Account
    depth: int
    ancestors: list = field(default_factory=list)  # account ids from the parent up to the root


def account_tree() -> list[AccountNode]:
    """Every account in code order with its depth and ancestors. One query."""
    accounts = list(Account.objects.order_by("code"))
    by_id = {account.pk: account for account in accounts}
    nodes = []
    for account in accounts:
        ancestors, parent_id = [], account.parent_id
        while parent_id is not None and parent_id not in ancestors:
            ancestors.append(parent_id)
            parent_id = by_id[parent_id].parent_id
        nodes.append(AccountNode(account, len(ancestors), ancestors))
    return nodes


def _rolled_up(nodes: list[AccountNode], own: dict[int, object], zero):
    totals = {node.account.pk: own.get(node.account.pk, zero) for node in nodes}
    for node in nodes:
        value = own.get(node.account.pk)
        if value is not None:
            for ancestor in node.ancestors:
                totals[ancestor] = totals[ancestor] + value
    return totals


@dataclass(frozen=True)
class BalanceRow:
    """One line of the trial balance (科目余额表)."""

    account: Account
    depth: int
    opening: Decimal  # balance before date_from, on the normal side
    debit: Decimal  # booked between date_from and date_to
    credit: Decimal
    closing: Decimal  # opening + movement, on the normal side
    has_children: bool


def account_balances(*, date_from: datetime.date, date_to: datetime.date,
                     include_empty: bool = False) -> list[BalanceRow]:
    """The trial balance (科目余额表) from date_from to date_to inclusive: every account in code order, rolled up
    to its parents. Income and expense accounts open each fiscal year at zero. Three queries.

    Rows whose opening, debit and credit are all zero are left out unless include_empty.
    """
    nodes = account_tree()
    year_start = datetime.date(date_from.year, 1, 1)
    before = account_totals(date_to=date_from - datetime.timedelta(days=1))
    before_this_year = account_totals(date_from=year_start, date_to=date_from - datetime.timedelta(days=1)) \
        if date_from > year_start else {}
    kinds = {node.account.pk: node.account.kind for node in nodes}
    opening_own = {pk: (before_this_year.get(pk, Totals()) if kinds[pk] in NOMINAL_KINDS else totals)
                   for pk, totals in before.items()}
    opening = _rolled_up(nodes, opening_own, Totals())
    movement = _rolled_up(nodes, account_totals(date_from=date_from, date_to=date_to), Totals())
    parents = {ancestor for node in nodes for ancestor in node.ancestors[:1]}
    rows = []
    for node in nodes:
        pk = node.account.pk
        open_signed = signed(node.account, opening[pk])
        moved = movement[pk]
        if not include_empty and not (open_signed or moved.debit or moved.credit):
            continue
        rows.append(BalanceRow(node.account, node.depth, open_signed, moved.debit, moved.credit,
                               open_signed + signed(node.account, moved), pk in parents))
    return rows


def account_balance(*, account: Account, as_of: datetime.date) -> Decimal:
    """One account's balance (with its sub-accounts) at the end of `as_of`, on its normal side."""
    row = next(row for row in account_balances(date_from=as_of, date_to=as_of, include_empty=True)
               if row.account.pk == account.pk)
    return row.closing


@dataclass(frozen=True)
class LedgerLine:
    """One booked line in a ledger (明细账), with the running balance after it."""

    date: datetime.date
    voucher_id: int
    voucher_number: str  # "2027-0003"
    account_code: str
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


def account_ledger(*, account: Account, date_from: datetime.date,
                   date_to: datetime.date) -> tuple[Decimal, list[LedgerLine]]:
    """The ledger (明细账) of an account and its sub-accounts: the opening balance at date_from and every booked
    line up to date_to in date and voucher-number order, each with the running balance on the account's normal
    side. Income and expense accounts open each year at zero. Three queries, whatever the number of lines."""
    nodes = account_tree()
    subtree = {node.account.pk for node in nodes if node.account.pk == account.pk or account.pk in node.ancestors}
    opening_from = datetime.date(date_from.year, 1, 1) if account.kind in NOMINAL_KINDS else None
    before = account_totals(date_from=opening_from, date_to=date_from - datetime.timedelta(days=1))
    balance = signed(account, sum((before[pk] for pk in subtree if pk in before), Totals()))
    opening = balance
    lines = (VoucherLine.objects.filter(account_id__in=subtree, voucher__state__in=BOOKED,
                                        voucher__date__gte=date_from, voucher__date__lte=date_to)
             .order_by("voucher__date", "voucher__fiscal_year__year", "voucher__number", "pk")
             .values_list("voucher__date", "voucher_id", "voucher__fiscal_year__year", "voucher__number",
                          "account__code", "summary", "voucher__summary", "debit", "credit"))
    ledger = []
    for date, voucher_id, year, number, code, summary, voucher_summary, debit, credit in lines:
        balance += signed(account, Totals(debit, credit))
        ledger.append(LedgerLine(date, voucher_id, f"{year}-{number:04d}", code, summary or voucher_summary,
                                 debit, credit, balance))
    return opening, ledger


def budget_amounts(*, year: int) -> dict[int, Decimal]:
    """Approved budget per account id for a fiscal year (the budget and its adjustments in force, see
    finance.models.BUDGET_IN_FORCE), own lines only. One query."""
    rows = (BudgetLine.objects.filter(budget__fiscal_year__year=year, budget__state__in=BUDGET_IN_FORCE)
            .values("account_id").annotate(amount=Sum("amount")).order_by())
    return {row["account_id"]: to_fen(row["amount"]) for row in rows}


def budget_in_force(*, year: int) -> bool:
    """Whether the year's budget has been agreed by the committee and the 经审会 (so spending is checked)."""
    return Budget.objects.filter(fiscal_year__year=year, adjusts__isnull=True, state__in=BUDGET_IN_FORCE).exists()


@dataclass(frozen=True)
class BudgetRow:
    """One line of budget vs actual (预算执行)."""

    account: Account
    depth: int
    budget: Decimal | None  # None: no budget line on this account or below it
    actual: Decimal  # booked from 1 January to as_of, on the normal side
    remaining: Decimal | None
    percent: Decimal | None  # actual / budget × 100, one decimal; None without a budget

    @property
    def over(self):
        return self.budget is not None and self.actual > self.budget


def budget_vs_actual(*, year: int, as_of: datetime.date | None = None) -> list[BudgetRow]:
    """Budget vs actual at `as_of` (default 31 December) for income and expense accounts with a budget line or
    booked amounts, rolled up to parents, in code order. Three queries."""
    as_of = as_of or datetime.date(year, 12, 31)
    nodes = [node for node in account_tree() if node.account.kind in NOMINAL_KINDS]
    budgets_own = budget_amounts(year=year)
    budgeted = {pk for pk in budgets_own}
    for node in nodes:
        if node.account.pk in budgeted:
            budgeted.update(node.ancestors)
    budgets = _rolled_up(nodes, budgets_own, ZERO)
    actual = _rolled_up(nodes, account_totals(date_from=datetime.date(year, 1, 1), date_to=as_of), Totals())
    rows = []
    for node in nodes:
        pk = node.account.pk
        done = signed(node.account, actual[pk])
        budget = budgets[pk] if pk in budgeted else None
        if budget is None and not done:
            continue
        percent = None
        if budget:
            percent = (done * 100 / budget).quantize(Decimal("0.1"))
        rows.append(BudgetRow(node.account, node.depth, budget, done,
                              None if budget is None else budget - done, percent))
    return rows


def voucher_list(*, year=None, month=None, state=None, account_code=None, search=None):
    """Vouchers for the treasurer's list, newest first, with lines' accounts prefetched (constant queries)."""
    from .models import Voucher

    vouchers = Voucher.objects.select_related("fiscal_year", "reverses__fiscal_year").prefetch_related(
        "lines__account").order_by("-fiscal_year__year", "-number", "-pk")
    if year:
        vouchers = vouchers.filter(fiscal_year__year=year)
    if month:
        vouchers = vouchers.filter(date__month=month)
    if state:
        vouchers = vouchers.filter(state=state)
    if account_code:
        vouchers = vouchers.filter(Q(lines__account__code=account_code)
                                   | Q(lines__account__parent__code=account_code)).distinct()
    if search:
        vouchers = vouchers.filter(Q(summary__icontains=search) | Q(lines__summary__icontains=search)).distinct()
    return vouchers
