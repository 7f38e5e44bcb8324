"""居民身份证号码 (GB 11643-1999): structure, check digit, and the facts encoded in it.

18 characters: 6-digit region code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd = male,
even = female), and a check character computed by ISO 7064 MOD 11-2 (0–9 or X).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")

MALE = "M"
FEMALE = "F"


def check_char(first17):
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdCardFacts:
    number: str
    birth_date: datetime.date
    sex: str


def parse_id_number(value):
    """Validate an (already normalised) ID number and return what it encodes.

    Raises ValidationError with a message that says exactly what is wrong.
    """
    if not _SHAPE.match(value or ""):
        raise ValidationError(
            _("ID number must be 18 characters: 17 digits and a final digit or X (got “%(value)s”)."),
            code="id_shape",
            params={"value": value},
        )
    try:
        birth_date = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("ID number %(value)s encodes an impossible birth date (%(raw)s)."),
            code="id_birth_date",
            params={"value": value, "raw": value[6:14]},
        ) from None
    if birth_date > timezone.localdate():
        raise ValidationError(
            _("ID number %(value)s gives a birth date in the future (%(date)s): check the digits 7 to 14."),
            code="id_birth_date",
            params={"value": value, "date": birth_date.isoformat()},
        )
    if birth_date.year < 1900:
        raise ValidationError(
            _("ID number %(value)s gives a birth date before 1900 (%(date)s): check the digits 7 to 14."),
            code="id_birth_date",
            params={"value": value, "date": birth_date.isoformat()},
        )
    expected = check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("ID number %(value)s fails the check digit: the last character should be %(expected)s."),
            code="id_check_digit",
            params={"value": value, "expected": expected},
        )
    sex = MALE if int(value[16]) % 2 == 1 else FEMALE
    return IdCardFacts(number=value, birth_date=birth_date, sex=sex)


def validate_id_number(value):
    parse_id_number(value)


def make_id_number(region, birth_date, sequence):
    """Build a valid ID number (used by factories and the demo data)."""
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
