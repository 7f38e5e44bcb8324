from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from members.models import UnionGroup
from members.selectors import members_in_service_on

from . import rules
from .models import Candidate


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


class NominationsOpenForm(forms.Form):
    closes_on = forms.DateField(label=_("nominations close on"), required=False, widget=DateInput)


class GroupNominationForm(forms.Form):
    """推荐 by a 工会小组: how many members were present, then one line per nominee with how many agreed. The
    nominees are chosen from the members in service on the roll date (a 小组长推选: the group's own), listed
    once for all lines (one query)."""

    members_present = forms.IntegerField(label=_("members present"), min_value=1)

    def __init__(self, *args, election, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = members_in_service_on(election.roll_date).select_related("department").order_by(
            "department__sort_order", "name_initials", "pk")
        if election.union_group_id:
            eligible = eligible.filter(union_group=election.union_group_id)
        self.eligible = {m.pk: m for m in eligible}
        choices = [("", "—")] + [(str(pk), f"{m.name} · {m.department}" if m.department_id else m.name)
                                 for pk, m in self.eligible.items()]
        existing = list(record.nominees.all()) if record is not None else []
        self.lines = max(len(existing) + 2, min(election.seats + 2, MAX_LINES))
        for i in range(self.lines):
            row = existing[i] if i < len(existing) else None
            self.fields[f"nominee_{i}"] = forms.TypedChoiceField(
                label=_("nominee %(n)d") % {"n": i + 1}, choices=choices, coerce=int, required=False,
                empty_value=None, initial=row.member_id if row else None)
            self.fields[f"agreeing_{i}"] = forms.IntegerField(
                label=_("members agreeing"), min_value=1, required=False, initial=row.agreeing if row else None)
        if record is not None:
            self.fields["members_present"].initial = record.members_present

    def line_fields(self):
        """(nominee field, agreeing field) per line, for the template."""
        return [(self[f"nominee_{i}"], self[f"agreeing_{i}"]) for i in range(self.lines)]

    def clean(self):
        data = super().clean()
        nominees = []
        for i in range(self.lines):
            pk, agreeing = data.get(f"nominee_{i}"), data.get(f"agreeing_{i}")
            if pk is None and agreeing is None:
                continue
            if pk is None or agreeing is None:
                self.add_error(f"agreeing_{i}" if pk else f"nominee_{i}",
                               _("Give both the nominee and how many members agreed."))
                continue
            nominees.append((self.eligible[pk], agreeing))
        data["nominees"] = nominees
        return data


#: The most nominee lines a group's form shows at first (more appear, two at a time, once they are filled).
MAX_LINES = 12


class GroupNominationOnBehalfForm(GroupNominationForm):
    """The organiser enters a group's record from its paper form (a group whose leader has no portal account)."""

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, election=election, **kwargs)
        groups = UnionGroup.objects.order_by("sort_order", "name")
        if election.union_group_id:
            groups = groups.filter(pk=election.union_group_id)
        self.fields = {"union_group": forms.ModelChoiceField(
            label=_("nominating group"), queryset=groups,
            help_text=_("Replaces the group's record if it has one.")), **self.fields}


class ReviewForm(forms.Form):
    passed = forms.ModelMultipleChoiceField(label=_("Candidates who passed review"), required=False,
                                            queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Candidate.objects.filter(election=election).select_related("member", "nominated_by")
        self.fields["passed"].queryset = candidates
        self.fields["passed"].initial = [c.pk for c in candidates if c.approved]
        self.fields["passed"].label_from_instance = lambda c: _("%(name)s · %(group)s · %(count)d votes") % {
            "name": c.member.name, "group": c.nominated_by or "—", "count": c.nominations}


class SubmitForm(forms.Form):
    on = forms.DateField(label=_("candidate list sent on"), initial=timezone.localdate, widget=DateInput)


class ApprovalForm(forms.Form):
    reference = forms.CharField(label=_("higher union's approval (批复)"), max_length=200,
                                help_text=_("The reference number of the higher union's reply."))
    approved_on = forms.DateField(label=_("approved on"), initial=timezone.localdate, widget=DateInput)


class BallotBoxForm(forms.Form):
    """监票/计票: one box of printed ballots, with the yes-votes of each candidate."""

    label = forms.CharField(label=_("ballot box"), max_length=50, initial=_("Ballot box 1"))
    issued = forms.IntegerField(label=_("ballots issued"), min_value=0)
    returned = forms.IntegerField(label=_("ballots returned"), min_value=0)
    invalid = forms.IntegerField(label=_("invalid ballots"), min_value=0, initial=0)
    scrutineers = forms.CharField(label=_("scrutineers (监票人)"), max_length=200)
    tellers = forms.CharField(label=_("tellers (计票人)"), max_length=200)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(Candidate.objects.filter(election=election, approved=True).select_related("member")
                               .order_by("member__name_initials", "pk"))
        for candidate in self.candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=_("Yes votes for %(name)s") % {"name": candidate.member.name}, min_value=0, initial=0)

    def clean(self):
        data = super().clean()
        data["votes"] = {c.pk: data.get(f"votes_{c.pk}") or 0 for c in self.candidates}
        return data


class SecondRoundForm(forms.Form):
    held_on = forms.DateField(label=_("election date"), initial=timezone.localdate, widget=DateInput)
