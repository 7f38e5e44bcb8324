"""The arithmetic of hardship cases (DOMAIN §6), kept apart from the database so it can be shown and tested.

per-capita monthly income = (household disposable income − unavoidable costs) ÷ 12 ÷ household size,
to the fen, rounded half up. Levels: 深度困难 below the local 低保 line; 相对困难 below a multiple of it
(2 × by default); 意外致困 when hardship costs exceed a share of income (80 % by default). Thresholds are data
(HardshipPolicy); the handler may choose another level, with a reason.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from core.money import to_fen

from ..models import HardshipLevel


def per_capita_monthly(*, income, costs, size) -> Decimal:
    """(income − costs) ÷ 12 ÷ size, to the fen (ROUND_HALF_UP); one rounding at the end."""
    return to_fen((Decimal(income) - Decimal(costs)) / Decimal(12) / Decimal(size))


@dataclass(frozen=True)
class Thresholds:
    relative_multiple: Decimal = Decimal("2.00")
    accident_cost_share: Decimal = Decimal("0.80")


def suggest_level(*, income, costs, size, line, thresholds=Thresholds()):
    """The level the figures point to, or "" when they show no hardship.

    意外致困 comes first: a household whose unavoidable costs eat more than the share of its income is in
    hardship because of that event, whatever its per-capita figure; then 深度 (strictly below the line),
    then 相对 (strictly below the multiple of the line).
    """
    income, costs, line = Decimal(income), Decimal(costs), Decimal(line)
    if costs > 0 and costs > income * thresholds.accident_cost_share:
        return HardshipLevel.ACCIDENT
    figure = per_capita_monthly(income=income, costs=costs, size=size)
    if figure < line:
        return HardshipLevel.DEEP
    if figure < line * thresholds.relative_multiple:
        return HardshipLevel.RELATIVE
    return ""


def notice_end(start: datetime.date, *, days: int, working_days: bool) -> datetime.date:
    """The last day objections are taken: `days` days counted from `start` (start included); with
    `working_days`, Saturdays and Sundays are not counted (statutory holidays are not known here)."""
    if not working_days:
        return start + datetime.timedelta(days=days - 1)
    day, counted = start, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def add_one_year(day: datetime.date) -> datetime.date:
    """The same day next year; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
