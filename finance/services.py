"""Writes to the books. Every function here is the only way its change happens.

Rules enforced (工会会计制度 and the portal's own): a voucher balances; numbers run per fiscal year without gaps
(allocated when posting, under a lock on the year's counter); a closed period accepts no posting; a posted
voucher is never edited or deleted.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context

from .models import Account, FiscalYear, Period, Voucher, VoucherLine, VoucherState

CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineInput:
    """One line to put on a voucher: an account code and a debit or a credit amount."""

    account_code: str
    debit: Decimal = Decimal("0")
    credit: Decimal = Decimal("0")
    summary: str = ""


def fiscal_year_for(date: datetime.date) -> FiscalYear:
    year, _created = FiscalYear.objects.get_or_create(year=date.year)
    return year


def _check_lines(lines: list[LineInput]) -> list[tuple[Account, Decimal, Decimal, str]]:
    if len(lines) < 2:
        raise ValidationError(_("A voucher needs at least two lines."))
    accounts = {a.code: a for a in Account.objects.filter(code__in={line.account_code for line in lines})}
    checked, debit_total, credit_total = [], Decimal("0"), Decimal("0")
    for number, line in enumerate(lines, start=1):
        account = accounts.get(line.account_code)
        if account is None or not account.is_active:
            raise ValidationError(_("Line %(line)d: there is no account %(code)s in use.")
                                  % {"line": number, "code": line.account_code})
        debit, credit = Decimal(line.debit), Decimal(line.credit)
        for amount in (debit, credit):
            if amount < 0 or amount != amount.quantize(CENT):
                raise ValidationError(_("Line %(line)d: amounts are positive sums in yuan and fen.")
                                      % {"line": number})
        if (debit > 0) == (credit > 0):
            raise ValidationError(_("Line %(line)d: enter either a debit or a credit amount.") % {"line": number})
        debit_total += debit
        credit_total += credit
        checked.append((account, debit, credit, line.summary))
    if debit_total != credit_total:
        raise ValidationError(_("The voucher does not balance: debits %(debit)s, credits %(credit)s.")
                              % {"debit": debit_total, "credit": credit_total})
    return checked


def voucher_create(*, date: datetime.date, summary: str, lines: list[LineInput], actor,
                   attachments: int = 0) -> Voucher:
    """Prepare a draft voucher (no number yet). Its lines must balance already."""
    checked = _check_lines(lines)
    with transaction.atomic(), audit_context(actor=actor):
        voucher = Voucher.objects.create(fiscal_year=fiscal_year_for(date), date=date, summary=summary,
                                         attachments=attachments, created_by=actor)
        VoucherLine.objects.bulk_create(
            VoucherLine(voucher=voucher, account=account, debit=debit, credit=credit, summary=line_summary)
            for account, debit, credit, line_summary in checked
        )
    return voucher


def voucher_post(*, voucher: Voucher, actor) -> Voucher:
    """Post a draft: give it the next number of its fiscal year and make it part of the books for good."""
    with transaction.atomic(), audit_context(actor=actor):
        year = FiscalYear.objects.select_for_update().get(pk=voucher.fiscal_year_id)
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.state != VoucherState.DRAFT:
            raise ValidationError(_("Only a draft voucher can be posted."))
        period = Period.objects.filter(fiscal_year=year, month=voucher.date.month).first()
        if period is not None and period.is_closed:
            raise ValidationError(_("The period %(period)s is closed: nothing can be posted to it.")
                                  % {"period": period})
        _check_lines([LineInput(line.account.code, line.debit, line.credit, line.summary)
                      for line in voucher.lines.select_related("account")])
        year.last_voucher_number += 1
        year.save(update_fields=["last_voucher_number"])
        voucher.number = year.last_voucher_number
        voucher.state = VoucherState.POSTED
        voucher.posted_by = actor
        voucher.posted_at = timezone.now()
        voucher.save(update_fields=["number", "state", "posted_by", "posted_at"])
    return voucher
