"""Portal accounts. Only people on the roll get one: the chair creates them, each person activates
their own with a one-time code. Roles are Django groups described by a Role row (data, not code)."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .names import display_name


class User(AbstractUser):
    """A portal login. The person behind it is ``user.member`` (members.Member)."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        """People are named by their name wherever a user is shown (admin lists, 登记人 …), not by their login."""
        return display_name(self)

    def has_role(self, code):
        return any(group.role.code == code for group in self.groups.all() if hasattr(group, "role"))


class Role(models.Model):
    """A union role (工会主席, 经费管理, 经审委员 …) = a Django group plus the rules attached to it."""

    CHAIR = "chair"
    TREASURER = "treasurer"
    AUDITOR = "auditor"
    WELFARE = "welfare"
    GROUP_LEADER = "group_leader"
    MEMBER = "member"

    #: Whoever holds one of these sees full ID and phone numbers or hardship cases, so the role needs two-factor
    #: login (checked over every role by tests/accounts/test_roles.py; welfare/migrations/0005 set it).
    MFA_PERMISSIONS = ["members.view_sensitive_member", "members.export_sensitive_member",
                       "welfare.handle_hardship_case"]

    group = models.OneToOneField(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="role")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    requires_mfa = models.BooleanField(
        _("requires two-factor login"), default=False,
        help_text=_("People holding this role must set up an authenticator app before using the portal."),
    )
    staff = models.BooleanField(
        _("works in the admin"), default=False, help_text=_("People holding this role may open the admin console.")
    )
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.group.name


def hash_code(code):
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


class AccountInvitation(models.Model):
    """A one-time activation code for a new account. Only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account activation")
        verbose_name_plural = _("account activations")

    def __str__(self):
        return str(self.user)

    @property
    def is_usable(self):
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


def _sync_staff_flag(sender, instance, action, reverse, **kwargs):
    """Admin access follows the roles, however they were assigned (service, admin form, shell)."""
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    is_staff = instance.is_superuser or Role.objects.filter(group__user=instance, staff=True).exists()
    if instance.is_staff != is_staff:
        instance.is_staff = is_staff
        instance.save(update_fields=["is_staff"])


models.signals.m2m_changed.connect(_sync_staff_flag, sender=User.groups.through, dispatch_uid="accounts.sync_staff")


def mfa_required_for(user):
    """Two-factor login is required of superusers and of anyone holding a role marked for it (chair,
    treasurer, auditor by default). A session's user carries the answer from its own query
    (``accounts.backends.PhoneOrUsernameBackend.get_user``); any other user is asked here."""
    if user.is_superuser:
        return True
    if hasattr(user, "holds_mfa_role"):
        return user.holds_mfa_role
    return Role.objects.filter(group__user=user, requires_mfa=True).exists()
