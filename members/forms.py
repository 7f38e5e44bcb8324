from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.normalize import normalize_phone

from .models import Department, Member, MembershipEventKind, UnionGroup
from .normalize import normalize_id_number
from .services import CREATING_KINDS, TRANSITIONS, allowed_transitions


def member_picker_label(member):
    """彭倩 · 办公室 · 尾号0242: what a member picker shows, so namesakes can be told apart. The hint is the last
    four digits of the mobile number (or the card number) — what core.masking leaves visible anyway."""
    digits = (member.phone or member.card_number)[-4:]
    parts = [member.name, member.department.name if member.department_id else "—"]
    if digits:
        parts.append(_("ends %(digits)s") % {"digits": digits})
    return " · ".join(parts)


class MemberChoiceField(forms.ModelChoiceField):
    """A member chosen on a portal form: labelled as in the console's picker, in pinyin order of names, with the
    departments read in the same query."""

    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset.select_related("department").order_by("name_initials", "name", "pk")
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        return member_picker_label(obj)


class MemberAdminForm(forms.ModelForm):
    """The admin's member form; on "add" it also asks how the person comes onto the roll."""

    entry_kind = forms.ChoiceField(
        label=_("How this person comes onto the roll"),
        choices=[(kind.value, kind.label) for kind in CREATING_KINDS],
        initial=MembershipEventKind.ENROLL, required=False,
    )
    entry_date = forms.DateField(label=_("Effective date"), required=False,
                                 help_text=_("Defaults to today. For applications, the date submitted."))
    entry_counterpart = forms.CharField(label=_("Previous union (transfers)"), required=False, max_length=200)

    class Meta:
        model = Member
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for what people type ("138-1234-5678", spaces); the cleaned value fits the column.
        for name, room in (("phone", 20), ("id_number", 30)):
            if name in self.fields:
                field = self.fields[name]
                field.max_length = room
                field.widget.attrs["maxlength"] = room
                field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]

    # What people type (full-width digits, a lower-case x, spaces, dashes in phone numbers) is normalised
    # here, before the model's validators see it.
    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number"))

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone")) or ""

    def clean_entry_date(self):
        value = self.cleaned_data.get("entry_date") or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the future."))
        return value


class StatusChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Status change"))
    effective_on = forms.DateField(label=_("Effective date"), initial=timezone.localdate,
                                   widget=DateInput())
    reason = forms.CharField(label=_("Reason / decision"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    counterpart = forms.CharField(label=_("Other union (transfers)"), required=False, max_length=200)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in allowed_transitions(member) if kind not in CREATING_KINDS or member.pk is None]
        self.fields["kind"].choices = [(kind.value, MembershipEventKind(kind).label) for kind in kinds
                                       if kind not in (MembershipEventKind.ENROLL, MembershipEventKind.APPLY)]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and TRANSITIONS[kind].reason_required and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for this change."))
        return cleaned


class ChangeGroupForm(forms.Form):
    union_group = forms.ModelChoiceField(label=_("Move to union group"), queryset=UnionGroup.objects.all(),
                                         required=False, empty_label=_("(no group)"))


class ApplicationForm(forms.Form):
    """入会申请: a person who works at the agency asks to join. The chair approves it in the admin."""

    name = forms.CharField(label=_("Name"), max_length=50)
    # Room for the spaces, dashes and +86 people type (a phone's browser stops typing at maxlength); the clean_
    # methods below reduce the numbers to their 18 characters / 11 digits and check them.
    id_number = forms.CharField(label=_("ID number"), max_length=24,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}))
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, empty_label=_("(choose)"))
    position = forms.CharField(label=_("Post / title"), max_length=100, required=False)
    statement = forms.CharField(label=_("Why you wish to join"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    agree = forms.BooleanField(label=_("I accept the union's constitution and will pay dues."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])
