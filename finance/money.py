"""Money in the books: sums to the fen, and the one check that an amount is a sum in yuan and fen."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def to_fen(amount) -> Decimal:
    """Sums to the fen (SQLite's sums of decimals come back with stray digits)."""
    return Decimal(amount or 0).quantize(CENT)


def check_fen(amount, *, positive=True, signed=False, message=None, code=None) -> Decimal:
    """`amount` as a Decimal if it is a sum in yuan and fen: above zero (``positive``), at least zero
    (``positive=False``) or of either sign (``signed=True``). Otherwise raises ValidationError with `message`
    (the caller's wording) or a general one."""
    value = Decimal(amount)
    below = False if signed else (value <= 0 if positive else value < 0)
    if below or value != value.quantize(CENT):
        raise ValidationError(message or _("The amount must be a positive sum in yuan and fen."), code=code)
    return value
