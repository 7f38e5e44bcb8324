"""Cleaning what people type: full-width characters, stray spaces, mobile numbers.

Pure string functions, used by the roster import (members.normalize builds on them) and by login by phone
(accounts.backends). Each returns a clean value or raises ValidationError with a message for the person who
typed it; nothing guesses.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"^1[3-9]\d{9}$")


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


def normalize_phone(value):
    """11-digit mainland mobile number; spaces, dashes and a +86 / 0086 prefix are dropped."""
    text = clean_compact(value)
    if not text:
        return None
    text = text.replace("-", "")
    for prefix in ("+86", "0086"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix):]
    if not _PHONE.match(text):
        raise ValidationError(
            _("Mobile number “%(value)s” is not an 11-digit mainland mobile number."),
            code="phone",
            params={"value": text},
        )
    return text
