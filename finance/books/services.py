"""Writes to the books. Every function here is the only way its change happens.

Rules enforced (工会会计制度 and the portal's own): a voucher balances; numbers run per fiscal year without gaps
(allocated when posting, under a lock on the year's counter); a closed period accepts no posting; a posted
voucher is never edited or deleted.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.money import check_fen
from finance.budgets.services import budget_enforce, held_withdraw
from finance.models import (
    Account,
    AccountKind,
    FiscalYear,
    Period,
    PeriodReopening,
    Spending,
    SpendingState,
    Voucher,
    VoucherLine,
    VoucherState,
)


@dataclass(frozen=True)
class LineInput:
    """One line to put on a voucher: an account code and a debit or a credit amount, and the occasion it pays for
    (an analysis item, 辅助核算: "2027 春节" …; blank when none)."""

    account_code: str
    debit: Decimal = Decimal("0")
    credit: Decimal = Decimal("0")
    summary: str = ""
    occasion: str = ""


def fiscal_year_for(date: datetime.date) -> FiscalYear:
    """The fiscal year of a date, which must have been opened on purpose (year_open) and not be closed (every
    period closed). Nothing is created here: a date in a year nobody opened is refused, in the user's language."""
    year = opened_year_check(date)
    if year.periods.exists() and not year.periods.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("The fiscal year %(year)s is closed: nothing more can be posted to it.")
                              % {"year": date.year})
    return year


def opened_year_check(date: datetime.date) -> FiscalYear:
    """The fiscal year of a date, refused when nobody opened it (a payout recorded for the books is dated in an
    opened year; it may be posted later, into an open period)."""
    year = FiscalYear.objects.filter(year=date.year).first()
    if year is None or not year.is_opened:
        raise ValidationError(_("The fiscal year %(year)s has not been opened: open it first (会计年度, with its "
                                "opening balances), then enter what is dated in it.") % {"year": date.year})
    return year


def posting_date_check(date: datetime.date) -> datetime.date:
    """Refuse a date money cannot be booked on: its year is not opened or is closed, or its period is closed.
    For the clean step of every form that gives money a date, so the user sees a form error."""
    period = period_for(date)
    if period.is_closed:
        raise ValidationError(_("The period %(period)s is closed: nothing can be posted to it.")
                              % {"period": period})
    return date


def _check_lines(lines: list[LineInput]) -> list[tuple[Account, Decimal, Decimal, str, str]]:
    if len(lines) < 2:
        raise ValidationError(_("A voucher needs at least two lines."))
    accounts = {a.code: a for a in Account.objects.filter(code__in={line.account_code for line in lines})}
    checked, debit_total, credit_total = [], Decimal("0"), Decimal("0")
    for number, line in enumerate(lines, start=1):
        account = accounts.get(line.account_code)
        if account is None or not account.is_active:
            raise ValidationError(_("Line %(line)d: there is no account %(code)s in use.")
                                  % {"line": number, "code": line.account_code})
        message = _("Line %(line)d: amounts are positive sums in yuan and fen.") % {"line": number}
        debit, credit = (check_fen(amount, positive=False, message=message) for amount in (line.debit, line.credit))
        if (debit > 0) == (credit > 0):
            raise ValidationError(_("Line %(line)d: enter either a debit or a credit amount.") % {"line": number})
        debit_total += debit
        credit_total += credit
        checked.append((account, debit, credit, line.summary, line.occasion.strip()))
    if debit_total != credit_total:
        raise ValidationError(_("The voucher does not balance: debits %(debit)s, credits %(credit)s.")
                              % {"debit": debit_total, "credit": credit_total})
    return checked


def voucher_create(*, date: datetime.date, summary: str, lines: list[LineInput], actor,
                   attachments: int = 0, reverses: Voucher | None = None) -> Voucher:
    """Prepare a draft voucher (no number yet). Its lines must balance already."""
    checked = _check_lines(lines)
    with transaction.atomic(), audit_context(actor=actor):
        voucher = Voucher.objects.create(fiscal_year=fiscal_year_for(date), date=date, summary=summary[:200],
                                         attachments=attachments, created_by=actor, reverses=reverses)
        _add_lines(voucher, checked)
    return voucher


def _add_lines(voucher, checked):
    VoucherLine.objects.bulk_create(
        VoucherLine(voucher=voucher, account=account, debit=debit, credit=credit, summary=line_summary[:200],
                    occasion=occasion[:50])
        for account, debit, credit, line_summary, occasion in checked
    )


def _draft_for_update(voucher: Voucher) -> Voucher:
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.state != VoucherState.DRAFT:
        raise ValidationError(_("A posted voucher is never changed: correct it with a reversing voucher."))
    return voucher


def voucher_update_draft(*, voucher: Voucher, date: datetime.date, summary: str, lines: list[LineInput], actor,
                         attachments: int = 0) -> Voucher:
    """Replace a draft's date, summary, attachments count and lines (a draft is not yet part of the books)."""
    checked = _check_lines(lines)
    with transaction.atomic(), audit_context(actor=actor):
        voucher = _draft_for_update(voucher)
        voucher.fiscal_year, voucher.date, voucher.summary = fiscal_year_for(date), date, summary[:200]
        voucher.attachments = attachments
        voucher.save(update_fields=["fiscal_year", "date", "summary", "attachments"])
        voucher.lines.all().delete()
        _add_lines(voucher, checked)
    return voucher


def voucher_delete_draft(*, voucher: Voucher, actor) -> None:
    """Throw away a draft and its lines, and withdraw what it still asks of the chair (held_withdraw). Posted
    vouchers are never deleted (the database refuses too)."""
    with transaction.atomic(), audit_context(actor=actor):
        voucher = _draft_for_update(voucher)
        held_withdraw(voucher=voucher)
        for line in voucher.lines.all():
            line.delete()  # one by one, so each deletion is in the audit trail
        voucher.delete()


def period_for(date: datetime.date, *, lock: bool = False) -> Period:
    """The accounting period (month) of a date, in its open fiscal year (fiscal_year_for). The periods are created
    when the year is opened (year_open), never here."""
    year = fiscal_year_for(date)
    periods = Period.objects.select_for_update() if lock else Period.objects.all()
    period = periods.filter(fiscal_year=year, month=date.month).first()
    if period is None:  # an opened year has its twelve periods (year_open)
        raise ValidationError(_("The fiscal year %(year)s has not been opened: open it first (会计年度, with its "
                                "opening balances), then enter what is dated in it.") % {"year": date.year})
    return period


def voucher_post(*, voucher: Voucher, actor) -> Voucher:
    """Post a draft: give it the next number of its fiscal year and make it part of the books for good.

    Refused when the period is closed, when the lines do not balance, and when expense lines would exceed the
    approved budget without the chair's approval (finance.budgets.services.BudgetExceeded, with the figures).
    """
    with transaction.atomic(), audit_context(actor=actor):
        year = FiscalYear.objects.select_for_update().get(pk=voucher.fiscal_year_id)
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.state != VoucherState.DRAFT:
            raise ValidationError(_("Only a draft voucher can be posted."))
        if voucher.date.year != year.year:
            raise ValidationError(_("The voucher's date is not in its fiscal year."))
        period = period_for(voucher.date, lock=True)
        if period.is_closed:
            raise ValidationError(_("The period %(period)s is closed: nothing can be posted to it.")
                                  % {"period": period})
        _check_lines([LineInput(line.account.code, line.debit, line.credit, line.summary)
                      for line in voucher.lines.select_related("account")])
        budget_enforce(voucher=voucher)
        year.last_voucher_number += 1
        year.save(update_fields=["last_voucher_number"])
        voucher.number = year.last_voucher_number
        voucher.state = VoucherState.POSTED
        voucher.posted_by = actor
        voucher.posted_at = timezone.now()
        voucher.save(update_fields=["number", "state", "posted_by", "posted_at"])
    return voucher


def voucher_review(*, voucher: Voucher, actor) -> Voucher:
    """The chair's review (审核) of a posted voucher. Someone other than the person who posted it must review it."""
    if actor is None or not actor.has_perm("finance.review_voucher"):
        raise PermissionDenied(_("Only the chair reviews vouchers."))
    with transaction.atomic(), audit_context(actor=actor):
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.state != VoucherState.POSTED:
            raise ValidationError(_("Only a posted voucher can be reviewed."))
        if voucher.posted_by_id == actor.pk:
            raise ValidationError(_("The person who posted a voucher cannot also review it."))
        voucher.state, voucher.reviewed_by, voucher.reviewed_at = VoucherState.REVIEWED, actor, timezone.now()
        voucher.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    return voucher


def voucher_reverse(*, voucher: Voucher, date: datetime.date, reason: str, actor) -> Voucher:
    """Correct a posted voucher with a reversing voucher (红字冲销): the same lines on the opposite sides, dated
    `date` (in an open period), pointing at the original, posted at once. One reversal per voucher."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    with transaction.atomic(), audit_context(actor=actor):
        original = Voucher.objects.select_for_update().select_related("fiscal_year").get(pk=voucher.pk)
        if original.state == VoucherState.DRAFT:
            raise ValidationError(_("A draft is not in the books: edit or delete it instead."))
        if original.reverses_id is not None:
            raise ValidationError(_("This voucher is itself a reversal; it cannot be reversed."))
        if Voucher.objects.filter(reverses=original).exists():
            raise ValidationError(_("This voucher has been reversed already."))
        lines = [LineInput(line.account.code, debit=line.credit, credit=line.debit, summary=line.summary,
                           occasion=line.occasion)
                 for line in original.lines.select_related("account")]
        reversal = voucher_create(
            date=date, actor=actor, reverses=original, lines=lines,
            summary=_("Reversal of %(voucher)s: %(reason)s") % {"voucher": original, "reason": reason.strip()})
        reversal = voucher_post(voucher=reversal, actor=actor)
        _release_spending(original, actor=actor)
        return reversal


def _release_spending(voucher, *, actor):
    """The payouts the reversed voucher booked are still owed to the books: each spending becomes `reversed` (it
    keeps its link to that voucher) and is recorded again, waiting to be posted — e.g. from 102 银行存款 when the
    reversed voucher paid it from 101 库存现金 by mistake. A payout that was itself a mistake is then withdrawn
    where it was made (welfare, activities), which cancels the new record."""
    for spending in Spending.objects.select_for_update().filter(voucher=voucher, state=SpendingState.POSTED):
        spending.state = SpendingState.REVERSED
        spending.save(update_fields=["state"])
        Spending.objects.create(source_type_id=spending.source_type_id, source_id=spending.source_id,
                                account_id=spending.account_id, amount=spending.amount, spent_on=spending.spent_on,
                                summary=spending.summary, occasion=spending.occasion, recorded_by=actor)


def year_open(*, year: int, actor) -> FiscalYear:
    """Open a fiscal year: the year, who opened it and when, and its twelve monthly periods (idempotent: a year
    opened already keeps its opener). Year N is opened after year N-1, except the very first year of the books
    (no year opened yet)."""
    with transaction.atomic(), audit_context(actor=actor):
        opened = FiscalYear.objects.select_for_update().filter(opened_at__isnull=False)
        if (opened.exists() and not opened.filter(year=year).exists()
                and not opened.filter(year=year - 1).exists()):
            raise ValidationError(_("%(year)s cannot be opened before %(previous)s: the years of the books are "
                                    "opened one after the other.") % {"year": year, "previous": year - 1})
        fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
        fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
        if not fiscal_year.is_opened:
            fiscal_year.opened_at, fiscal_year.opened_by = timezone.now(), actor
            fiscal_year.save(update_fields=["opened_at", "opened_by"])
        for month in range(1, 13):
            Period.objects.get_or_create(fiscal_year=fiscal_year, month=month)
    return fiscal_year


#: The balance-sheet kinds: what is carried from one year to the next, so what opening balances are entered for.
BALANCE_SHEET_KINDS = (AccountKind.ASSET, AccountKind.LIABILITY, AccountKind.NET_ASSETS)


@dataclass(frozen=True)
class OpeningCheck:
    """Opening balances summed by kind: 资产 on one side, 负债 and 净资产 on the other."""

    assets: Decimal
    liabilities: Decimal
    net_assets: Decimal

    @property
    def difference(self) -> Decimal:
        return self.assets - self.liabilities - self.net_assets


def opening_balances_check(balances: dict[str, Decimal]) -> tuple[list[LineInput], OpeningCheck]:
    """The voucher lines for opening balances (account code → balance on the account's normal side; a negative
    balance goes on the other side; zero is left out), checked 资产 = 负债 + 净资产. Raises ValidationError in the
    user's language, with the difference, when they do not balance, and for an unknown, inactive, income or
    expense account (those open every year at zero)."""
    accounts = {account.code: account for account in Account.objects.filter(code__in=list(balances))}
    totals = {kind: Decimal("0.00") for kind in BALANCE_SHEET_KINDS}
    lines = []
    for code, amount in sorted(balances.items()):
        amount = check_fen(amount, signed=True, message=_("%(code)s: a balance is a sum in yuan and fen.")
                           % {"code": code})
        if not amount:
            continue
        account = accounts.get(code)
        if account is None or not account.is_active:
            raise ValidationError(_("There is no account %(code)s in use in the chart of accounts.") % {"code": code})
        if account.kind not in BALANCE_SHEET_KINDS:
            raise ValidationError(_("%(account)s is an income or expense account: those start every year at zero "
                                    "and take no opening balance.") % {"account": account})
        totals[account.kind] += amount
        on_debit = (amount > 0) == account.debit_normal
        lines.append(LineInput(code, debit=abs(amount) if on_debit else Decimal("0"),
                               credit=Decimal("0") if on_debit else abs(amount)))
    check = OpeningCheck(totals[AccountKind.ASSET], totals[AccountKind.LIABILITY], totals[AccountKind.NET_ASSETS])
    if not lines:
        raise ValidationError(_("Enter the opening balance of at least one account."))
    if check.difference:
        raise ValidationError(
            _("The opening balances do not balance: assets %(assets)s ≠ liabilities %(liabilities)s + net assets "
              "%(net_assets)s; the difference is %(difference)s.")
            % {"assets": check.assets, "liabilities": check.liabilities, "net_assets": check.net_assets,
               "difference": check.difference})
    return lines, check


def opening_balances_book(*, year: int, balances: dict[str, Decimal], actor, summary: str = "") -> Voucher:
    """Book the balances the union's money stood at when the books start (期初余额), as the opening voucher of
    the first year: dated 1 January, posted at once, linked from the year (FiscalYear.opening_voucher), so every
    report shows it as 上年结转 (brought forward) and not as the year's movement. The year and its periods are
    opened with it.

    Checked 资产 = 负债 + 净资产 (opening_balances_check). Refused when the year has opening balances already
    (unless they were reversed: then these replace them), and when the books already hold vouchers before that year (their balances are brought forward by themselves)."""
    lines, _check = opening_balances_check(balances)
    with transaction.atomic(), audit_context(actor=actor):
        fiscal_year = year_open(year=year, actor=actor)
        fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
        if fiscal_year.opening_voucher_id is not None and not Voucher.objects.filter(
                reverses_id=fiscal_year.opening_voucher_id).exists():  # once reversed, they are entered again
            raise ValidationError(_("The opening balances of %(year)s are booked already (%(voucher)s): correct them "
                                    "with a reversing voucher.")
                                  % {"year": year, "voucher": fiscal_year.opening_voucher})
        if Voucher.objects.filter(state__in=[VoucherState.POSTED, VoucherState.REVIEWED],
                                  date__lt=datetime.date(year, 1, 1)).exists():
            raise ValidationError(_("The books already hold vouchers before %(year)s: their balances are brought "
                                    "forward into %(year)s by themselves. Opening balances are entered for the "
                                    "first year only.") % {"year": year})
        voucher = voucher_create(date=datetime.date(year, 1, 1), lines=lines, actor=actor,
                                 summary=summary or _("Opening balances brought forward"))
        voucher = voucher_post(voucher=voucher, actor=actor)
        fiscal_year.opening_voucher = voucher
        fiscal_year.save(update_fields=["opening_voucher"])
    return voucher


# What follows the close of a fiscal year's last open period: hook(year=, actor=), called inside the close's
# transaction. The year's 会计档案 (finance.reports.archive) registers itself when the app is ready; the books do not
# know the reports.
_year_closed_hooks = []


def register_year_closed(hook) -> None:
    if hook not in _year_closed_hooks:
        _year_closed_hooks.append(hook)


def period_close(*, period: Period, actor) -> Period:
    """Close a period (月结): nothing more can be posted to it. Treasurer or chair (finance.close_period). Closing
    the last open period closes the fiscal year, and the year's hooks run (its archive is made)."""
    if actor is None or not actor.has_perm("finance.close_period"):
        raise PermissionDenied(_("You may not close periods."))
    with transaction.atomic(), audit_context(actor=actor):
        # The year first: two closes of its last two periods at once must not both see the other one open.
        fiscal_year = FiscalYear.objects.select_for_update().get(periods=period)
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            raise ValidationError(_("The period %(period)s is closed already.") % {"period": period})
        period.closed_at, period.closed_by = timezone.now(), actor
        period.save(update_fields=["closed_at", "closed_by"])
        if not fiscal_year.periods.filter(closed_at__isnull=True).exists():
            for hook in _year_closed_hooks:
                hook(year=fiscal_year.year, actor=actor)
    return period


def period_reopen(*, period: Period, reason: str, actor) -> Period:
    """Reopen a closed period: the chair's own act (finance.reopen_period), with a reason kept in
    PeriodReopening and the audit trail."""
    if actor is None or not actor.has_perm("finance.reopen_period"):
        raise PermissionDenied(_("Only the chair may reopen a period."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the period."))
    with transaction.atomic(), audit_context(actor=actor):
        period = Period.objects.select_for_update().get(pk=period.pk)
        if not period.is_closed:
            raise ValidationError(_("The period %(period)s is open.") % {"period": period})
        PeriodReopening.objects.create(period=period, reason=reason.strip()[:300], was_closed_at=period.closed_at,
                                       reopened_by=actor)
        period.closed_at, period.closed_by = None, None
        period.save(update_fields=["closed_at", "closed_by"])
    return period
