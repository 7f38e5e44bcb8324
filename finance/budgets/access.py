"""Who takes the budget's steps: the chair records each approval step (``finance.approve_budget``) and allows
spending above a line (``finance.approve_over_budget``) — never the treasurer alone."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

APPROVE_BUDGET, APPROVE_OVER_BUDGET = "finance.approve_budget", "finance.approve_over_budget"


def can_approve_budget(user) -> bool:
    return user is not None and user.has_perm(APPROVE_BUDGET)


def can_approve_over_budget(user) -> bool:
    return user is not None and user.has_perm(APPROVE_OVER_BUDGET)


def can_hold_for_the_chair(user) -> bool:
    """Whoever posts (vouchers or recorded spending) may hold a refused posting for the chair's confirmation."""
    return user is not None and (user.has_perm("finance.post_voucher") or user.has_perm("finance.post_spending"))


def chair_check(allowed: bool) -> None:
    """Raise PermissionDenied with the chair's message unless `allowed`."""
    if not allowed:
        raise PermissionDenied(_("Only the chair may do this."))
