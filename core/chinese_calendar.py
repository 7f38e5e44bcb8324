"""The Chinese calendar the welfare rules depend on: lunar festivals, 清明, lunar birthdays.

春节, 端午 and 中秋 fall on lunar dates and 清明 on a solar term, so their Gregorian dates move every year
(DOMAIN.md §3). They are computed here from borax's tables (MIT licence, covers 1900–2100), never typed in.
Every other part of the portal asks this module, so there is one answer to "when is 中秋 in 2031?".
"""

import datetime

from borax.calendars.lunardate import LCalendars, LunarDate, TermUtils

# Calendar kinds a dated occasion can use (welfare.Occasion stores one of these with a month and a day).
GREGORIAN = "gregorian"
LUNAR = "lunar"
SOLAR_TERM = "solar_term"

QINGMING_TERM_INDEX = 6  # borax numbers the 24 terms from 小寒 (0); 清明 is the 7th


def lunar_to_gregorian(year: int, month: int, day: int, *, leap: bool = False) -> datetime.date:
    """The Gregorian date of lunar `year`-`month`-`day`.

    A day that the lunar month does not have (the 30th of a 29-day month) becomes the month's last day:
    that is how a lunar anniversary is kept in a short month.
    """
    if leap and LCalendars.leap_month(year) != month:
        leap = False
    last = LCalendars.ndays(year, month, int(leap))
    return LunarDate(year, month, min(day, last), int(leap)).to_solar_date()


def gregorian_to_lunar(date: datetime.date) -> tuple[int, int, int, bool]:
    """(lunar year, month, day, is_leap_month) of a Gregorian date."""
    lunar = LunarDate.from_solar(date)
    return lunar.year, lunar.month, lunar.day, bool(lunar.leap)


def solar_term_date(year: int, index: int) -> datetime.date:
    """The Gregorian date of the `index`-th solar term of `year` (0 = 小寒, 6 = 清明)."""
    return TermUtils.nth_term_day(year, index)


def occasion_date(*, calendar: str, month: int, day: int, year: int) -> datetime.date:
    """The Gregorian date in `year` of an occasion kept on a Gregorian date, a lunar date or a solar term.

    For LUNAR the year is the lunar year whose first month starts in Gregorian `year` (春节 2027 is
    lunar 2027-01-01 = 2027-02-06). For SOLAR_TERM, `month` is ignored and `day` is the term's index.
    """
    if calendar == GREGORIAN:
        return datetime.date(year, month, day)
    if calendar == LUNAR:
        return lunar_to_gregorian(year, month, day)
    if calendar == SOLAR_TERM:
        return solar_term_date(year, day)
    raise ValueError(f"unknown calendar {calendar!r}")


def lunar_birthday(birth_date: datetime.date, year: int) -> datetime.date:
    """The Gregorian date of the lunar birthday that falls in lunar year `year`.

    Someone born in a leap month celebrates in the ordinary month of the same number (the common custom);
    someone born on the 30th celebrates on the 29th in years when that month is short.
    """
    _, month, day, _leap = gregorian_to_lunar(birth_date)
    return lunar_to_gregorian(year, month, day)


def next_birthday(birth_date: datetime.date, *, on_or_after: datetime.date, lunar: bool = False) -> datetime.date:
    """The first birthday (Gregorian or lunar) on or after `on_or_after`.

    A 29 February birthday is kept on 28 February in common years.
    """
    for year in (on_or_after.year - 1, on_or_after.year, on_or_after.year + 1):
        if lunar:
            candidate = lunar_birthday(birth_date, year)
        else:
            try:
                candidate = birth_date.replace(year=year)
            except ValueError:  # 29 February in a common year
                candidate = datetime.date(year, 2, 28)
        if candidate >= on_or_after:
            return candidate
    raise AssertionError("a birthday falls within any two years")  # pragma: no cover
