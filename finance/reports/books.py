"""The books as the reports print them: trial balance (科目余额表), general ledger (明细账) with monthly totals,
income and spending statement (收支表) with shares, the fund balance and holiday gifts.

Every figure is read through finance.books.selectors (the one reading of the books: posted and reviewed vouchers only,
sub-accounts rolled up, income and expense opening each year at zero with earlier years' result brought forward
into 工会资金结余). This module only arranges those figures for a report: totals, shares, months, sides.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.money import CENT
from finance.books import selectors
from finance.books.selectors import ZERO, Totals, debit_net, signed
from finance.models import Account, AccountKind

HOLIDAY_GIFT_ACCOUNT = "50105"  # 会员活动: holiday, birthday and other gifts to members (DOMAIN.md §4)
TRIAL_TOTALS = ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")


def share(part, total):
    """``part`` as a percentage of ``total`` to 0.01% (ROUND_HALF_UP); None when the total is zero."""
    if not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(CENT, rounding=ROUND_HALF_UP)


def side_label(account, balance):
    """借 / 贷 / 平 for a balance on the account's normal side, as printed in Chinese books whatever the language."""
    net = debit_net(account, balance)
    return "借" if net > 0 else ("贷" if net < 0 else "平")


@dataclass
class TrialBalance:
    date_from: datetime.date
    date_to: datetime.date
    rows: list  # selectors.BalanceRow of every account in code order, parents before their sub-accounts
    totals: dict = field(default_factory=dict)

    def shown_rows(self):
        return [row for row in self.rows if not row.is_empty]

    def roots(self, kind=None):
        return [row for row in self.rows if row.depth == 0 and (kind is None or row.account.kind == kind)]


def trial_balance(*, date_from, date_to):
    """科目余额表 for ``date_from``–``date_to`` (selectors.account_balances). Totals are over top-level accounts;
    debits equal credits, in the opening, movement and closing columns alike. Two queries."""
    report = TrialBalance(date_from, date_to, selectors.account_balances(date_from=date_from, date_to=date_to,
                                                                         include_empty=True))
    roots = report.roots()
    report.totals = {name: sum((getattr(row, name) for row in roots), ZERO) for name in TRIAL_TOTALS}
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
    other_net_assets: Decimal = ZERO  # net assets booked directly in the range (not through income or spending)

    @property
    def surplus(self):
        return self.income.total - self.spending.total


def _section(balance, kind):
    total = sum((row.movement for row in balance.roots(kind)), ZERO)
    rows = [(row, row.movement, share(row.movement, total)) for row in balance.rows
            if row.account.kind == kind and (row.debit or row.credit)]
    return StatementSection(kind, rows, total)


def income_statement(*, date_from, date_to):
    """收支表: income by type and spending by category for the range, each with its share of its total, the
    surplus (or deficit) and the fund balance (assets minus liabilities) at the start (上年结转, with the opening
    balances the books started with) and end (结转下年) of the range. Brought forward + surplus = carried forward,
    to the fen, unless a voucher of the range was booked on a net-assets account directly: that is shown as
    ``other_net_assets`` and completes the sum."""
    balance = trial_balance(date_from=date_from, date_to=date_to)
    other = sum((row.movement for row in balance.roots(AccountKind.NET_ASSETS)), ZERO)
    return Statement(date_from, date_to, _section(balance, AccountKind.INCOME),
                     _section(balance, AccountKind.EXPENSE), fund_balance(balance),
                     fund_balance(balance, opening=True), other)


def fund_balance(balance, *, opening=False):
    """Assets minus liabilities at the end (or, with ``opening``, the start) of a trial balance: the money the union
    holds for its members."""
    name = "opening" if opening else "closing"
    assets = sum((getattr(row, name) for row in balance.roots(AccountKind.ASSET)), ZERO)
    liabilities = sum((getattr(row, name) for row in balance.roots(AccountKind.LIABILITY)), ZERO)
    return assets - liabilities


@dataclass
class LedgerSection:
    account: Account
    opening: Decimal  # on the account's normal side
    entries: list = field(default_factory=list)  # dicts: kind "line" | "month" | "total"
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self):
        return self.opening + signed(self.account, Totals(self.debit, self.credit))

    @property
    def opening_side(self):
        return side_label(self.account, self.opening)

    @property
    def line_count(self):
        return sum(1 for entry in self.entries if entry["kind"] == "line")


def _ledger_section(ledger):
    """A selectors.Ledger with a total after each month and one for the range."""
    section = LedgerSection(ledger.account, ledger.opening)
    account, balance, month = ledger.account, ledger.opening, None
    month_debit = month_credit = ZERO

    def month_total():
        section.entries.append({"kind": "month", "month": month, "debit": month_debit, "credit": month_credit,
                                "balance": balance, "side": side_label(account, balance)})

    for line in ledger.lines:
        key = (line.date.year, line.date.month)
        if month is not None and key != month:
            month_total()
            month_debit = month_credit = ZERO
        month, balance = key, line.balance
        month_debit += line.debit
        month_credit += line.credit
        section.debit += line.debit
        section.credit += line.credit
        section.entries.append({
            "kind": "line", "date": line.date, "number": line.voucher_number, "summary": line.summary,
            "account_code": line.account_code, "debit": line.debit, "credit": line.credit, "balance": balance,
            "side": side_label(account, balance)})
    if month is not None:
        month_total()
    section.entries.append({"kind": "total", "debit": section.debit, "credit": section.credit,
                            "balance": section.closing, "side": side_label(account, section.closing)})
    return section


def general_ledger(*, date_from, date_to, account=None):
    """明细账 (selectors.ledgers): for ``account`` with its sub-accounts or, without one, for every account without
    sub-accounts that has lines or a balance, the opening balance, each posted line with the running balance,
    monthly totals and the total for the range. Three queries whatever the number of lines."""
    return [_ledger_section(ledger)
            for ledger in selectors.ledgers(date_from=date_from, date_to=date_to, account=account)]


def holiday_gifts(*, year):
    """Gifts booked to 会员活动 (50105 and its sub-accounts) in ``year``, per occasion ("2027 春节" …), from the
    ledger (selectors.occasion_totals: the occasion on each booked voucher line): [(occasion, entries, amount)]."""
    return selectors.occasion_totals(year=year, account_code=HOLIDAY_GIFT_ACCOUNT)


@dataclass
class SummaryLedgerSection:
    """One top-level account in the 总账: its opening balance, each month's debits and credits with the balance at the
    month's end (本月合计), and the year's totals (本年累计). Balances are on the account's normal side."""
    account: Account
    opening: Decimal
    months: list = field(default_factory=list)  # (month, debit, credit, balance) of the months with postings
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    closing: Decimal = ZERO


def summary_ledger(*, year):
    """总账 of ``year``: every top-level account with an opening balance or postings, month by month, read from the
    trial balance of each month (so its figures are the 科目余额表's, sub-accounts rolled up). 26 queries."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    sections = {row.account.pk: SummaryLedgerSection(row.account, row.opening, debit=row.debit, credit=row.credit,
                                                     closing=row.closing)
                for row in trial_balance(date_from=first, date_to=last).roots() if not row.is_empty}
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        for row in trial_balance(date_from=start, date_to=end).roots():
            if row.account.pk in sections and (row.debit or row.credit):
                sections[row.account.pk].months.append((month, row.debit, row.credit, row.closing))
    return list(sections.values())
