from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Mobile number or username")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("Mobile number or username"), "autocomplete": "username", "inputmode": "text"}
        )


class ResetPasswordForm(AllauthResetPasswordForm):
    """Also finds the account by the email on the member's record (the roll is kept up to date, the account's
    own email field is only a copy taken when the chair created the account)."""

    def clean_email(self):
        email = super().clean_email()
        by_member = get_user_model().objects.filter(member__email__iexact=email.strip(), is_active=True)
        self.users = list({user.pk: user for user in [*self.users, *by_member]}.values())
        return email


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
    password1 = forms.CharField(label=_("New password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 10 characters, not only digits, not a common password, "
                                            "and not like your name or username."))
    password2 = forms.CharField(label=_("New password (again)"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned

    def validate_password_for(self, user):
        try:
            password_validation.validate_password(self.cleaned_data["password1"], user)
        except forms.ValidationError as error:
            self.add_error("password1", error)
            return False
        return True
