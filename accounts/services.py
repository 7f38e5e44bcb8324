"""Writes for accounts: creating accounts for members, activation, roles."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context

from .models import AccountInvitation, Role, User, hash_code

INVITATION_LIFETIME = datetime.timedelta(days=30)
# Unambiguous characters only: the code may be read aloud or copied from paper.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_code():
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def _username_for(member):
    base = member.card_number or f"m{member.pk}"
    candidate = base
    suffix = 1
    while User.objects.filter(username=candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


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


def accounts_create_for_members(*, members, actor, request=None):
    """Create a portal account for each member on the roll who has none (no open sign-up).

    Each new account gets an unusable password and a one-time activation code. Returns a list of
    (member, username, code) for the chair to hand out; members with an email also get the link by mail.
    Members who already have an account or are not on the roll are skipped, and listed as such.
    """
    created, skipped = [], []
    member_role = Role.objects.select_related("group").get(code=Role.MEMBER)
    with transaction.atomic(), audit_context(actor=actor):
        for member in members:
            if member.user_id is not None:
                skipped.append((member, _("already has an account")))
                continue
            if not member.is_on_roll:
                skipped.append((member, _("is not on the roll")))
                continue
            user = User(username=_username_for(member), email=member.email, first_name=member.name[:150])
            user.set_unusable_password()
            user.save()
            user.groups.add(member_role.group)
            member.user = user
            member.save(update_fields=["user", "updated_at"])
            code = invitation_issue(user=user, actor=actor)
            created.append((member, user.username, code))
            if member.email:
                transaction.on_commit(lambda m=member, c=code: _send_activation_mail(m, c, request))
    return created, skipped


def activation_url(code, request=None):
    path = reverse("accounts:activate_code", kwargs={"code": code})
    return request.build_absolute_uri(path) if request is not None else path


def _send_activation_mail(member, code, request):
    send_mail(
        subject=_("Your union portal account"),
        message=_(
            "Dear %(name)s,\n\nan account on the union portal has been created for you.\n"
            "Open %(url)s (or enter the code %(code)s on the activation page) to set your password.\n"
            "The code can be used once and expires in 30 days."
        ) % {"name": member.name, "url": activation_url(code, request), "code": code},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[member.email],
    )


def invitation_redeem(*, code, password, validate):
    """Set the password of the account the code belongs to and use the code up. One use only.

    ``validate(user)`` runs the password validators for that user and returns False to stop.
    """
    with transaction.atomic():
        invitation = (
            AccountInvitation.objects.select_for_update().select_related("user").filter(code_hash=hash_code(code)).first()
        )
        if invitation is None or not invitation.is_usable:
            raise ValidationError(_("This activation code is not valid, has been used, or has expired. "
                                    "Ask the union office for a new one."), code="invalid_code")
        user = invitation.user
        if not validate(user):
            return None
        with audit_context(actor=user):
            user.set_password(password)
            user.is_active = True
            user.save()
            invitation.used_at = timezone.now()
            invitation.save(update_fields=["used_at"])
    return user


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
