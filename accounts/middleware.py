from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import mfa_required_for

_SESSION_KEY = "unionportal_mfa_ok"


class RequireMFAMiddleware:
    """Chair, treasurer, auditor (roles marked "requires two-factor login") and superusers must set up TOTP.

    Until they have, every page except the TOTP set-up, logout and static files redirects to the set-up.
    Once an authenticator exists the check is remembered in the session (cleared when one is removed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(_SESSION_KEY):
            state = self._mfa_state(user)
            if state == "has_totp":
                request.session[_SESSION_KEY] = True
            elif state == "missing" and not self._is_exempt(request.path):
                return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _mfa_state(user):
        if not mfa_required_for(user):
            return "not_required"
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return "has_totp"
        return "missing"

    @staticmethod
    def _is_exempt(path):
        exempt = (reverse("mfa_activate_totp"), reverse("account_logout"), reverse("account_reauthenticate"),
                  "/static/", "/healthz/", "/i18n/", "/accounts/activate/")
        return path.startswith(exempt)


def _forget_on_removal(sender, request=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(_SESSION_KEY, None)


authenticator_removed.connect(_forget_on_removal, dispatch_uid="accounts.mfa_forget")
