"""Forms for care work. They check the shape of the input; the policy's rules are checked by the services, whose
refusals the views add to the form (one place for every rule)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from members.forms import MemberChoiceField
from members.models import Member, MemberStatus

from ..models import GiftForm, Occasion, OccasionKind

MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
DATE_WIDGET = DateInput()


class VisitForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    occasion = forms.ModelChoiceField(label=_("Occasion"), queryset=Occasion.objects.all())
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    form = forms.ChoiceField(label=_("Form"), choices=GiftForm.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0,
                                widget=MONEY_WIDGET)
    visitors = forms.CharField(label=_("Visitors"), max_length=200, required=False,
                               help_text=_("Who went, separated by commas."))
    signed_by = forms.CharField(label=_("Signed for by"), max_length=50, required=False,
                                help_text=_("The member, or the family member who received it."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.with_status(MemberStatus.ACTIVE, MemberStatus.RETIRED, MemberStatus.DECEASED)
            .select_related("union_group").order_by("name_initials", "pk"))

    def visitor_names(self):
        raw = self.cleaned_data.get("visitors") or ""
        return [name.strip() for name in raw.replace("，", ",").replace("、", ",").split(",") if name.strip()]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class DistributionChoiceForm(forms.Form):
    occasion = forms.ModelChoiceField(label=_("Holiday"), queryset=Occasion.objects.filter(kind=OccasionKind.HOLIDAY))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class DistributionLineForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("Include"), required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                              "style": "width:6.5em"}))
    form = forms.ChoiceField(label=_("Form"), choices=GiftForm.choices,
                             widget=forms.Select(attrs={"style": "max-width:9em"}))

    def __init__(self, *args, allowed_forms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_forms is not None:
            # Only the forms the holiday's rule allows are offered (no cash for holiday gifts, DOMAIN §3).
            self.fields["form"].choices = [(value, label) for value, label in GiftForm.choices
                                           if value in allowed_forms]


DistributionFormSet = forms.formset_factory(DistributionLineForm, extra=0)


class DistributionDateForm(forms.Form):
    date = forms.DateField(label=_("Date given"), widget=DATE_WIDGET, initial=timezone.localdate)


class CareReportForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    occasion = forms.ModelChoiceField(label=_("What happened"),
                                      queryset=Occasion.objects.exclude(kind=OccasionKind.HOLIDAY))
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("e.g. which hospital, how the family can be reached."))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class VisitFilterForm(forms.Form):
    """The filters of the care home's list of visits: a name, an occasion, a month. A filter not understood is
    left out, the others still apply."""

    q = forms.CharField(label=_("Search"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"enterkeyhint": "search", "placeholder": _("Member's name")}))
    occasion = forms.ModelChoiceField(label=_("Occasion"), required=False, queryset=Occasion.objects.order_by("name"),
                                      empty_label="—")
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None,
                                   choices=[("", "—")] + [(month, str(month)) for month in range(1, 13)])

    def filters(self):
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
