"""Writes of an election, in the order of 《工会基层组织选举工作条例》: nominations from the groups (推荐), review, the
list sent to the higher union and its 批复, the roll as of a date, online ballots and paper ballot boxes, the
count, a second round, and the acceptance by which the elected take office."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from members.selectors import members_in_service_on
from members.services import group_leader_set, user_role_change

from . import rules, selectors
from .models import (
    Ballot,
    BallotBox,
    BallotMark,
    BoxVotes,
    Candidate,
    Election,
    ElectionKind,
    GroupNomination,
    GroupNominee,
    RollChange,
    Voter,
)

S = Election.State


def _locked(election, *states):
    """The election's row, locked; refused unless it is in one of ``states``."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if states and election.state not in states:
        raise ValidationError(_("Not possible while the election is “%(state)s”.") % {
            "state": election.get_state_display()}, code="wrong_state")
    return election


def nominations_open(*, election, closes_on, actor):
    """Groups may nominate candidates (推荐) until ``closes_on``."""
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.DRAFT)
        election.state, election.nominations_close_on = S.NOMINATING, closes_on
        election.save(update_fields=["state", "nominations_close_on"])
    return election


def group_nomination_save(*, election, union_group, members_present, nominees, actor):
    """推荐: a 工会小组's record of its nominations — ``members_present`` at its meeting and ``nominees``, a list of
    ``(member, agreeing)`` — one record per group and election, replaced whole on each save while nominations are
    open (until ``nominations_close_on``), read-only after. Those agreeing are among those present, who are among
    the group's members in service; only members in service on the roll date may stand (保留会籍 retirees have no
    election rights, DOMAIN §1); a 小组长推选 is nominated by its own group, from its own members. The candidate list
    is then drawn from all the groups' records (``_candidates_draw``)."""
    seen = [member.pk for member, _agreeing in nominees]
    if not nominees:
        raise ValidationError(_("Name at least one nominee."), code="no_nominee")
    if len(set(seen)) != len(seen):
        raise ValidationError(_("Each nominee is named once."), code="duplicate_nominee")
    if members_present < 1:
        raise ValidationError(_("Give how many members of the group were present."), code="no_count")
    if any(agreeing < 1 or agreeing > members_present for _member, agreeing in nominees):
        raise ValidationError(_("Those agreeing are between one and the members present."), code="agreeing")
    with transaction.atomic(), audit_context(actor=actor):
        election = Election.objects.select_for_update().get(pk=election.pk)
        if not selectors.nominations_window_open(election):
            raise ValidationError(_("Nominations are not open."), code="not_nominating")
        if election.union_group_id and union_group.pk != election.union_group_id:
            raise ValidationError(_("A group leader is chosen from the group's own members."), code="not_in_group")
        in_service = members_in_service_on(election.roll_date)
        if members_present > selectors.group_size_on(union_group, election.roll_date):
            raise ValidationError(_("More members present than the group has in service."), code="present")
        entitled = set(in_service.filter(pk__in=seen).values_list("pk", flat=True))
        if entitled != set(seen):
            raise ValidationError(_("Only members in service on the roll date may stand."), code="not_entitled")
        if election.union_group_id and any(m.union_group_id != election.union_group_id for m, _a in nominees):
            raise ValidationError(_("A group leader is chosen from the group's own members."), code="not_in_group")
        record, created = GroupNomination.objects.select_for_update().get_or_create(
            election=election, union_group=union_group,
            defaults={"members_present": members_present, "entered_by": actor})
        if not created:
            record.members_present, record.entered_by = members_present, actor
            record.save(update_fields=["members_present", "entered_by", "updated_at"])
        agreeing = {member.pk: n for member, n in nominees}
        for row in record.nominees.all():  # row by row, so each change is on the audit trail
            n = agreeing.pop(row.member_id, None)
            if n is None:
                row.delete()
            elif row.agreeing != n:
                row.agreeing = n
                row.save(update_fields=["agreeing"])
        for member_id, n in agreeing.items():
            GroupNominee.objects.create(nomination=record, member_id=member_id, agreeing=n)
        _candidates_draw(election)
    return record


def _candidates_draw(election):
    """The candidates are the members the groups nominated: per nominee, the agreeing counts of all groups added
    up, the first group to nominate kept as the nominating one. A candidate no group nominates any more leaves the
    list; the review (``approved``) of the others stays."""
    rows = list(GroupNominee.objects.filter(nomination__election=election)
                .values_list("member_id", "agreeing", "nomination_id", "nomination__union_group_id"))
    totals, first = Counter(), {}
    for member_id, agreeing, record_id, group_id in sorted(rows, key=lambda row: row[2]):
        totals[member_id] += agreeing
        first.setdefault(member_id, group_id)
    for candidate in Candidate.objects.filter(election=election).select_for_update():
        if candidate.member_id not in totals:
            candidate.delete()
            continue
        fields = {"nominations": totals.pop(candidate.member_id), "nominated_by_id": first[candidate.member_id]}
        if any(getattr(candidate, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(candidate, name, value)
            candidate.save(update_fields=["nominations", "nominated_by"])
    for member_id, n in totals.items():
        Candidate.objects.create(election=election, member_id=member_id, nominated_by_id=first[member_id],
                                 nominations=n)


def candidates_review(*, election, passed, actor):
    """The committee's review: exactly the candidates in ``passed`` go on the list, the others do not."""
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.NOMINATING)
        keep = {c.pk for c in passed}
        for candidate in Candidate.objects.filter(election=election).select_for_update():
            if candidate.approved != (candidate.pk in keep):
                candidate.approved = candidate.pk in keep
                candidate.save(update_fields=["approved"])
    return election


def candidates_submit(*, election, on, actor):
    """The reviewed list goes to the higher union; it must have the 差额 of the rules (candidates more than the
    seats by at least the margin ratio)."""
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.NOMINATING)
        listed = Candidate.objects.filter(election=election, approved=True).count()
        if not rules.enough_candidates(election.rules, seats=election.seats, candidates=listed):
            raise ValidationError(
                _("%(listed)d candidates for %(seats)d seats: fewer than the margin (差额) the rules ask for.")
                % {"listed": listed, "seats": election.seats}, code="margin")
        election.state, election.candidates_submitted_on = S.SUBMITTED, on
        election.save(update_fields=["state", "candidates_submitted_on"])
    return election


def candidates_approval_record(*, election, reference, approved_on, actor):
    """The higher union's 批复 of the list, with its reference and date; the list is fixed from then on."""
    if not reference.strip():
        raise ValidationError(_("Give the reference of the higher union's approval."), code="reference_required")
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.SUBMITTED)
        election.state, election.approval_reference, election.approved_on = S.APPROVED, reference.strip(), approved_on
        election.save(update_fields=["state", "approval_reference", "approved_on"])
    return election


def voting_open(*, election, actor):
    """Voting opens only on a frozen roll and after the higher union's 批复 of the candidate list is recorded."""
    with transaction.atomic(), audit_context(actor=actor):
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.state != S.APPROVED or not election.approval_reference:
            raise ValidationError(
                _("Voting cannot open before the higher union's approval (批复) of the candidate list is recorded."),
                code="no_approval")
        if not election.roll_frozen:
            raise ValidationError(_("Freeze the voter roll before voting opens."), code="roll_not_frozen")
        election.state, election.voting_opened_on = S.VOTING, timezone.localdate()
        election.save(update_fields=["state", "voting_opened_on"])
    return election


def roll_freeze(*, election, actor):
    """Build the roll from the history as of ``election.roll_date`` (for a group's election, of its members) and
    freeze it; later changes are logged."""
    with transaction.atomic(), audit_context(actor=actor):
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.roll_frozen:
            raise ValidationError(_("The roll is already frozen."), code="frozen")
        entitled = members_in_service_on(election.roll_date)
        if election.union_group_id:  # 小组长推选: the group's own members choose (组长由小组全体会员推选)
            entitled = entitled.filter(union_group=election.union_group_id)
        Voter.objects.bulk_create([Voter(election=election, member=m) for m in entitled])
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


def ballot_box_record(*, election, label, issued, returned, invalid, votes, scrutineers, tellers, actor):
    """监票/计票: the count of one box of printed ballots, entered once. The figures must hold together (invalid ones
    among those returned; no candidate more yes-votes than valid ballots, no more marks than valid ballots × seats),
    the paper ballots handed out cannot exceed the voters who have not voted online, and the 监票人/计票人 are not
    candidates (《工会基层组织选举工作条例》). More ballots returned than issued is recorded: it voids the vote at the
    close."""
    if invalid > returned:
        raise ValidationError(_("More invalid ballots than ballots returned."), code="invalid_exceeds_returned")
    if not scrutineers.strip() or not tellers.strip():
        raise ValidationError(_("Name the scrutineers and the tellers of the box."), code="names_required")
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.VOTING)
        candidates = {c.pk: c for c in Candidate.objects.filter(election=election, approved=True)
                      .select_related("member")}
        valid = returned - invalid
        if (set(votes) - set(candidates) or any(v < 0 or v > valid for v in votes.values())
                or sum(votes.values()) > valid * election.seats):
            raise ValidationError(_("The yes-votes do not fit the valid ballots of the box."),
                                  code="votes_exceed_ballots")
        if any(c.member.name in f"{scrutineers} {tellers}" for c in candidates.values()):
            raise ValidationError(_("A candidate cannot be a scrutineer or a teller."), code="teller_is_candidate")
        if BallotBox.objects.filter(election=election, label=label).exists():
            raise ValidationError(_("This ballot box is already counted."), code="box_counted")
        handed_out = BallotBox.objects.filter(election=election).aggregate(n=Sum("issued"))["n"] or 0
        if handed_out + issued > Voter.objects.filter(election=election, voted=False).count():
            raise ValidationError(_("More paper ballots issued than voters who have not voted online."),
                                  code="issued_exceeds_roll")
        box = BallotBox.objects.create(election=election, label=label, issued=issued, returned=returned,
                                       invalid=invalid, scrutineers=scrutineers, tellers=tellers, recorded_by=actor)
        BoxVotes.objects.bulk_create([BoxVotes(box=box, candidate_id=pk, votes=n) for pk, n in votes.items()])
    return box


def count(*, election):
    """The online ballots with the paper ballot boxes: yes-votes per candidate, ballots cast online and voters
    marked (which must be equal), the roll, and the boxes' ballots issued, returned and invalid."""
    online = Counter(BallotMark.objects.filter(ballot__election=election).values_list("candidate_id", flat=True))
    paper = dict(BoxVotes.objects.filter(box__election=election).values("candidate")
                 .annotate(n=Sum("votes")).values_list("candidate", "n"))
    candidates = list(Candidate.objects.filter(election=election, approved=True).select_related("member"))
    boxes = BallotBox.objects.filter(election=election).aggregate(
        issued=Sum("issued", default=0), returned=Sum("returned", default=0), invalid=Sum("invalid", default=0))
    return {"votes": {c: online[c.pk] + paper.get(c.pk, 0) for c in candidates},
            "ballots": Ballot.objects.filter(election=election).count(),
            "marked": Voter.objects.filter(election=election, voted=True).count(),
            "entitled": Voter.objects.filter(election=election).count(),
            "paper_issued": boxes["issued"], "paper_returned": boxes["returned"], "paper_invalid": boxes["invalid"]}


def election_close(*, election, actor):
    """Close the vote and count it, online and paper together. Ballots cast online must equal voters marked, and
    the paper ballots issued cannot exceed the voters left, or the close is refused. The result (valid or void,
    votes, who is elected, who goes to a second round) is kept on the election and its candidates."""
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.VOTING)
        figures = count(election=election)
        if figures["ballots"] != figures["marked"]:
            raise ValidationError(_("Ballots cast do not equal voters marked."), code="mismatch")
        if figures["paper_issued"] > figures["entitled"] - figures["marked"]:
            raise ValidationError(_("More paper ballots issued than voters who have not voted online."),
                                  code="issued_exceeds_roll")
        issued = figures["marked"] + figures["paper_issued"]
        returned = figures["ballots"] + figures["paper_returned"]
        result = rules.outcome(election.rules, seats=election.seats, entitled=figures["entitled"], voted=returned,
                               votes=figures["votes"], ballots_issued=issued)
        election.state, election.closed_on = S.CLOSED, timezone.localdate()
        election.ballots_issued, election.ballots_returned = issued, returned
        election.ballots_invalid, election.result_valid = figures["paper_invalid"], result.valid
        election.seats_left = result.seats_left
        election.save(update_fields=["state", "closed_on", "ballots_issued", "ballots_returned", "ballots_invalid",
                                     "result_valid", "seats_left"])
        for candidate, votes in figures["votes"].items():
            candidate.votes = votes
            candidate.elected = candidate in result.elected
            candidate.second_round = candidate in result.second_round
        Candidate.objects.bulk_update(list(figures["votes"]), ["votes", "elected", "second_round"])
    return result, figures


def second_round_create(*, election, held_on, actor):
    """另行选举: seats left unfilled by a tie or a shortfall are voted again, on the same frozen roll, among the
    candidates the count sent to a second round; the list stays within the higher union's 批复."""
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.CLOSED)
        if not election.result_valid or not election.seats_left or not election.rules.second_round:
            raise ValidationError(_("There are no seats left for a second round."), code="no_seats_left")
        if election.next_rounds.exists():
            raise ValidationError(_("The second round is already set up."), code="second_round_exists")
        second = Election.objects.create(
            title=_("%(title)s, second round") % {"title": election.title}, kind=election.kind,
            rules=election.rules, seats=election.seats_left, held_on=held_on, roll_date=election.roll_date,
            union_group=election.union_group, state=S.APPROVED, roll_frozen=True,
            approval_reference=election.approval_reference, approved_on=election.approved_on,
            candidates_submitted_on=election.candidates_submitted_on, previous_round=election)
        Voter.objects.bulk_create([Voter(election=second, member_id=pk) for pk in
                                   Voter.objects.filter(election=election).values_list("member_id", flat=True)])
        Candidate.objects.bulk_create([
            Candidate(election=second, member_id=c.member_id, nominated_by_id=c.nominated_by_id,
                      nominations=c.nominations, approved=True)
            for c in Candidate.objects.filter(election=election, second_round=True)])
    return second


def election_accept(*, election, actor):
    """On acceptance the elected take office in the portal, as ``selectors.acceptance_changes`` lists it (the
    confirmation page shows the same list): a 小组长推选's winner leads the group (members' ``group_leader_set``,
    with the group leader role); after a 换届 of the committee, the 经审会 or the 主席/副主席 the elected hold the
    body's role (工会委员会委员, 经审委员, 工会主席/副主席) and its former holders who were not elected lose it; a 增补
    adds the elected to the body. Roles change through ``members.services.user_role_change``, on the audit trail.
    Only a valid vote is accepted."""
    with transaction.atomic(), audit_context(actor=actor):
        election = _locked(election, S.CLOSED)
        if not election.result_valid:
            raise ValidationError(_("A void vote cannot be accepted."), code="void")
        changes = selectors.acceptance_changes(election)
        if election.kind == ElectionKind.GROUP_LEADER and election.union_group_id:
            elected = list(Candidate.objects.filter(election=election, elected=True).select_related("member"))
            if len(elected) != 1:
                raise ValidationError(_("A group leader election needs one person elected."), code="no_leader")
            group_leader_set(union_group=election.union_group, member=elected[0].member, actor=actor)
        else:
            for change in changes:
                if change.user is not None:
                    user_role_change(user=change.user, add=change.role if change.gains else None,
                                     remove=None if change.gains else change.role, actor=actor)
        election.state, election.accepted_on = S.ACCEPTED, timezone.localdate()
        election.save(update_fields=["state", "accepted_on"])
    return election
