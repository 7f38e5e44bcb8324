"""On acceptance the elected take office: the 小组长 through members' service (with its role, in the audit trail),
the officers with the chair role; a void vote is not accepted."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from accounts.models import Role
from elections import services
from elections.models import Candidate, Election, ElectionRules
from tests.factories import MemberFactory, UnionGroupFactory

pytestmark = pytest.mark.django_db


def _counted(chair, kind, voters, winner, union_group=None, cast=True):
    election = Election.objects.create(title="推选", kind=kind, seats=1, rules=ElectionRules.objects.get(kind=kind),
                                       held_on=datetime.date(2026, 5, 20), roll_date=datetime.date(2026, 5, 1),
                                       union_group=union_group)
    services.roll_freeze(election=election, actor=chair)
    candidate = Candidate.objects.create(election=election, member=winner, approved=True)
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING)
    election.refresh_from_db()
    for voter in voters if cast else []:
        services.ballot_cast(election=election, member=voter, candidate_ids=[candidate.pk])
    services.election_close(election=election, actor=chair)
    election.refresh_from_db()
    return election


def test_the_elected_group_leader_takes_office_with_the_role(chair, make_persona):
    group = UnionGroupFactory()
    winner = make_persona("winner", union_group=group).member
    voters = [winner, *[MemberFactory(union_group=group) for _ in range(3)]]  # the group alone votes
    election = _counted(chair, "group_leader", voters, winner, union_group=group)
    services.election_accept(election=election, actor=chair)
    group.refresh_from_db()
    assert group.leader == winner and winner.user.has_role(Role.GROUP_LEADER)
    assert Election.objects.get(pk=election.pk).state == Election.State.ACCEPTED
    entry = LogEntry.objects.get_for_object(group).latest("timestamp")
    assert entry.actor == chair and "leader" in entry.changes_dict
    with pytest.raises(ValidationError):
        services.election_accept(election=election, actor=chair)  # once


def test_the_officers_elected_hold_the_chair_role(chair, make_persona):
    winner = make_persona("new_chair").member
    election = _counted(chair, "officers", [winner, chair.member], winner)
    services.election_accept(election=election, actor=chair)
    assert type(winner.user).objects.get(pk=winner.user_id).has_role(Role.CHAIR)


def test_a_void_vote_is_not_accepted(chair):
    winner = MemberFactory()
    election = _counted(chair, "committee", [], winner, cast=False)
    assert election.result_valid is False
    with pytest.raises(ValidationError) as refused:
        services.election_accept(election=election, actor=chair)
    assert refused.value.code == "void"


def test_a_group_leader_roll_is_the_group_in_service(chair):
    group = UnionGroupFactory()
    inside = [MemberFactory(union_group=group) for _ in range(3)]
    MemberFactory()  # another group's member
    election = Election.objects.create(title="推选", kind="group_leader", seats=1, union_group=group,
                                       rules=ElectionRules.objects.get(kind="group_leader"),
                                       held_on=datetime.date(2026, 5, 20), roll_date=datetime.date(2026, 5, 1))
    services.roll_freeze(election=election, actor=chair)
    assert {v.member for v in election.voters.all()} == set(inside)
