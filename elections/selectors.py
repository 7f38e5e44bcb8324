"""Reads of elections: the open ones a member may vote in, the candidates on a ballot, the printed roll."""

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
