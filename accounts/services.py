"""Writes for accounts: activation codes, activation, roles (accounts for members are created by
members.services.accounts_create_for_members)."""

import datetime
import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context

from .models import AccountInvitation, hash_code

INVITATION_LIFETIME = datetime.timedelta(days=30)
# Unambiguous characters only: the code may be read aloud or copied from paper.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_code():
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def invitation_issue(*, user, actor):
    """Revoke any open activation for the user and issue a new one; returns the plain code (shown once)."""
    now = timezone.now()
    with audit_context(actor=actor):
        AccountInvitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        code = _new_code()
        AccountInvitation.objects.create(
            user=user, code_hash=hash_code(code), created_by=actor, expires_at=now + INVITATION_LIFETIME
        )
    return code


def activation_url(code, request=None):
    path = reverse("accounts:activate_code", kwargs={"code": code})
    return request.build_absolute_uri(path) if request is not None else path


def normalize_code(code):
    """Codes are read off paper or a chat message: ignore case, spaces and dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def invitation_redeem(*, code, password, validate):
    """Set the password of the account the code belongs to and use the code up. One use only.

    Refused (ValidationError "invalid_code") for an unknown, used, revoked or expired code, and for an account the
    chair has deactivated: an old code must not bring a closed account back. ``validate(user)`` runs the password
    validators for that user and returns False to stop without using the code.

    Two submits of the same code (double click, two tabs) race for the code: the code is claimed with a
    conditional UPDATE, so exactly one of them sets the password.
    """
    refused = ValidationError(
        _("This activation code is not valid, has been used, or has expired. Ask the union office for a new one."),
        code="invalid_code",
    )
    with transaction.atomic():
        invitation = (
            AccountInvitation.objects.select_for_update()
            .select_related("user")
            .filter(code_hash=hash_code(normalize_code(code)))
            .first()
        )
        if invitation is None or not invitation.is_usable or not invitation.user.is_active:
            raise refused
        user = invitation.user
        if not validate(user):
            return None
        now = timezone.now()
        claimed = AccountInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if claimed != 1:
            raise refused
        with audit_context(actor=user):
            user.set_password(password)
            user.save(update_fields=["password"])
    return user


def invitations_revoke(*, user, actor=None):
    """Close every open activation code of the user (password set another way, account closed)."""
    with audit_context(actor=actor):
        return AccountInvitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def user_set_roles(*, user, roles, actor):
    """Give the user exactly these roles; admin access follows the roles marked "works in the admin"."""
    with transaction.atomic(), audit_context(actor=actor):
        user.groups.set([role.group for role in roles])
        is_staff = any(role.staff for role in roles) or user.is_superuser
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    return user


def role_group(code):
    return Group.objects.get(role__code=code)
