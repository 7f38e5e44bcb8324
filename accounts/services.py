"""Writes for accounts: creating accounts for members, activation, roles."""

import datetime
import logging
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

logger = logging.getLogger(__name__)

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
    from members.models import Member

    created, skipped = [], []
    member_role = Role.objects.select_related("group").get(code=Role.MEMBER)
    with transaction.atomic(), audit_context(actor=actor):
        # Lock the rows: the chair's double click must not give one member two accounts.
        # order_by(): Member's default ordering joins the (nullable) department, which PostgreSQL cannot lock.
        locked = Member.objects.select_for_update(of=("self",)).order_by().in_bulk([member.pk for member in members])
        for member in members:
            member = locked.get(member.pk, member)
            if member.user_id is not None:
                skipped.append((member, _("already has an account")))
                continue
            if not member.is_on_roll:
                skipped.append((member, _("is not on the roll")))
                continue
            # allauth finds accounts for a password reset by the lower-cased address.
            user = User(username=_username_for(member), email=(member.email or "").lower(),
                        first_name=member.name[:150])
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
    # The accounts exist already and the chair's result page lists every code: a mail server that is down must
    # not turn that page into an error and lose the codes.
    try:
        _send_activation_mail_now(member, code, request)
    except Exception:  # noqa: BLE001 — any SMTP/socket failure
        logger.exception("Activation mail to member %s failed; the code is on the chair's result page.", member.pk)


def _send_activation_mail_now(member, code, request):
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
