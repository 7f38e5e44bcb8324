"""Registration forms: the activity's questions as form fields, checked again by the service."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import registration
from .models import RegistrationQuestion

#: Choice questions with this many choices or fewer are radio buttons (one tap on a phone); longer lists a menu.
RADIO_MAX_CHOICES = 6


def _field_name(question):
    return f"q{question.pk}"


class RegistrationForm(forms.Form):
    """One field per question (``q<pk>``); ``answers()`` gives them keyed as the service stores them."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[_field_name(question)] = self._field(question)

    @staticmethod
    def _field(question):
        common = {"label": question.label, "required": question.required}
        if question.kind == RegistrationQuestion.Kind.NUMBER:
            largest = question.max_number if question.max_number is not None else registration.NUMBER_ANSWER_DEFAULT_MAX
            return forms.IntegerField(min_value=0, max_value=largest, initial=0 if question.counts_family else None,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common)
        if question.kind == RegistrationQuestion.Kind.CHOICE:
            choices = [(choice, choice) for choice in question.choice_list]
            if len(choices) <= RADIO_MAX_CHOICES:
                return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            return forms.ChoiceField(choices=[("", "—")] + choices, **common)
        return forms.CharField(max_length=registration.TEXT_ANSWER_MAX_LENGTH, **common)

    def answers(self):
        return {str(q.pk): self.cleaned_data.get(_field_name(q)) for q in self.questions
                if self.cleaned_data.get(_field_name(q)) not in (None, "")}

    def add_service_errors(self, error: ValidationError):
        """Put the service's answer errors (keyed by question pk) on the matching fields."""
        for key, errors in error.error_dict.items():
            field = f"q{key}" if f"q{key}" in self.fields else None
            for item in errors:
                self.add_error(field, item)


class ReasonForm(forms.Form):
    """The confirmation step of cancelling or leaving the waitlist, with an optional word for the organiser."""

    reason = forms.CharField(label=_("Reason (optional, for the organiser)"), max_length=200, required=False)
