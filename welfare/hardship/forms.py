"""Forms for hardship cases, aid payments, 送温暖 and 医疗互助. They only parse and check input; the rules are in the
services (welfare.hardship.services, welfare.hardship.aid)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from members.forms import MemberChoiceField
from members.models import Member

from ..models import (
    AidKind,
    CloseReason,
    EducationStage,
    HardshipCause,
    HardshipLevel,
    PovertyLine,
    WarmthHoliday,
)

MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
DATE_WIDGET = DateInput()


def money_field(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2, widget=MONEY_WIDGET, **kwargs)


class FiguresForm(forms.Form):
    """The household's figures and the level (used when opening a case and at the yearly review)."""

    household_income = money_field(_("Household disposable income per year (yuan)"))
    unavoidable_costs = money_field(_("Unavoidable costs per year, e.g. medical (yuan)"))
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=30)
    poverty_line = forms.ModelChoiceField(label=_("Local 低保 line"), queryset=PovertyLine.objects.all())
    level = forms.ChoiceField(label=_("Level"), choices=HardshipLevel.choices,
                              help_text=_("The figures suggest a level; if you choose another, give the reason."))
    level_reason = forms.CharField(label=_("Reason for a different level"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class CaseOpenForm(FiguresForm):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.on_roll())
    applied_on = forms.DateField(label=_("Application date"), widget=DATE_WIDGET, initial=timezone.localdate)
    causes = forms.ModelMultipleChoiceField(label=_("Causes"), queryset=HardshipCause.objects.filter(active=True),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    cause_text = forms.CharField(label=_("Circumstances"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["member", "applied_on", "household_income", "unavoidable_costs", "household_size", "poverty_line",
                   "level", "level_reason", "causes", "cause_text"]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE_WIDGET, initial=timezone.localdate)
    visitors = forms.CharField(label=_("Visited by"), max_length=200)
    findings = forms.CharField(label=_("Findings of the fact check"), widget=forms.Textarea(attrs={"rows": 4}))


class NoticeForm(forms.Form):
    start = forms.DateField(label=_("Notice starts on"), widget=DATE_WIDGET, initial=timezone.localdate,
                            help_text=_("The length of the objection window is set in the hardship rules."))
    proposed_aid = money_field(_("Proposed aid (yuan)"), required=False)
    proposed_aid_note = forms.CharField(label=_("Proposed aid, in words"), max_length=200, required=False)


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(FiguresForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_WIDGET, initial=timezone.localdate)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("continue", _("Continue the case")),
                                                               ("close", _("Close the case"))])
    close_reason = forms.ChoiceField(label=_("Reason for closing"), required=False,
                                     choices=[("", "—"), *CloseReason.choices])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Only the union chair and welfare officers read it."))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, up to 10 MB)"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class PaymentForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=AidKind.objects.all())
    amount = money_field(_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET, initial=timezone.localdate)
    applied_on = forms.DateField(label=_("金秋助学 application date"), widget=DATE_WIDGET, required=False)
    education_stage = forms.ChoiceField(label=_("School stage (金秋助学)"), required=False,
                                        choices=[("", "—"), *EducationStage.choices])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class WarmthChooseForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holiday = forms.ChoiceField(label=_("Holiday"), choices=WarmthHoliday.choices)


class EnrolForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.in_service())
