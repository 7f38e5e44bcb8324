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

from django.db.models import Count, Min, Q, Sum

from core.money import to_fen
from finance.models import (
    BOOKED_SPENDING_STATES,
    BUDGET_IN_FORCE,
    Account,
    AccountKind,
    Budget,
    BudgetLine,
    FiscalYear,
    Period,
    Spending,
    Voucher,
    VoucherLine,
    VoucherState,
)

ZERO = Decimal("0.00")
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


def subtree_ids(nodes, pk: int) -> list[int]:
    """Ids of the account `pk` and all its sub-accounts at any depth, from account_tree's nodes."""
    return [node.account.pk for node in nodes if node.account.pk == pk or pk in node.ancestors]


def subtree_ids_for_code(account_code: str) -> list[int]:
    """Ids of the account with `account_code` and all its sub-accounts ([] for an unknown code). One query."""
    nodes = account_tree()
    root = next((node.account.pk for node in nodes if node.account.code == account_code), None)
    return [] if root is None else subtree_ids(nodes, root)


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

    @property
    def movement(self) -> Decimal:
        """What the range added on the normal side (income received, money spent …)."""
        return signed(self.account, Totals(self.debit, self.credit))

    @property
    def is_empty(self) -> bool:
        return not (self.opening or self.debit or self.credit)

    # The two-column form of the books (借方余额 / 贷方余额): a balance on the debit or the credit side.
    @property
    def opening_debit(self):
        return max(debit_net(self.account, self.opening), ZERO)

    @property
    def opening_credit(self):
        return max(-debit_net(self.account, self.opening), ZERO)

    @property
    def closing_debit(self):
        return max(debit_net(self.account, self.closing), ZERO)

    @property
    def closing_credit(self):
        return max(-debit_net(self.account, self.closing), ZERO)


def debit_net(account: Account, balance: Decimal) -> Decimal:
    """A balance on the account's normal side as debit minus credit."""
    return balance if account.debit_normal else -balance


def carry_forward_account(nodes: list[AccountNode]) -> Account | None:
    """Where earlier years' income less spending is brought forward: the top-level net-assets account named 结余
    (302 工会资金结余 in the seeded chart), else the first top-level net-assets account."""
    funds = [node.account for node in nodes if node.depth == 0 and node.account.kind == AccountKind.NET_ASSETS]
    return next((account for account in funds if "结余" in account.name), funds[0] if funds else None)


def account_balances(*, date_from: datetime.date, date_to: datetime.date,
                     include_empty: bool = False) -> list[BalanceRow]:
    """The trial balance (科目余额表) from date_from to date_to inclusive: every account in code order, rolled up
    to its parents. Two queries.

    Balance-sheet accounts open with everything booked before date_from. Income and expense accounts open each
    fiscal year at zero (their opening is what was booked from 1 January of date_from's year); what earlier years'
    income less spending left behind, and no year-end closing voucher moved yet, is brought forward into the fund
    (carry_forward_account), so the opening columns balance like the closing ones (工会会计制度: the year's result
    is carried into net assets). The opening balances the books started with (an opening voucher, dated 1 January)
    are in the opening columns of a range starting that day, not in its movement. Rows whose opening, debit and credit are all zero are left out unless include_empty.
    """
    rows = _balances(account_tree(), date_from=date_from, date_to=date_to)
    return rows if include_empty else [row for row in rows if not row.is_empty]


def opening_voucher_ids():
    """The opening vouchers (期初余额, finance.books.services.opening_balances_book), as a subquery."""
    return FiscalYear.objects.filter(opening_voucher__isnull=False).values("opening_voucher_id")


def _brought_forward(date_from):
    """Lines that are part of the opening balance at date_from: booked before it, and the opening balances the
    books started with (dated 1 January) when the range starts that day — they are brought forward, not the
    year's movement."""
    return Q(voucher__date__lt=date_from) | Q(voucher__date__lte=date_from, voucher_id__in=opening_voucher_ids())


def _balances(nodes, *, date_from, date_to):
    year_start = datetime.date(date_from.year, 1, 1)
    before = _brought_forward(date_from)
    this_year = Q(voucher__date__gte=year_start, voucher__date__lt=date_from)  # opening vouchers hold no nominal lines
    within = ~before
    sums = (VoucherLine.objects.filter(voucher__state__in=BOOKED, voucher__date__lte=date_to).order_by()
            .values("account_id").annotate(
                before_debit=Sum("debit", filter=before), before_credit=Sum("credit", filter=before),
                year_debit=Sum("debit", filter=this_year), year_credit=Sum("credit", filter=this_year),
                debit=Sum("debit", filter=within), credit=Sum("credit", filter=within)))
    kinds = {node.account.pk: node.account.kind for node in nodes}
    opening_own, movement_own, carried = {}, {}, Totals()
    for row in sums:
        pk, earlier = row["account_id"], Totals(to_fen(row["before_debit"]), to_fen(row["before_credit"]))
        if kinds[pk] in NOMINAL_KINDS:
            this = Totals(to_fen(row["year_debit"]), to_fen(row["year_credit"]))
            carried += Totals(earlier.debit - this.debit, earlier.credit - this.credit)
            earlier = this
        opening_own[pk] = earlier
        movement_own[pk] = Totals(to_fen(row["debit"]), to_fen(row["credit"]))
    fund = carry_forward_account(nodes)
    if fund is not None and carried.debit != carried.credit:
        opening_own[fund.pk] = opening_own.get(fund.pk, Totals()) + carried
    opening = _rolled_up(nodes, opening_own, Totals())
    movement = _rolled_up(nodes, movement_own, Totals())
    parents = {ancestor for node in nodes for ancestor in node.ancestors[:1]}
    rows = []
    for node in nodes:
        pk = node.account.pk
        open_signed, moved = signed(node.account, opening[pk]), movement[pk]
        rows.append(BalanceRow(node.account, node.depth, open_signed, moved.debit, moved.credit,
                               open_signed + signed(node.account, moved), pk in parents))
    return rows


def account_balance(*, account: Account, as_of: datetime.date) -> Decimal:
    """One account's balance (with its sub-accounts) at the end of `as_of`, on its normal side."""
    row = next(row for row in account_balances(date_from=as_of, date_to=as_of, include_empty=True)
               if row.account.pk == account.pk)
    return row.closing


def overdrawn_assets(voucher: Voucher) -> list[tuple[Account, Decimal]]:
    """The asset accounts on `voucher`'s lines (库存现金, 银行存款 …) whose balance at its date is below zero — with
    the voucher counted, whether it is booked already or still a draft about to be posted. An asset cannot really
    go below nothing: the treasurer is warned (the books do not refuse: the receipt may just not be entered yet)."""
    lines = list(voucher.lines.select_related("account").filter(account__kind=AccountKind.ASSET))
    if not lines:
        return []
    rows = {row.account.pk: row for row in account_balances(date_from=voucher.date, date_to=voucher.date,
                                                            include_empty=True)}
    draft = voucher.state == VoucherState.DRAFT
    overdrawn = []
    for account in {line.account.pk: line.account for line in lines}.values():
        balance = rows[account.pk].closing
        if draft:
            balance += sum((line.debit - line.credit for line in lines if line.account_id == account.pk), ZERO)
        if balance < 0:
            overdrawn.append((account, balance))
    return sorted(overdrawn, key=lambda item: item[0].code)


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


@dataclass(frozen=True)
class Ledger:
    """The ledger (明细账) of one account with its sub-accounts over a range."""

    account: Account
    opening: Decimal  # on the normal side, as in account_balances (with the fund's carry-forward)
    lines: list[LedgerLine]

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening


def ledgers(*, date_from: datetime.date, date_to: datetime.date, account: Account | None = None) -> list[Ledger]:
    """Ledgers (明细账) from date_from to date_to: of `account` with its sub-accounts, or without one, of every
    account without sub-accounts that has lines or a balance, in code order. Each has the opening balance of
    account_balances and every booked line in date and voucher-number order with the running balance on the
    ledger account's normal side. Three queries, whatever the number of lines."""
    nodes = account_tree()
    balances = _balances(nodes, date_from=date_from, date_to=date_to)
    if account is not None:
        owner = {pk: account.pk for pk in subtree_ids(nodes, account.pk)}
        openings = {row.account.pk: row for row in balances if row.account.pk == account.pk}
    else:
        openings = {row.account.pk: row for row in balances if not row.has_children and not row.is_empty}
        owner = {pk: pk for pk in openings}
    lines = (VoucherLine.objects.filter(account_id__in=list(owner), voucher__state__in=BOOKED,
                                        voucher__date__gte=date_from, voucher__date__lte=date_to)
             .exclude(_brought_forward(date_from))  # in the opening balance
             .order_by("voucher__date", "voucher__fiscal_year__year", "voucher__number", "pk")
             .values_list("account_id", "voucher__date", "voucher_id", "voucher__fiscal_year__year",
                          "voucher__number", "account__code", "summary", "voucher__summary", "debit", "credit"))
    running = {pk: row.opening for pk, row in openings.items()}
    booked = {pk: [] for pk in openings}
    for account_id, date, voucher_id, year, number, code, summary, voucher_summary, debit, credit in lines:
        pk = owner[account_id]
        running[pk] += signed(openings[pk].account, Totals(debit, credit))
        booked[pk].append(LedgerLine(date, voucher_id, f"{year}-{number:04d}", code, summary or voucher_summary,
                                     debit, credit, running[pk]))
    return [Ledger(row.account, row.opening, booked[pk]) for pk, row in openings.items()]


def account_ledger(*, account: Account, date_from: datetime.date,
                   date_to: datetime.date) -> tuple[Decimal, list[LedgerLine]]:
    """The ledger (明细账) of an account and its sub-accounts (see `ledgers`): its opening balance at date_from and
    its lines with the running balance. Three queries, whatever the number of lines."""
    [ledger] = ledgers(date_from=date_from, date_to=date_to, account=account)
    return ledger.opening, ledger.lines


def occasion_totals(*, year: int, account_code: str) -> list[tuple[str, int, Decimal]]:
    """What the books hold on `account_code` and its sub-accounts in `year` per occasion ("2027 春节" …), read from
    the ledger: booked voucher lines carrying that occasion (an analysis item, 辅助核算), debits less credits, so a
    reversal in the year takes its voucher out again. [(occasion, entries, amount)] in the order the year first
    booked each occasion (春节 before 中秋), where `entries`
    counts debit lines less reversing credit lines (笔数); occasions that net to zero are left out.

    Lines booked before voucher lines carried an occasion have none (posted lines are never changed): for a
    voucher none of whose lines has an occasion, the spending records it booked give the occasion instead (their
    count and amount; a voucher reversed within the year is left out). Three queries."""
    subtree = subtree_ids_for_code(account_code)
    if not subtree:
        return []
    totals: dict[str, list] = {}
    lines = (VoucherLine.objects.filter(voucher__state__in=BOOKED, voucher__date__year=year, account_id__in=subtree)
             .exclude(occasion="").order_by().values("occasion")
             .annotate(debit_sum=Sum("debit"), credit_sum=Sum("credit"),
                       debits=Count("pk", filter=Q(debit__gt=0)), credits=Count("pk", filter=Q(credit__gt=0)),
                       first=Min("voucher__date")))
    for row in lines:
        totals[row["occasion"]] = [row["debits"] - row["credits"],
                                   to_fen(row["debit_sum"]) - to_fen(row["credit_sum"]), row["first"]]
    tagged = VoucherLine.objects.exclude(occasion="").values("voucher_id")
    earlier = (Spending.objects.filter(state__in=BOOKED_SPENDING_STATES, voucher__state__in=BOOKED,
                                       voucher__date__year=year, account_id__in=subtree)
               .exclude(occasion="").exclude(voucher_id__in=tagged)
               # A gift whose voucher was reversed in the same year is not in that year's books any more.
               .exclude(voucher__reversed_by__date__year=year)
               .order_by().values("occasion").annotate(count=Count("pk"), amount=Sum("amount"),
                                                       first=Min("voucher__date")))
    for row in earlier:
        entry = totals.setdefault(row["occasion"], [0, ZERO, row["first"]])
        entry[0] += row["count"]
        entry[1] += to_fen(row["amount"])
        entry[2] = min(entry[2], row["first"])
    in_order = sorted(totals.items(), key=lambda item: (item[1][2], item[0]))  # as the year went: 春节 … 中秋
    return [(occasion, count, amount) for occasion, (count, amount, _first) in in_order if amount]


def closed_stamp(*, date_from: datetime.date, date_to: datetime.date) -> datetime.datetime | None:
    """The latest close time of the periods covering the range if every one of them is closed, else None."""
    months = set()
    day = date_from.replace(day=1)
    while day <= date_to:
        months.add((day.year, day.month))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    periods = Period.objects.filter(fiscal_year__year__gte=date_from.year, fiscal_year__year__lte=date_to.year,
                                    closed_at__isnull=False).values_list("fiscal_year__year", "month", "closed_at")
    closed = {(year, month): closed_at for year, month, closed_at in periods}
    if not months <= set(closed):
        return None
    return max(closed[month] for month in months)


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
    vouchers = Voucher.objects.select_related("fiscal_year", "reverses__fiscal_year").prefetch_related(
        "lines__account").order_by("-fiscal_year__year", "-number", "-pk")
    if year:
        vouchers = vouchers.filter(fiscal_year__year=year)
    if month:
        vouchers = vouchers.filter(date__month=month)
    if state:
        vouchers = vouchers.filter(state=state)
    if account_code:
        vouchers = vouchers.filter(lines__account_id__in=subtree_ids_for_code(account_code)).distinct()
    if search:
        vouchers = vouchers.filter(Q(summary__icontains=search) | Q(lines__summary__icontains=search)).distinct()
    return vouchers


@dataclass(frozen=True)
class BudgetTotal:
    """The totals row of budget vs actual for one kind (income or expense): the sum of its top-level lines."""

    kind: str
    label: str
    budget: Decimal | None
    actual: Decimal
    remaining: Decimal | None
    percent: Decimal | None

    @property
    def over(self):
        return self.budget is not None and self.actual > self.budget


def budget_totals(rows: list[BudgetRow]) -> list[BudgetTotal]:
    """One totals row per kind present in `rows` (income first), summing the top-level lines (their children are
    already rolled up into them). No queries."""
    totals = []
    for kind in NOMINAL_KINDS:
        top = [row for row in rows if row.depth == 0 and row.account.kind == kind]
        if not top:
            continue
        budgets = [row.budget for row in top if row.budget is not None]
        budget = sum(budgets, ZERO) if budgets else None
        actual = sum((row.actual for row in top), ZERO)
        percent = (actual * 100 / budget).quantize(Decimal("0.1")) if budget else None
        totals.append(BudgetTotal(str(kind), str(kind.label), budget, actual,
                                  None if budget is None else budget - actual, percent))
    return totals


def voucher_amount(voucher) -> Decimal:
    """The sum of a voucher's debit lines (= its credits), from its prefetched lines."""
    return sum((line.debit for line in voucher.lines.all() if line.debit), ZERO)
