"""The figures behind a case: per-capita income, the suggested level at its boundaries, the notice window."""

import datetime
from decimal import Decimal

import pytest

from welfare.hardship import rules
from welfare.models import HardshipLevel

LINE = Decimal("1000.00")


def suggest(income, costs, size, line=LINE):
    return rules.suggest_level(income=Decimal(income), costs=Decimal(costs), size=size, line=line)


def test_it_computes_per_capita_monthly_income_to_the_fen_half_up():
    # (30000 − 6000) ÷ 12 ÷ 3 = 666.666… → 666.67
    assert rules.per_capita_monthly(income=Decimal("30000"), costs=Decimal("6000"), size=3) == Decimal("666.67")
    # 100 ÷ 12 ÷ 8 = 1.041666… → 1.04 ; 0.06 ÷ 12 = 0.005 → 0.01 (half up, not half even)
    assert rules.per_capita_monthly(income=Decimal("100"), costs=Decimal("0"), size=8) == Decimal("1.04")
    assert rules.per_capita_monthly(income=Decimal("0.06"), costs=Decimal("0"), size=1) == Decimal("0.01")


def test_it_shows_a_negative_figure_when_costs_exceed_income():
    assert rules.per_capita_monthly(income=Decimal("12000"), costs=Decimal("24000"), size=1) == Decimal("-1000.00")


def test_exactly_at_the_line_is_not_deep_hardship_but_one_fen_below_is():
    # 36000 ÷ 12 ÷ 3 = 1000.00 exactly
    assert suggest("36000", "0", 3) == HardshipLevel.RELATIVE
    # 35999.64 ÷ 12 ÷ 3 = 999.99
    assert rules.per_capita_monthly(income=Decimal("35999.64"), costs=Decimal("0"), size=3) == Decimal("999.99")
    assert suggest("35999.64", "0", 3) == HardshipLevel.DEEP


def test_exactly_at_twice_the_line_is_no_hardship_but_one_fen_below_is_relative():
    assert suggest("72000", "0", 3) == ""
    assert suggest("71999.64", "0", 3) == HardshipLevel.RELATIVE


def test_costs_above_the_share_of_income_suggest_accident_hardship():
    # 80 % of 1,000,000 is 800,000: at it, no hardship by the figures (16,666.67 a month); one fen above, 意外致困.
    assert suggest("1000000", "800000", 1) == ""
    assert suggest("1000000", "800000.01", 1) == HardshipLevel.ACCIDENT
    # No income at all but a hospital bill: 意外致困 too.
    assert suggest("0", "5000", 2) == HardshipLevel.ACCIDENT


def test_thresholds_are_data():
    strict = rules.Thresholds(relative_multiple=Decimal("1.50"), accident_cost_share=Decimal("0.50"))
    assert rules.suggest_level(income=Decimal("54000"), costs=Decimal("0"), size=3, line=LINE,
                               thresholds=strict) == ""  # 1500.00 is not below 1.5 × 1000
    assert rules.suggest_level(income=Decimal("100000"), costs=Decimal("50000.01"), size=1, line=LINE,
                               thresholds=strict) == HardshipLevel.ACCIDENT


@pytest.mark.parametrize(("start", "days", "working", "end"), [
    (datetime.date(2027, 3, 1), 7, False, datetime.date(2027, 3, 7)),
    (datetime.date(2027, 3, 1), 5, True, datetime.date(2027, 3, 5)),  # Monday → Friday
    (datetime.date(2027, 3, 3), 5, True, datetime.date(2027, 3, 9)),  # Wednesday → next Tuesday
    (datetime.date(2027, 3, 6), 1, True, datetime.date(2027, 3, 8)),  # Saturday start → Monday
])
def test_it_computes_the_end_of_the_objection_window(start, days, working, end):
    assert rules.notice_end(start, days=days, working_days=working) == end


def test_a_year_after_29_february_is_28_february():
    assert rules.add_one_year(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert rules.add_one_year(datetime.date(2027, 5, 10)) == datetime.date(2028, 5, 10)
