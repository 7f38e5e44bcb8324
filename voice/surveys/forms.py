from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Question

RATINGS = [(str(n), str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    """One field per question of the survey, named ``q<pk>``."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            choices = [(c, c) for c in question.choice_list]
            common = {"label": question.text, "required": question.required}
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
            elif question.kind == Question.Kind.RATING:
                field = forms.ChoiceField(choices=RATINGS, widget=forms.RadioSelect(attrs={"class": "rating"}),
                                          help_text=_("1 = not at all satisfied, 5 = very satisfied"), **common)
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, **common)
            self.fields[f"q{question.pk}"] = field

    def answers(self):
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}
