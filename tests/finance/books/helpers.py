"""Shared helpers for the books tests: quick vouchers through the services."""

import datetime
from decimal import Decimal

from finance.books import services
from finance.books.services import LineInput


def lines(debit_code="102", credit_code="401", amount="100.00"):
    return [LineInput(debit_code, debit=Decimal(amount)), LineInput(credit_code, credit=Decimal(amount))]


def draft(actor, *, date=datetime.date(2027, 3, 5), **kwargs):
    return services.voucher_create(date=date, summary="测试凭证", lines=lines(**kwargs), actor=actor)


def posted(actor, *, date=datetime.date(2027, 3, 5), **kwargs):
    return services.voucher_post(voucher=draft(actor, date=date, **kwargs), actor=actor)
