"""``{% translate "Date given" %}{% colon %}{{ date }}``: "发放日期：2026-10-01" in Chinese, "Date given: 2026-10-01" in
English (core.punctuation); ``{% comma %}`` between the items of a list."""

from django import template

from core import punctuation

register = template.Library()
register.simple_tag(punctuation.colon, name="colon")
register.simple_tag(punctuation.comma, name="comma")
