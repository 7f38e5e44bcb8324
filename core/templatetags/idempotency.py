"""``{% form_token %}``: the hidden one-time token of a form that records money or sends messages
(core.idempotency). A fresh one each time the form is rendered, a refused submit included."""

from django import template
from django.utils.html import format_html

from core.idempotency import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
