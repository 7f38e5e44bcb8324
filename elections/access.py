"""Who may open an election's voting page: a member on its frozen roll while its online vote is open (404
otherwise); who may print its roll: ``elections.manage_election``."""

from django.http import Http404

from members.selectors import member_for_user

from .models import Election, Voter


def can_manage(user):
    return user.has_perm("elections.manage_election")


def election_for_voter(*, user, pk):
    """(election, voter) for a member on the roll of an election open for voting; 404 for everyone else."""
    member = member_for_user(user)
    voter = (Voter.objects.filter(election_id=pk, member=member, election__state=Election.State.VOTING,
                                  election__roll_frozen=True).select_related("election").first()
             if member is not None else None)
    if voter is None:
        raise Http404
    return voter.election, voter
