from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ActivationForm
from .services import invitation_redeem


@require_http_methods(["GET", "POST"])
def activate(request, code=""):
    """Set a password with the one-time code the chair handed out (link or typed in)."""
    form = ActivationForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_redeem(
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
                validate=form.validate_password_for,
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if user is not None:
                messages.success(request, _("Your password is set. Log in with your mobile number or username %(username)s.")
                                 % {"username": user.username})
                return redirect("account_login")
    return render(request, "accounts/activate.html", {"form": form})
