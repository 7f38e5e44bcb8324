from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from .backends import SESSION_BACKEND, login_attempt_key
from .models import mfa_required_for


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are created by the chair for people on the roll."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        """A login that allauth completes itself (after the two-factor step, an activation, a password reset)
        carries no backend, and allauth would then name its own in the session: name ours, whose ``get_user``
        reads the session's user with its two-factor need and member record in one query on every request."""
        if not hasattr(user, "backend"):
            user.backend = SESSION_BACKEND
        super().login(request, user)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth counts failed logins per key (ACCOUNT_RATE_LIMITS "login_failed": per address and per key). The
        key is the typed login, normalised (backends.login_attempt_key), the same whether or not it names an
        account: a wrong password for a real phone number and for an unknown one get the same answer, also once
        locked, and guesses at someone's phone number never lock their username."""
        login = credentials.get("username")
        if login and "email" not in credentials:
            credentials = {**credentials, "username": login_attempt_key(login)}
        return super()._get_login_attempts_cache_key(request, **credentials)

    def login_attempts_clear(self, request, user):
        """Lift the failed-login locks of an account whose owner just proved who they are (reset, activation):
        their username's and their mobile number's."""
        member = getattr(user, "member", None)
        for login in (user.username, getattr(member, "phone", "")):
            if login:
                self._delete_login_attempts_cached_email(request, username=login)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Holders of a role that requires two-factor login cannot switch their authenticator app off."""
        if authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
