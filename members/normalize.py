"""Normalising what people really type into roster spreadsheets.

Everything here either returns a clean value or raises ValidationError with a message for the
person who made the file; nothing guesses.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import idcard

_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"^1[3-9]\d{9}$")
# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)

SEX_WORDS = {"男": idcard.MALE, "女": idcard.FEMALE, "M": idcard.MALE, "F": idcard.FEMALE,
             "MALE": idcard.MALE, "FEMALE": idcard.FEMALE, "男性": idcard.MALE, "女性": idcard.FEMALE}


def clean_text(value):
    """Full-width → half-width (NFKC), collapse inner runs of spaces, trim; None for empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    text = _SPACES.sub(" ", text).strip()
    return text or None


def clean_compact(value):
    """Like clean_text but drops every space (for numbers, codes and Chinese names)."""
    text = clean_text(value)
    return text.replace(" ", "") if text else None


def normalize_id_number(value):
    """Clean an ID number as typed and validate it; reject what Excel has mangled."""
    if isinstance(value, float):
        # A float can hold only ~15 significant digits: the ID number is already damaged.
        raise ValidationError(
            _("ID number was stored by Excel as a number (%(value)s) and has lost digits; "
              "format the column as text and type it again."),
            code="id_excel_number",
            params={"value": repr(value)},
        )
    text = clean_compact(value)
    if not text:
        return None
    text = text.upper()
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            _("ID number “%(value)s” was turned into scientific notation by Excel and has lost digits; "
              "format the column as text and type it again."),
            code="id_excel_number",
            params={"value": text},
        )
    if len(text) == 18 and text.isdigit() and text.endswith("000") and idcard.check_char(text[:17]) != "0":
        raise ValidationError(
            _("ID number %(value)s ends in 000 and fails the check digit: Excel keeps only 15 digits, "
              "so the last three were lost. Format the column as text and type it again."),
            code="id_excel_truncated",
            params={"value": text},
        )
    idcard.parse_id_number(text)
    return text


def normalize_phone(value):
    text = clean_compact(value)
    if not text:
        return None
    text = text.replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    if not _PHONE.match(text):
        raise ValidationError(
            _("Mobile number “%(value)s” is not an 11-digit mainland mobile number."),
            code="phone",
            params={"value": text},
        )
    return text


def normalize_sex(value):
    text = clean_compact(value)
    if not text:
        return None
    sex = SEX_WORDS.get(text.upper())
    if sex is None:
        raise ValidationError(_("Sex “%(value)s” must be 男 or 女."), code="sex", params={"value": text})
    return sex


def normalize_date(value):
    """Accept a date, an Excel serial number, or the common written forms; reject anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_excel_serial(value)
    text = clean_compact(value)
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_excel_serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise ValidationError(
        _("Date “%(value)s” is not a date; write it as 1985-03-12, 1985/3/12, 1985.03.12 or 1985年3月12日."),
        code="date",
        params={"value": text},
    )


def _from_excel_serial(number):
    if number != int(number) or not 1 <= number <= 80000:
        raise ValidationError(_("Date “%(value)s” is not a date."), code="date", params={"value": number})
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def normalize_decimal(value):
    if value is None or value == "":
        return None
    text = clean_compact(value)
    if not text:
        return None
    text = text.replace(",", "").replace("¥", "").replace("元", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Amount “%(value)s” is not a number."), code="amount",
                              params={"value": text}) from None
    if amount < 0:
        raise ValidationError(_("Amount “%(value)s” cannot be negative."), code="amount", params={"value": text})
    return amount.quantize(Decimal("0.01"))
