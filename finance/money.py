"""Money everywhere in the portal: sums to the fen (half up, DOMAIN §2), the one way an amount is printed,
and the one check that an amount is a sum in yuan and fen."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def to_fen(amount) -> Decimal:
    """An amount to the fen, half up (DOMAIN §2); also tidies SQLite's sums of decimals, which come back with
    stray digits."""
    return Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount, *, blank_zero=False) -> str:
    """1234.5 → "1,234.50": how pages, messages and the books print a sum in yuan (always two decimals,
    thousands separated); None, and zero with ``blank_zero`` (debit/credit columns), print as ""."""
    if amount is None or (blank_zero and not amount):
        return ""
    return f"{to_fen(amount):,.2f}"


def check_fen(amount, *, positive=True, signed=False, message=None, code=None) -> Decimal:
    """`amount` as a Decimal if it is a sum in yuan and fen: above zero (``positive``), at least zero
    (``positive=False``) or of either sign (``signed=True``). Otherwise raises ValidationError with `message`
    (the caller's wording) or a general one."""
    value = Decimal(amount)
    below = False if signed else (value <= 0 if positive else value < 0)
    if below or value != value.quantize(CENT):
        raise ValidationError(message or _("The amount must be a positive sum in yuan and fen."), code=code)
    return value
