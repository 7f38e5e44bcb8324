"""The dues formula (DOMAIN §2): base = floor(wage / 10) × 10, dues = base × 0.5%, to the 分, half up."""

import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from finance.dues.formula import MAX_WAGE, dues_for, rule_in_force
from finance.models import DuesRule

pytestmark = pytest.mark.usefixtures("english_messages")
NATIONAL = DuesRule(effective_from=datetime.date(2000, 1, 1), rate=Decimal("0.00500"), base_unit=Decimal("10.00"))


@pytest.mark.parametrize(("wage", "dues"), [
    ("9.99", "0.00"), ("10.00", "0.05"), ("5678.90", "28.35"), ("19.99", "0.05"), ("0", "0.00"), ("0.00", "0.00"),
    ("20", "0.10"), ("5670", "28.35"), ("5679.99", "28.35"), ("5680", "28.40"), ("30", "0.15"),
    ("999999999999.99", "4999999999.95"), ("12345.67", "61.70"),
])
def test_it_follows_the_national_formula_at_its_edges(wage, dues):
    assert dues_for(Decimal(wage), rule=NATIONAL) == Decimal(dues)


def test_it_rounds_half_up_to_the_fen():
    # 0.3% of 10 = 0.03 exactly; 0.35% of 10 = 0.035 → 0.04 (half up, not half even)
    rule = DuesRule(rate=Decimal("0.00350"), base_unit=Decimal("10"))
    assert dues_for(Decimal("10"), rule=rule) == Decimal("0.04")
    assert dues_for(Decimal("30"), rule=rule) == Decimal("0.11")  # 0.105 → 0.11


@pytest.mark.parametrize("wage", [Decimal("-0.01"), Decimal("-100"), "-5"])
def test_it_refuses_a_negative_wage(wage):
    with pytest.raises(ValidationError, match="negative"):
        dues_for(wage, rule=NATIONAL)


@pytest.mark.parametrize("wage", [MAX_WAGE + Decimal("0.01"), Decimal("1e30")])
def test_it_refuses_a_wage_beyond_the_books(wage):
    with pytest.raises(ValidationError, match="beyond"):
        dues_for(wage, rule=NATIONAL)


@pytest.mark.parametrize("wage", ["abc", Decimal("NaN"), Decimal("Infinity")])
def test_it_refuses_what_is_not_money(wage):
    with pytest.raises(ValidationError):
        dues_for(wage, rule=NATIONAL)


def test_it_refuses_floats():
    with pytest.raises(TypeError):
        dues_for(5678.90, rule=NATIONAL)


@pytest.mark.django_db
def test_the_rate_is_data_effective_by_date():
    assert rule_in_force(datetime.date(2026, 1, 1)).rate == Decimal("0.00500")  # seeded by the migration
    DuesRule.objects.create(effective_from=datetime.date(2027, 1, 1), rate=Decimal("0.01000"))
    assert dues_for(Decimal("5678.90"), on=datetime.date(2026, 12, 31)) == Decimal("28.35")
    assert dues_for(Decimal("5678.90"), on=datetime.date(2027, 1, 1)) == Decimal("56.70")


@pytest.mark.django_db
def test_without_a_rule_it_says_so():
    DuesRule.objects.all().delete()
    with pytest.raises(ValidationError, match="No dues rule"):
        dues_for(Decimal("100"), on=datetime.date(2026, 1, 1))


wages = st.decimals(min_value=0, max_value=MAX_WAGE, places=2, allow_nan=False, allow_infinity=False)


@given(wages)
def test_dues_never_exceed_half_a_percent_of_the_wage(wage):
    dues = dues_for(wage, rule=NATIONAL)
    # The base is a multiple of 10 and at most the wage, so 0.5% of it is whole fen: no rounding can push it over.
    assert Decimal("0") <= dues <= wage * Decimal("0.005")
    assert dues == dues.quantize(Decimal("0.01"))


@given(wages)
def test_dues_never_differ_from_the_written_formula(wage):
    base = (wage / 10).to_integral_value(rounding=ROUND_FLOOR) * 10
    assert dues_for(wage, rule=NATIONAL) == (base * Decimal("0.005")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    # Never more than 0.5% of the wage without the half-fen of rounding: the uncounted part only lowers dues.
    assert dues_for(wage, rule=NATIONAL) <= (wage * Decimal("0.005")).quantize(Decimal("0.01"), ROUND_HALF_UP)
