"""The budget console's forms of its own: the chair's reason for declining held spending."""

from django import forms
from django.utils.translation import gettext_lazy


class DeclineForm(forms.Form):
    """Declining held spending: the reason is required, and the treasurer and the record's owner read it."""

    reason = forms.CharField(label=gettext_lazy("Why it is declined"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("The treasurer and whoever recorded the spending read this."))
