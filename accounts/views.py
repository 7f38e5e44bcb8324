from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import ActivationForm
from .services import invitation_redeem


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request, code=""):
    """Set a password with the one-time code the chair handed out (link or typed in).

    Wrong codes are counted per address (ACCOUNT_RATE_LIMITS["activation_failed"]) so codes cannot be guessed.
    """
    form = ActivationForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="activation_failed", dry_run=True):
            form.add_error(None, _("Too many wrong activation codes from here. Wait a few minutes and try again."))
            return render(request, "accounts/activate.html", {"form": form}, status=429)
        try:
            user = invitation_redeem(
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
                validate=form.validate_password_for,
            )
        except ValidationError as error:
            ratelimit.consume(request, action="activation_failed")
            form.add_error("code", error)
        else:
            if user is not None:
                get_adapter(request).login_attempts_clear(request, user)
                messages.success(
                    request,
                    _("Your password is set. Log in with your mobile number or your username %(username)s.")
                    % {"username": user.username},
                )
                return redirect("account_login")
    return render(request, "accounts/activate.html", {"form": form})
