"""The one check that an amount is a sum in yuan and fen."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.money import check_fen, to_fen


def test_check_fen_takes_positive_sums_in_fen():
    assert check_fen("12.30") == Decimal("12.30")
    for bad in ("0", "-1.00", "1.001"):
        with pytest.raises(ValidationError):
            check_fen(bad)


def test_check_fen_may_allow_zero_or_either_sign():
    assert check_fen("0", positive=False) == 0
    with pytest.raises(ValidationError):
        check_fen("-0.01", positive=False)
    assert check_fen("-5.00", signed=True) == Decimal("-5.00")
    with pytest.raises(ValidationError):
        check_fen("-5.005", signed=True)


def test_check_fen_keeps_the_callers_message_and_code():
    with pytest.raises(ValidationError) as raised:
        check_fen("1.234", message="Enter the amount paid in yuan and fen.", code="amount")
    assert raised.value.messages == ["Enter the amount paid in yuan and fen."] and raised.value.code == "amount"


def test_to_fen():
    assert to_fen(None) == Decimal("0.00") and to_fen(Decimal("1.2300000001")) == Decimal("1.23")
