import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.books import services
from finance.books.services import LineInput
from finance.models import Spending, VoucherState
from finance.spending import spending_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_it_posts_a_balanced_voucher_with_the_next_number(treasurer):
    lines = [LineInput("102", debit=Decimal("100.00")), LineInput("401", credit=Decimal("100.00"))]
    first = services.voucher_post(voucher=services.voucher_create(
        date=datetime.date(2027, 1, 5), summary="一月会费", lines=lines, actor=treasurer), actor=treasurer)
    second = services.voucher_post(voucher=services.voucher_create(
        date=datetime.date(2027, 1, 6), summary="二月会费", lines=lines, actor=treasurer), actor=treasurer)
    assert (first.number, second.number) == (1, 2)
    assert first.state == VoucherState.POSTED


def test_it_refuses_an_unbalanced_voucher(treasurer):
    with pytest.raises(ValidationError, match="does not balance"):
        services.voucher_create(date=datetime.date(2027, 1, 5), summary="x", actor=treasurer, lines=[
            LineInput("102", debit=Decimal("100.00")), LineInput("401", credit=Decimal("99.99"))])


def test_a_second_spending_for_the_same_source_is_a_clear_refusal(treasurer):
    voucher = services.voucher_create(date=datetime.date(2027, 1, 5), summary="x", actor=treasurer, lines=[
        LineInput("102", debit=Decimal("1.00")), LineInput("401", credit=Decimal("1.00"))])
    kwargs = {"source": voucher, "amount": Decimal("10.00"), "account_code": "50105",
              "spent_on": datetime.date(2027, 1, 5), "summary": "test", "actor": treasurer}
    spending_record(**kwargs)
    with pytest.raises(ValidationError, match="recorded already"):
        spending_record(**kwargs)
    assert Spending.objects.count() == 1


def test_the_number_label_is_year_and_four_digits_and_empty_for_a_draft(treasurer):
    lines = [LineInput("102", debit=Decimal("100.00")), LineInput("401", credit=Decimal("100.00"))]
    voucher = services.voucher_create(date=datetime.date(2027, 1, 5), summary="一月会费", lines=lines, actor=treasurer)
    assert voucher.number_label == "" and str(voucher) == "Draft voucher: 一月会费"
    voucher = services.voucher_post(voucher=voucher, actor=treasurer)
    assert voucher.number_label == "2027-0001" and str(voucher) == "Voucher 2027-0001"
