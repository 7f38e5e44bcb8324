from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Mobile number or username")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("Mobile number or username"), "autocomplete": "username", "inputmode": "text"}
        )


class ActivationForm(forms.Form):
    code = forms.CharField(label=_("Activation code"), max_length=32)
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                strip=False)
    password2 = forms.CharField(label=_("New password (again)"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)

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
