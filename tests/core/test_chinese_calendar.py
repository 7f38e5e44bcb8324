import datetime

import pytest

from core import chinese_calendar as cc

D = datetime.date

# Published dates (国务院办公厅放假安排 / 中国天文年历) for the three lunar festivals and 清明.
FESTIVALS = {
    2024: (D(2024, 2, 10), D(2024, 6, 10), D(2024, 9, 17), D(2024, 4, 4)),
    2025: (D(2025, 1, 29), D(2025, 5, 31), D(2025, 10, 6), D(2025, 4, 4)),
    2026: (D(2026, 2, 17), D(2026, 6, 19), D(2026, 9, 25), D(2026, 4, 5)),
    2027: (D(2027, 2, 6), D(2027, 6, 9), D(2027, 9, 15), D(2027, 4, 5)),
    2028: (D(2028, 1, 26), D(2028, 5, 28), D(2028, 10, 3), D(2028, 4, 4)),
}


@pytest.mark.parametrize("year", sorted(FESTIVALS))
def test_it_computes_the_lunar_festivals_and_qingming(year):
    spring, dragon_boat, mid_autumn, qingming = FESTIVALS[year]
    assert cc.occasion_date(calendar=cc.LUNAR, month=1, day=1, year=year) == spring
    assert cc.occasion_date(calendar=cc.LUNAR, month=5, day=5, year=year) == dragon_boat
    assert cc.occasion_date(calendar=cc.LUNAR, month=8, day=15, year=year) == mid_autumn
    assert cc.occasion_date(calendar=cc.SOLAR_TERM, month=0, day=cc.QINGMING_TERM_INDEX, year=year) == qingming


def test_it_keeps_gregorian_dates():
    assert cc.occasion_date(calendar=cc.GREGORIAN, month=10, day=1, year=2027) == D(2027, 10, 1)


def test_it_rejects_an_unknown_calendar():
    with pytest.raises(ValueError):
        cc.occasion_date(calendar="mayan", month=1, day=1, year=2027)


def test_a_lunar_birthday_moves_with_the_lunar_calendar():
    born = D(1990, 3, 15)  # lunar 1990-02-19
    assert cc.gregorian_to_lunar(born) == (1990, 2, 19, False)
    assert cc.lunar_birthday(born, 2026) == D(2026, 4, 6)
    assert cc.lunar_birthday(born, 2027) == D(2027, 3, 26)


def test_a_leap_month_birthday_is_kept_in_the_ordinary_month():
    born = cc.lunar_to_gregorian(2023, 2, 10, leap=True)  # 2023 had a leap second month
    assert cc.gregorian_to_lunar(born) == (2023, 2, 10, True)
    assert cc.lunar_birthday(born, 2026) == cc.lunar_to_gregorian(2026, 2, 10)


def test_a_thirtieth_in_a_short_month_becomes_the_twenty_ninth():
    born = cc.lunar_to_gregorian(2000, 2, 30)  # lunar 2000-02 had 30 days; 2026-02 has 29
    assert cc.gregorian_to_lunar(born) == (2000, 2, 30, False)
    assert cc.gregorian_to_lunar(cc.lunar_birthday(born, 2026)) == (2026, 2, 29, False)


def test_next_birthday_gregorian_and_lunar():
    born = D(1990, 3, 15)
    assert cc.next_birthday(born, on_or_after=D(2026, 3, 1)) == D(2026, 3, 15)
    assert cc.next_birthday(born, on_or_after=D(2026, 3, 16)) == D(2027, 3, 15)
    assert cc.next_birthday(born, on_or_after=D(2026, 3, 1), lunar=True) == D(2026, 4, 6)
    assert cc.next_birthday(born, on_or_after=D(2026, 4, 7), lunar=True) == D(2027, 3, 26)
    assert cc.next_birthday(D(1992, 2, 29), on_or_after=D(2026, 2, 1)) == D(2026, 2, 28)
