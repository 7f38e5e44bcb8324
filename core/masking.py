"""Masking of personal information (PIPL): whoever has no need to see an ID or mobile number sees
only enough of it to tell people apart."""

import re

_ID_NUMBER = re.compile(r"\d{17}[\dXx]")
_MOBILE = re.compile(r"1\d{10}")
_DATE = re.compile(r"(\d{4})-\d{2}-\d{2}")


def mask_id_number(value):
    """110101198503121234 → 1101**********1234."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value):
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_date(value):
    """1985-03-12 → 1985-**-**: a birth date (or a date derived from it, such as the expected retirement date) shown
    as its year only. Digits 7–14 of an ID number are the birth date: next to a masked ID number a full birth date
    would leave about ten candidates for the whole number. Takes a date or an ISO string."""
    if not value:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    date = _DATE.fullmatch(text)
    return f"{date.group(1)}-**-**" if date else mask_phone(text)


def mask_name(value):
    """张三明 → 张*明, 张三 → 张*: the form used on public notices (公示)."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_personal(value):
    """The audit trail's mask (django-auditlog's ``mask_callable``), the same as every page's: an ID number as
    ``mask_id_number``, a mobile number as ``mask_phone`` (131****0567 — never another pattern, which together with the
    pages' would narrow the number down), a date (a birth date) as ``mask_date`` (its year), anything else as a
    phone."""
    text = "" if value is None else str(value)
    if _ID_NUMBER.fullmatch(text):
        return mask_id_number(text)
    if _MOBILE.fullmatch(text):
        return mask_phone(text)
    if _DATE.fullmatch(text):
        return mask_date(text)
    return mask_phone(text)
