"""The console (admin) page of any object, for links from the books' pages and from the books' and budgets'
consoles."""

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html


def admin_change_url(obj) -> str | None:
    """The URL of `obj`'s change page in the console, or None when it has none."""
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def admin_link(obj, text=None):
    """A link to an object's admin page, or its name if it has none."""
    if obj is None:
        return "—"
    url = admin_change_url(obj)
    if url is None:
        return str(text or obj)
    return format_html('<a href="{}">{}</a>', url, text or obj)
