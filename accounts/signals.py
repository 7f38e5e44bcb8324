"""Reactions to allauth's events."""

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_reset
from django.dispatch import receiver

from .services import invitations_revoke


@receiver(password_reset, dispatch_uid="accounts.password_reset")
def _after_password_reset(sender, request, user, **kwargs):
    # The owner proved control of the mailbox: lift a failed-login lock, and close any activation code still
    # open, so a code left on paper cannot overwrite the password just chosen.
    get_adapter(request).login_attempts_clear(request, user)
    invitations_revoke(user=user, actor=user)
