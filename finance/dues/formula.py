"""The dues formula (DOMAIN §2 [N]): the part of the wage under 10 yuan is not counted, then 0.5%, to the 分.

``dues_for`` is the only place the formula lives; the rate and the step come from the ``DuesRule`` in force
(data, editable by the union), never from a constant here.
"""

import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import CENT
from finance.models import DuesRule

#: The largest wage a DecimalField(14, 2) holds.
MAX_WAGE = Decimal("999999999999.99")


def rule_in_force(on: datetime.date | None = None) -> DuesRule:
    """The dues rule effective on a date (default: today). Raises ValidationError when none is set up."""
    on = on or timezone.localdate()
    rule = DuesRule.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if rule is None:
        raise ValidationError(_("No dues rule is in force on %(date)s; set one up in the admin.") % {"date": on},
                              code="no_rule")
    return rule


def month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def rules_for_months(months):
    """The rule in force on the 1st of each (year, month), with one query: {(year, month): rule}."""
    rules = list(DuesRule.objects.order_by("-effective_from"))
    found = {}
    for year, month in months:
        start = month_start(year, month)
        found[(year, month)] = next((rule for rule in rules if rule.effective_from <= start), None)
    return found


def _as_decimal(wage) -> Decimal:
    if isinstance(wage, float):
        raise TypeError("dues_for takes a Decimal (or int / str), never a float")
    try:
        value = Decimal(wage) if not isinstance(wage, Decimal) else wage
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("“%(wage)s” is not an amount of money.") % {"wage": wage}, code="not_money") from None
    if not value.is_finite():
        raise ValidationError(_("“%(wage)s” is not an amount of money.") % {"wage": wage}, code="not_money")
    return value


def dues_for(wage, *, rule: DuesRule | None = None, on: datetime.date | None = None) -> Decimal:
    """Monthly dues for a monthly wage: ``floor(wage / step) × step × rate``, to the 分, half up.

    With the national rule (step 10, rate 0.5%): 9.99 → 0.00, 10.00 → 0.05, 5,678.90 → 28.35.
    ``rule`` defaults to the rule in force on ``on`` (default today). A negative wage, a wage beyond what the
    books can hold, or something that is not an amount is refused with a ValidationError.
    """
    value = _as_decimal(wage)
    if value < 0:
        raise ValidationError(_("A wage cannot be negative (%(wage)s).") % {"wage": value}, code="negative")
    if value > MAX_WAGE:
        raise ValidationError(_("A wage of %(wage)s is beyond what the books can hold.") % {"wage": value},
                              code="too_large")
    rule = rule or rule_in_force(on)
    step = rule.base_unit
    base = (value / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return (base * rule.rate).quantize(CENT, rounding=ROUND_HALF_UP)
