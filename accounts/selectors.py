"""Reading the accounts: who holds a permission."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q


def permission_holders(perm):
    """Active users holding ``perm`` ("app_label.codename") through one of their roles or directly — not superusers
    as such. A queryset: one query when read."""
    app_label, codename = perm.split(".")
    held = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(groups__permissions__in=held) | Q(user_permissions__in=held)).distinct())
