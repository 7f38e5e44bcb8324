"""On acceptance the elected take office: the 小组长 through members' service (with its role, in the audit trail),
the officers with the chair role; a void vote is not accepted."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from elections import selectors, services
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


def _accepted_body(chair, kind, winners, **fields):
    """An election of ``kind`` for ``len(winners)`` seats, every voter on the roll voting for all the winners."""
    election = Election.objects.create(title="换届", kind=kind, seats=len(winners), held_on=datetime.date(2026, 5, 20),
                                       rules=ElectionRules.objects.get(kind=kind), roll_date=datetime.date(2026, 5, 1),
                                       **fields)
    services.roll_freeze(election=election, actor=chair)
    ids = [Candidate.objects.create(election=election, member=m, approved=True).pk for m in winners]
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING)
    election.refresh_from_db()
    for voter in election.voters.select_related("member"):
        services.ballot_cast(election=election, member=voter.member, candidate_ids=ids)
    services.election_close(election=election, actor=chair)
    election.refresh_from_db()
    assert election.result_valid and election.candidates.filter(elected=True).count() == len(winners)
    return election


def _codes(user):
    return set(Role.objects.filter(group__user=user).values_list("code", flat=True))


def test_a_committee_changeover_gives_the_elected_the_role_and_takes_it_from_the_others(
        client, login, chair, make_persona):
    old = make_persona("old_member", "committee")
    kept = make_persona("kept_member", "committee")
    new = make_persona("new_member")
    no_account = MemberFactory(name="无账号")
    election = _accepted_body(chair, "committee", [kept.member, new.member, no_account])
    login(chair)
    page = client.get(reverse("admin:elections_election_accept", args=[election.pk])).content.decode()
    gains, loses = page.split("失去角色")[0], page.split("失去角色")[1]
    assert new.member.name in gains and "无账号" in gains and "未开通门户账号" in gains and "工会委员会委员" in gains
    assert old.member.name in loses and kept.member.name not in page.split("<form")[0]
    services.election_accept(election=election, actor=chair)
    assert "committee" in _codes(new) and "committee" in _codes(kept) and "committee" not in _codes(old)
    assert _codes(old) == {Role.MEMBER}  # other roles stay
    entry = LogEntry.objects.get_for_object(old).latest("timestamp")
    assert entry.actor == chair and "groups" in entry.changes_dict


def test_an_audit_committee_changeover_moves_the_auditor_role(chair, auditor, make_persona):
    elected = [make_persona(f"auditor{i}").member for i in range(2)]
    changes = selectors.acceptance_changes(_accepted_body(chair, "audit_committee", elected))
    assert {(c.person, c.role.code, c.gains) for c in changes} == {
        (elected[0].name, Role.AUDITOR, True), (elected[1].name, Role.AUDITOR, True),
        (auditor.member.name, Role.AUDITOR, False)}
    services.election_accept(election=Election.objects.get(kind="audit_committee"), actor=chair)
    assert Role.AUDITOR not in _codes(auditor)
    assert all(Role.AUDITOR in _codes(m.user) for m in elected)


def test_a_by_election_adds_to_the_committee_and_takes_from_no_one(chair, make_persona):
    sitting = make_persona("sitting", "committee")
    new = make_persona("added")
    election = _accepted_body(chair, "by_election", [new.member], body="committee")
    assert [(c.person, c.gains) for c in selectors.acceptance_changes(election)] == [(new.member.name, True)]
    services.election_accept(election=election, actor=chair)
    assert "committee" in _codes(new) and "committee" in _codes(sitting)


def test_the_second_round_keeps_those_the_first_round_elected(chair, make_persona):
    first_winner, second_winner = make_persona("first").member, make_persona("second").member
    first = _accepted_body(chair, "committee", [first_winner])
    services.election_accept(election=first, actor=chair)
    second = _accepted_body(chair, "committee", [second_winner], previous_round=first)
    services.election_accept(election=second, actor=chair)
    assert "committee" in _codes(first_winner.user) and "committee" in _codes(second_winner.user)


def test_a_by_election_names_the_committee_it_fills(chair):
    election = Election(title="增补", kind="by_election", seats=1, held_on=datetime.date(2026, 5, 20),
                        roll_date=datetime.date(2026, 5, 1), rules=ElectionRules.objects.get(kind="by_election"))
    with pytest.raises(ValidationError):
        election.full_clean()
    election.body = "audit_committee"
    election.full_clean()
    assert selectors.office_role(election).code == Role.AUDITOR
