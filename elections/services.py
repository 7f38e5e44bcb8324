"""Writes of an election: the roll as of a date, candidates, online ballots, the count."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from core.audit import audit_context
from members.models import Member, MembershipEvent, MemberStatus

from . import rules
from .models import Ballot, BallotMark, Candidate, Election, RollChange, Voter


def members_entitled_on(date):
    """Members in service (在职, status ACTIVE) on ``date`` by the dated membership history; 保留会籍 retirees keep
    membership but have no vote (DOMAIN §1). A member with no history counts by the status on file since
    ``status_since``."""
    last = MembershipEvent.objects.filter(member=OuterRef("pk"), effective_on__lte=date).order_by(
        "-effective_on", "-id").values("to_status")[:1]
    no_history = ~Exists(MembershipEvent.objects.filter(member=OuterRef("pk")))
    return Member.objects.annotate(status_then=Subquery(last)).filter(
        Q(status_then=MemberStatus.ACTIVE)
        | Q(no_history, status=MemberStatus.ACTIVE, status_since__lte=date)).order_by()


def roll_freeze(*, election, actor):
    """Build the roll from the history as of ``election.roll_date`` and freeze it; later changes are logged."""
    with transaction.atomic(), audit_context(actor=actor):
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.roll_frozen:
            raise ValidationError(_("The roll is already frozen."), code="frozen")
        Voter.objects.bulk_create([Voter(election=election, member=m)
                                   for m in members_entitled_on(election.roll_date)])
        election.roll_frozen = True
        election.save(update_fields=["roll_frozen"])
    return election


def roll_change(*, election, member, added, reason, actor):
    """Add to or take off a frozen roll, with the reason logged."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."), code="reason_required")
    with transaction.atomic(), audit_context(actor=actor):
        if added:
            Voter.objects.get_or_create(election=election, member=member)
        else:
            Voter.objects.filter(election=election, member=member, voted=False).delete()
        return RollChange.objects.create(election=election, member=member, added=added, reason=reason, actor=actor)


def ballot_cast(*, election, member, candidate_ids):
    """One online ballot per voter, also under two simultaneous submits: the voter's row is claimed by a
    conditional UPDATE (``voted`` false → true); only the request that changed exactly one row writes a ballot.
    The ballot carries no voter, no time and a random id: nothing joins it to the mark."""
    if election.state != Election.State.VOTING:
        raise ValidationError(_("Voting is not open."), code="not_open")
    chosen = set(Candidate.objects.filter(election=election, approved=True, pk__in=candidate_ids)
                 .values_list("pk", flat=True))
    if len(chosen) != len(set(candidate_ids)) or not rules.ballot_valid(marks=len(chosen), seats=election.seats):
        raise ValidationError(_("Choose at most as many candidates as there are seats."), code="too_many")
    with transaction.atomic():
        claimed = Voter.objects.filter(election=election, member=member, voted=False).update(voted=True)
        if claimed != 1:
            if not Voter.objects.filter(election=election, member=member).exists():
                raise ValidationError(_("You are not on this election's roll."), code="not_on_roll")
            raise ValidationError(_("You have already voted."), code="already_voted")
        ballot = Ballot.objects.create(election=election)
        BallotMark.objects.bulk_create([BallotMark(ballot=ballot, candidate_id=pk) for pk in chosen])


def count(*, election):
    """Tally online ballots with the paper counts: {candidate: yes votes}, ballots cast, voters marked."""
    online = Counter(BallotMark.objects.filter(ballot__election=election).values_list("candidate_id", flat=True))
    candidates = list(Candidate.objects.filter(election=election, approved=True).select_related("member"))
    votes = {c: online[c.pk] + c.paper_votes for c in candidates}
    return {"votes": votes, "ballots": Ballot.objects.filter(election=election).count(),
            "marked": Voter.objects.filter(election=election, voted=True).count(),
            "entitled": Voter.objects.filter(election=election).count()}


def election_close(*, election, paper_ballots=0, actor):
    """Close the vote and count it. Ballots cast must equal voters marked, or the close is refused."""
    with transaction.atomic(), audit_context(actor=actor):
        election = Election.objects.select_for_update().get(pk=election.pk)
        figures = count(election=election)
        if figures["ballots"] != figures["marked"]:
            raise ValidationError(_("Ballots cast do not equal voters marked."), code="mismatch")
        voted = figures["ballots"] + paper_ballots
        result = rules.outcome(election.rules, seats=election.seats, entitled=figures["entitled"], voted=voted,
                               votes=figures["votes"],
                               ballots_issued=figures["entitled"] if not paper_ballots else None)
        election.state = Election.State.CLOSED
        election.save(update_fields=["state"])
    return result, figures
