from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules


class BallotForm(forms.Form):
    """Mark up to ``seats`` candidates, then confirm; an empty ballot is a valid 弃权 by the rules."""

    candidates = forms.MultipleChoiceField(label=_("Candidates"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    confirm = forms.BooleanField(label=_("I have checked my choices; once cast, a ballot cannot be changed."),
                                 required=True)

    def __init__(self, *args, election, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.fields["candidates"].choices = [
            (str(c.pk), f"{c.member.name}" + (f" · {c.member.department}" if c.member.department_id else ""))
            for c in candidates]
        self.fields["candidates"].help_text = _("Mark at most %(seats)d.") % {"seats": election.seats}

    def clean_candidates(self):
        chosen = [int(pk) for pk in self.cleaned_data["candidates"]]
        if not rules.ballot_valid(marks=len(chosen), seats=self.election.seats):
            raise forms.ValidationError(_("Choose at most as many candidates as there are seats."))
        return chosen
