"""Reads of elections: the open ones a member may vote in, the candidates on a ballot, the printed roll."""

from dataclasses import dataclass
from decimal import Decimal

from .models import Candidate, Election, Voter


def open_elections_for_member(member):
    """[(election, voted)] of the elections open for voting with ``member`` on their frozen roll, in one query."""
    if member is None:
        return []
    voters = (Voter.objects.filter(member=member, election__state=Election.State.VOTING, election__roll_frozen=True)
              .select_related("election").order_by("election__held_on", "election_id"))
    return [(voter.election, voter.voted) for voter in voters]


def ballot_candidates(election):
    return (Candidate.objects.filter(election=election, approved=True).select_related("member", "member__department")
            .order_by("member__name_initials", "pk"))


def roll_rows(election):
    """The roll's lines for the 选民名单, by group and name (one query)."""
    return (Voter.objects.filter(election=election)
            .select_related("member", "member__department", "member__union_group")
            .order_by("member__union_group__name", "member__name_initials", "member__pk"))


@dataclass(frozen=True)
class CompositionCheck:
    """One line of the list's composition: ``count`` of ``total`` against ``target`` (a share, or for departments
    a number); ``met`` is None where the rules set no target."""

    key: str
    count: int
    total: int
    target: Decimal | int | None

    @property
    def share(self):
        return Decimal(self.count) / self.total if self.total else Decimal(0)

    @property
    def met(self):
        if self.target is None:
            return None
        if self.key == "departments":
            return self.count >= self.target
        return self.count >= self.total * self.target  # exact: no rounding of the share


def _age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def composition(election):
    """Women, young candidates and departments among the candidates on the list (passed review), against the
    targets of the election's rules (data). Shown as counts and shares only, never as anyone's age."""
    rules = election.rules
    listed = list(Candidate.objects.filter(election=election, approved=True)
                  .values_list("member__sex", "member__birth_date", "member__department_id"))
    total = len(listed)
    women = sum(1 for sex, _b, _d in listed if sex == "F")
    young = sum(1 for _s, birth, _d in listed if birth and rules.young_age_limit
                and _age_on(birth, election.held_on) < rules.young_age_limit)
    departments = len({dept for _s, _b, dept in listed if dept})
    return [CompositionCheck("women", women, total, rules.women_share_target),
            CompositionCheck("young", young, total, rules.young_share_target),
            CompositionCheck("departments", departments, total, rules.departments_target)]
