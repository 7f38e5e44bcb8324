"""The console (admin) page of any object, for links from the books' pages and from the console itself."""

from django.urls import NoReverseMatch, reverse


def admin_change_url(obj) -> str | None:
    """The URL of `obj`'s change page in the console, or None when it has none."""
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None
