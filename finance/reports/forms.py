"""Forms of the report pages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DateInput
from finance.models import Account, AuditReport, ReportFormat, ReportKind

from .jobs import offered_kinds


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=lambda: [(kind.value, kind.label) for kind in offered_kinds()])
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    date_from = forms.DateField(label=pgettext_lazy("date range", "From"), widget=DateInput())
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), widget=DateInput())
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.order_by("code"), required=False,
        empty_label=_("All accounts"), help_text=_("For the general ledger only; sub-accounts are included."))

    @staticmethod
    def default_initial():
        """The year so far (or the last year in January)."""
        today = timezone.localdate()
        year = today.year if today.month > 1 else today.year - 1
        return {"date_from": datetime.date(year, 1, 1), "date_to": min(today, datetime.date(year, 12, 31))}

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date is after the end date."))
        if data.get("kind") == ReportKind.AUDIT_REPORT and data.get("fmt") != ReportFormat.PDF:
            raise ValidationError(_("The audit report is printed as a PDF only."))
        return data


class AuditReportForm(forms.ModelForm):
    class Meta:
        model = AuditReport
        fields = ["basis", "findings", "problems", "recommendations", "compliance"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class DisclosureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    half = forms.TypedChoiceField(label=_("Half year"), coerce=int, choices=[(1, _("first half")),
                                                                             (2, _("second half"))])
    note = forms.CharField(label=_("Note to members"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ArchiveCopyForm(forms.Form):
    """A downloaded copy of a year's archive, to check against its own manifest."""

    copy = forms.FileField(label=_("Downloaded archive (zip)"))
