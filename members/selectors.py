"""Reads of the member roll, with the visibility rules in one place.

Who sees whom: people with the ``members.view_member`` permission (chair, committee roles) see the
whole roll; a 小组长 sees their own group; everyone else sees only themselves. Whoever may not see a
record gets a 404, not a 403: they should not learn that it exists (members.access fetches and authorises).
"""

from django.db.models import Q

from core.masking import mask_id_number, mask_phone

from .models import Member


def member_base_queryset():
    return Member.objects.select_related("department", "union_group", "union_group__leader", "user")


def members_visible_to(user):
    if not user.is_authenticated:
        return Member.objects.none()
    qs = member_base_queryset()
    if user.has_perm("members.view_member"):
        return qs
    return qs.filter(Q(user=user) | Q(union_group__leader__user=user)).distinct()


def member_for_user(user):
    """The member record behind a login, or None (e.g. an administrator who is not a member)."""
    if not user.is_authenticated:
        return None
    return member_base_queryset().filter(user=user).first()


def group_members_for_leader(user):
    """The members of the groups this user leads (empty for anyone who leads none)."""
    return member_base_queryset().filter(union_group__leader__user=user).order_by("union_group", "name_initials")


def can_see_sensitive(user):
    return user.is_authenticated and user.has_perm("members.view_sensitive_member")


def shown_id_number(member, user):
    """The ID number as this user may see it: in full only with the permission."""
    if can_see_sensitive(user):
        return member.id_number or ""
    return mask_id_number(member.id_number)


def shown_phone(member, user):
    if can_see_sensitive(user):
        return member.phone or ""
    return mask_phone(member.phone)


def member_history(member):
    return member.events.select_related("actor").order_by("effective_on", "id")
