"""Who may read the books' pages. The pages' existence is no secret: those who may not read the books get 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from finance.models import Voucher

from .admin_links import admin_change_url

VIEW_BOOKS = "finance.view_voucher"


def can_read_books(user) -> bool:
    """Whether `user` may read the books (the treasurer, the chair and the audit committee)."""
    return user.has_perm(VIEW_BOOKS)


def books_reader_check(user) -> None:
    """Raise PermissionDenied (403) unless `user` may read the books."""
    if not can_read_books(user):
        raise PermissionDenied


def voucher_for_user(*, user, pk) -> Voucher:
    """One voucher with the people and the voucher it reverses, for a reader of the books: 403 for others, 404 for
    a voucher that does not exist."""
    books_reader_check(user)
    return get_object_or_404(Voucher.objects.select_related(
        "fiscal_year", "reverses__fiscal_year", "created_by", "posted_by", "reviewed_by"), pk=pk)


def can_record_spending(user) -> bool:
    """Whether `user` may record what something cost (the treasurer, in the console)."""
    return user.has_perm("finance.record_spending")


def can_view_in_console(user, obj) -> bool:
    """Whether `user` may open `obj`'s page in the console (staff with its view permission)."""
    return user.is_staff and user.has_perm(f"{obj._meta.app_label}.view_{obj._meta.model_name}")


def source_url(user, source) -> str | None:
    """Where `user` sees the payout a spending stands for: its own page, else its console page for staff who may
    open it; None otherwise."""
    if source is None:
        return None
    if hasattr(source, "get_absolute_url"):
        return source.get_absolute_url()
    if can_view_in_console(user, source):
        return admin_change_url(source)
    return None
