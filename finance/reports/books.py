"""Figures from the books for the reports: trial balance (科目余额表), general ledger (明细账), income and spending
statement (收支表), the fund balance and holiday gifts.

Only posted and reviewed vouchers count (a draft is not in the books), dated by the voucher's date. Each function
runs a fixed number of queries whatever the number of lines: sums are grouped in the database, sub-accounts are
rolled up into their parents in Python from one read of the chart.

Opening balances: balance-sheet accounts (assets, liabilities, net assets) carry everything before the start date;
income and expense accounts start each fiscal year at zero, so their opening is what was booked from 1 January of
the start date's year. Earlier years' income less spending is brought forward into the fund (工会资金结余) when no
year-end closing voucher has done so, so the opening balances still balance.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from finance.models import Account, AccountKind, Period, Spending, SpendingState, VoucherLine, VoucherState

POSTED_STATES = (VoucherState.POSTED, VoucherState.REVIEWED)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HOLIDAY_GIFT_ACCOUNT = "50105"  # 会员活动: holiday, birthday and other gifts to members (DOMAIN.md §4)
BALANCE_SHEET_KINDS = (AccountKind.ASSET, AccountKind.LIABILITY, AccountKind.NET_ASSETS)


def posted_lines():
    """Voucher lines that are in the books."""
    return VoucherLine.objects.filter(voucher__state__in=POSTED_STATES)


def share(part, total):
    """``part`` as a percentage of ``total`` to 0.01% (ROUND_HALF_UP); None when the total is zero."""
    if not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(CENT, rounding=ROUND_HALF_UP)


def natural(account, net):
    """A debit-minus-credit amount seen from the account's natural side (Account.debit_normal)."""
    return net if account.debit_normal else -net


def side_label(net):
    """借 / 贷 / 平 for a debit-minus-credit balance, as printed in Chinese books whatever the language."""
    return "借" if net > 0 else ("贷" if net < 0 else "平")


@dataclass
class BalanceRow:
    account: Account
    depth: int
    opening: Decimal = ZERO  # debit minus credit
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self):
        return self.opening + self.debit - self.credit

    @property
    def movement(self):
        """What the period added on the account's natural side (income received, money spent …)."""
        return natural(self.account, self.debit - self.credit)

    @property
    def opening_debit(self):
        return max(self.opening, ZERO)

    @property
    def opening_credit(self):
        return max(-self.opening, ZERO)

    @property
    def closing_debit(self):
        return max(self.closing, ZERO)

    @property
    def closing_credit(self):
        return max(-self.closing, ZERO)

    @property
    def is_empty(self):
        return not (self.opening or self.debit or self.credit)


@dataclass
class TrialBalance:
    date_from: datetime.date
    date_to: datetime.date
    rows: list  # every account in code order, parents before their sub-accounts, figures rolled up
    totals: dict = field(default_factory=dict)

    def shown_rows(self):
        return [row for row in self.rows if not row.is_empty]

    def roots(self, kind=None):
        return [row for row in self.rows if row.depth == 0 and (kind is None or row.account.kind == kind)]


def _chart():
    """The whole chart in code order with depths, and each account's ancestors (one query)."""
    accounts = list(Account.objects.order_by("code"))
    by_id = {account.pk: account for account in accounts}
    ancestors = {}
    for account in accounts:
        chain, parent_id = [], account.parent_id
        while parent_id is not None:
            chain.append(parent_id)
            parent_id = by_id[parent_id].parent_id
        ancestors[account.pk] = chain
    ordered = []

    def walk(parent_id, depth):
        for account in accounts:
            if account.parent_id == parent_id:
                ordered.append((account, depth))
                walk(account.pk, depth + 1)

    walk(None, 0)
    return ordered, ancestors


def _carry_forward_account(ordered):
    """Where earlier years' income less spending is brought forward: the top-level net-assets account named 结余
    (工会资金结余), or the first top-level net-assets account."""
    funds = [account for account, depth in ordered if depth == 0 and account.kind == AccountKind.NET_ASSETS]
    return next((account for account in funds if "结余" in account.name), funds[0] if funds else None)


def trial_balance(*, date_from, date_to):
    """科目余额表 for ``date_from``–``date_to``: per account the opening balance, debits, credits and closing balance,
    sub-accounts rolled up into their parents. Totals are over top-level accounts; debits equal credits."""
    year_start = datetime.date(date_from.year, 1, 1)
    before = Q(voucher__date__lt=date_from)
    this_year = Q(voucher__date__gte=year_start, voucher__date__lt=date_from)
    within = Q(voucher__date__gte=date_from)
    sums = (posted_lines().filter(voucher__date__lte=date_to).order_by().values("account_id").annotate(
        before_debit=Sum("debit", filter=before), before_credit=Sum("credit", filter=before),
        year_debit=Sum("debit", filter=this_year), year_credit=Sum("credit", filter=this_year),
        debit_sum=Sum("debit", filter=within), credit_sum=Sum("credit", filter=within)))
    ordered, ancestors = _chart()
    rows = {account.pk: BalanceRow(account, depth) for account, depth in ordered}
    carried = ZERO  # income less spending of earlier years that no closing voucher moved into the fund yet

    def add(account_id, opening, debit=ZERO, credit=ZERO):
        for row_id in [account_id, *ancestors[account_id]]:
            row = rows[row_id]
            row.opening += opening
            row.debit += debit
            row.credit += credit

    for item in sums:
        account = rows[item["account_id"]].account
        before = (item["before_debit"] or ZERO) - (item["before_credit"] or ZERO)
        if account.kind in BALANCE_SHEET_KINDS:
            opening = before
        else:
            opening = (item["year_debit"] or ZERO) - (item["year_credit"] or ZERO)
            carried += before - opening
        add(account.pk, opening, item["debit_sum"] or ZERO, item["credit_sum"] or ZERO)
    fund = _carry_forward_account(ordered)
    if carried and fund is not None:
        add(fund.pk, carried)
    report = TrialBalance(date_from, date_to, [rows[account.pk] for account, _depth in ordered])
    roots = report.roots()
    report.totals = {name: sum((getattr(row, name) for row in roots), ZERO) for name in (
        "opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")}
    return report


@dataclass
class StatementSection:
    kind: str
    rows: list  # (BalanceRow, amount, share %)
    total: Decimal


@dataclass
class Statement:
    date_from: datetime.date
    date_to: datetime.date
    income: StatementSection
    spending: StatementSection
    fund_balance: Decimal
    opening_fund_balance: Decimal

    @property
    def surplus(self):
        return self.income.total - self.spending.total


def _section(balance, kind):
    roots = balance.roots(kind)
    total = sum((row.movement for row in roots), ZERO)
    rows = [(row, row.movement, share(row.movement, total)) for row in balance.rows
            if row.account.kind == kind and (row.debit or row.credit)]
    return StatementSection(kind, rows, total)


def income_statement(*, date_from, date_to):
    """收支表: income by type and spending by category for the range, each with its share of its total, the
    surplus (or deficit) and the fund balance (assets minus liabilities) at the end of the range."""
    balance = trial_balance(date_from=date_from, date_to=date_to)
    return Statement(date_from, date_to, _section(balance, AccountKind.INCOME),
                     _section(balance, AccountKind.EXPENSE), fund_balance(balance),
                     fund_balance(balance, opening=True))


def fund_balance(balance, *, opening=False):
    """Assets minus liabilities at the end (or, with ``opening``, the start) of a trial balance: the money the union
    holds for its members."""
    name = "opening" if opening else "closing"
    assets = sum((getattr(row, name) for row in balance.roots(AccountKind.ASSET)), ZERO)
    liabilities = sum((-getattr(row, name) for row in balance.roots(AccountKind.LIABILITY)), ZERO)
    return assets - liabilities


@dataclass
class LedgerSection:
    account: Account
    opening: Decimal
    entries: list = field(default_factory=list)  # dicts: kind "line" | "month" | "total"
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self):
        return self.opening + self.debit - self.credit

    @property
    def line_count(self):
        return sum(1 for entry in self.entries if entry["kind"] == "line")


def _ledger_entries(section, lines):
    balance, month = section.opening, None
    month_debit = month_credit = ZERO

    def month_total():
        section.entries.append({"kind": "month", "month": month, "debit": month_debit, "credit": month_credit,
                                "balance": balance, "side": side_label(balance)})

    for line in lines:
        voucher = line.voucher
        key = (voucher.date.year, voucher.date.month)
        if month is not None and key != month:
            month_total()
            month_debit = month_credit = ZERO
        month = key
        balance += line.debit - line.credit
        month_debit += line.debit
        month_credit += line.credit
        section.debit += line.debit
        section.credit += line.credit
        section.entries.append({
            "kind": "line", "date": voucher.date, "number": f"{voucher.fiscal_year.year}-{voucher.number:04d}",
            "summary": line.summary or voucher.summary, "account": line.account, "debit": line.debit,
            "credit": line.credit, "balance": balance, "side": side_label(balance)})
    if month is not None:
        month_total()
    section.entries.append({"kind": "total", "debit": section.debit, "credit": section.credit,
                            "balance": section.closing, "side": side_label(section.closing)})


def general_ledger(*, date_from, date_to, account=None):
    """明细账: for ``account`` (with its sub-accounts) or, without one, for every account that has lines or a balance,
    the opening balance, each posted line in date and voucher-number order with the running balance, monthly
    totals and the total for the range. Three queries whatever the number of lines."""
    balance = trial_balance(date_from=date_from, date_to=date_to)
    rows = {row.account.pk: row for row in balance.rows}
    if account is not None:
        ids = [account.pk] + [row.account.pk for row in balance.rows if _descends(row.account, account.pk, rows)]
        sections = {account.pk: LedgerSection(account, rows[account.pk].opening)}
        owner = {account_id: account.pk for account_id in ids}
    else:
        parents = {row.account.parent_id for row in balance.rows}
        leaves = [row for row in balance.rows if row.account.pk not in parents and not row.is_empty]
        sections = {row.account.pk: LedgerSection(row.account, row.opening) for row in leaves}
        ids = list(sections)
        owner = {account_id: account_id for account_id in ids}
    lines = (posted_lines().filter(account_id__in=ids, voucher__date__gte=date_from, voucher__date__lte=date_to)
             .select_related("voucher__fiscal_year", "account")
             .order_by("voucher__date", "voucher__fiscal_year__year", "voucher__number", "pk"))
    grouped = defaultdict(list)
    for line in lines:
        grouped[owner[line.account_id]].append(line)
    result = []
    for account_id, section in sections.items():
        _ledger_entries(section, grouped.get(account_id, []))
        result.append(section)
    return result


def _descends(account, ancestor_id, rows):
    parent_id = account.parent_id
    while parent_id is not None:
        if parent_id == ancestor_id:
            return True
        parent_id = rows[parent_id].account.parent_id
    return False


def holiday_gifts(*, year):
    """Gifts booked to 会员活动 (50105 and its sub-accounts) in ``year``, per occasion ("2027 春节" …), from posted
    spending only: [(occasion, count, amount)]."""
    account = Account.objects.filter(code=HOLIDAY_GIFT_ACCOUNT).first()
    if account is None:
        return []
    rows = (Spending.objects.filter(state=SpendingState.POSTED, voucher__state__in=POSTED_STATES,
                                    voucher__date__year=year)
            .filter(Q(account=account) | Q(account__parent=account)).exclude(occasion="")
            .order_by().values("occasion").annotate(count=Count("pk"), amount=Sum("amount")).order_by("occasion"))
    return [(row["occasion"], row["count"], row["amount"].quantize(CENT)) for row in rows]


def closed_stamp(*, date_from, date_to):
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
