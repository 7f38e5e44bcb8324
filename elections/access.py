"""Who may open an election's voting page: a member on its frozen roll while its online vote is open (404
otherwise); a group's nomination page: the group's 小组长 (404 for everyone else, 403 for a change once the window
has closed); who may print its roll: ``elections.manage_election``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import UnionGroup
from members.selectors import member_for_user

from .models import Election, GroupNomination, Voter
from .selectors import nominations_window_open


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


def group_nomination_for_leader(*, user, pk, group_pk, change=False):
    """(election, group, record or None, editable) for the leader of ``group_pk``, once the election's nominations
    have opened and if the group is asked to nominate. 404 for anyone who does not lead the group (the chair
    included: the organiser works in the admin); with ``change``, 403 once the window has closed."""
    if not user.is_authenticated:
        raise Http404
    group = UnionGroup.objects.filter(pk=group_pk, leader__user=user).first()
    election = (Election.objects.exclude(state=Election.State.DRAFT).select_related("rules").filter(pk=pk).first()
                if group is not None else None)
    if election is None or (election.union_group_id and election.union_group_id != group.pk):
        raise Http404
    editable = nominations_window_open(election)
    if change and not editable:
        raise PermissionDenied
    record = GroupNomination.objects.filter(election=election, union_group=group).first()
    return election, group, record, editable
