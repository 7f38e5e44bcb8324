"""Punctuation that follows the language. Chinese takes full-width marks with no space after them: a label's colon
is "：" ("发放日期：2026-10-01"), where English has ": " ("Date given: 2026-10-01"). Templates use ``{% colon %}``
(``{% load punctuation %}``); the comma between the items of a list is "，" / ", " (``{% comma %}``)."""

from django.utils.translation import pgettext


def colon():
    """The colon after a label in the active language."""
    return pgettext("after a label", ": ")


def comma():
    """The comma between the items of a list in the active language."""
    return pgettext("between list items", ", ")


def labelled(label, value):
    """``label`` and ``value`` joined by the active language's colon: "津贴补贴：1,800.00"."""
    return f"{label}{colon()}{value}"
