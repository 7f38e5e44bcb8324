"""The tracker's forms: a member files an item, the union records one, and one small form per step."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role, User
from core.forms import DateInput
from members.forms import MemberChoiceField
from members.models import Department, Member

from ..models import Item, TrackerCategory
from ..notices.services import attachment_check
from .services import MEMBER_SOURCES, STAFF_SOURCES


class _ItemFields(forms.Form):
    category = forms.ModelChoiceField(label=pgettext_lazy("tracker", "Category"), queryset=TrackerCategory.objects.filter(active=True),
                                      required=False)
    title = forms.CharField(label=pgettext_lazy("tracker", "Title"), max_length=200)
    text = forms.CharField(label=_("What it is about"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000)
    attach = forms.FileField(label=_("Attach a file"), required=False,
                             help_text=_("PDF, Word, Excel or images, up to 10 MB."))

    def clean_attach(self):
        upload = self.cleaned_data.get("attach")
        if upload:
            attachment_check(upload)
        return upload


class SubmitForm(_ItemFields):
    source = forms.ChoiceField(label=_("Where it goes"), widget=forms.RadioSelect)
    anonymous = forms.BooleanField(
        label=_("File it anonymously"), required=False,
        help_text=_("Your name is not kept with it; you follow it with a code shown once after sending."))
    field_order = ["source", "category", "title", "text", "anonymous", "attach"]

    def __init__(self, *args, congress=None, **kwargs):
        super().__init__(*args, **kwargs)
        sources = [s for s in MEMBER_SOURCES if s != Item.Source.PROPOSAL or congress is not None]
        self.fields["source"].choices = [(s, Item.Source(s).label) for s in sources]
        self.fields["source"].initial = Item.Source.BOX


class RecordForm(_ItemFields):
    source = forms.ChoiceField(label=_("Source"), choices=[(s, Item.Source(s).label) for s in STAFF_SOURCES])
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.on_roll(),
                               required=False, help_text=_("Required for a talk; empty for an unnamed visit."))
    field_order = ["source", "member", "category", "title", "text", "attach"]


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class AssignForm(forms.Form):
    owner_user = forms.ModelChoiceField(label=_("Owner (person)"), required=False,
                             queryset=User.objects.filter(
                                 is_active=True, groups__role__code__in=Role.objects.exclude(code=Role.MEMBER)
                                 .values("code")).select_related("member").distinct().order_by("pk"))
    owner_department = forms.ModelChoiceField(label=_("Owner (department)"), queryset=Department.objects.all(),
                                              required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Are you satisfied with the answer?"), choices=Item.Rating.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=pgettext_lazy("tracker", "Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("The committee's decision"), choices=Item.Review.choices,
                                widget=forms.RadioSelect)
    merged_into = forms.ModelChoiceField(label=_("Merged into"), queryset=Item.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["merged_into"].queryset = Item.objects.filter(
                congress_id=item.congress_id, review=Item.Review.REGISTERED).exclude(pk=item.pk)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Follow-up code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


STEP_FORMS = {"decline": DeclineForm, "assign": AssignForm, "answer": AnswerForm, "rate": RateForm,
              "review": ReviewForm, "close": CloseForm}
