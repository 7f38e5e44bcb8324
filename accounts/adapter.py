from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from .backends import user_for_login
from .models import mfa_required_for


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are created by the chair for people on the roll."""

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per typed login. One person can type their phone number or their
        # username: count both against the account, or an attacker gets twice the guesses.
        login = credentials.get("username")
        if login and "email" not in credentials:
            user = user_for_login(login)
            if user is not None:
                credentials = {**credentials, "username": user.username}
        return super()._get_login_attempts_cache_key(request, **credentials)

    def login_attempts_clear(self, request, user):
        """Lift the failed-login lock of an account whose owner just proved who they are (reset, activation)."""
        self._delete_login_attempts_cached_email(request, username=user.username)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Holders of a role that requires two-factor login cannot switch their authenticator app off."""
        if authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
