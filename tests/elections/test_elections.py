"""The rules at their edges (data-driven), the roll as of a date, one ballot per voter, secrecy, the count."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from elections import rules, services
from elections.models import Ballot, BallotMark, Candidate, Election, ElectionRules, Voter
from members.models import MembershipEvent, MemberStatus
from members.selectors import members_in_service_on
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _rules(**fields):
    return ElectionRules(kind="committee", margin_ratio=Decimal("0.05"), **fields)


def test_it_seeds_the_national_values_flagged_to_check():
    r = ElectionRules.objects.get(kind="committee")
    assert r.margin_ratio == Decimal("0.0500") and r.to_check and r.women_share_target == Decimal("0.5")


def test_the_margin_at_exactly_the_ratio_passes_and_below_fails():
    r = _rules()
    assert rules.enough_candidates(r, seats=20, candidates=21)
    assert not rules.enough_candidates(r, seats=20, candidates=20)
    assert not rules.enough_candidates(r, seats=7, candidates=7)
    r.margin_ratio = Decimal("0.10")
    assert not rules.enough_candidates(r, seats=20, candidates=21)


def test_attendance_at_exactly_two_thirds_is_not_enough():
    r = _rules()
    assert not rules.quorum_met(r, voted=4, entitled=6)
    assert rules.quorum_met(r, voted=5, entitled=6)
    r.quorum_numerator, r.quorum_denominator = 1, 2
    assert rules.quorum_met(r, voted=4, entitled=6)


def test_votes_at_exactly_half_of_those_entitled_do_not_elect():
    r = _rules()
    assert not rules.has_majority(r, votes=5, entitled=10)
    assert rules.has_majority(r, votes=6, entitled=10)


def test_ties_and_shortfalls_go_to_a_second_round():
    r = _rules()
    tie = rules.outcome(r, seats=1, entitled=10, voted=10, votes={"a": 6, "b": 6, "c": 0})
    assert tie.elected == [] and set(tie.second_round) == {"a", "b", "c"} and tie.seats_left == 1
    short = rules.outcome(r, seats=2, entitled=10, voted=10, votes={"a": 8, "b": 5, "c": 2})
    assert short.elected == ["a"] and short.seats_left == 1 and set(short.second_round) == {"b", "c"}
    void = rules.outcome(r, seats=1, entitled=10, voted=11, votes={"a": 9}, ballots_issued=10)
    assert not void.valid
    assert not rules.ballot_valid(marks=3, seats=2)


def _event(member, to_status, on):
    MembershipEvent.objects.create(member=member, kind="enroll", to_status=to_status, effective_on=on)


def test_the_roll_as_of_a_date_follows_the_history_and_leaves_out_retirees():
    day = datetime.date(2026, 5, 1)
    active = MemberFactory()
    retiree = MemberFactory(status=MemberStatus.RETIRED)
    _event(retiree, MemberStatus.ACTIVE, datetime.date(2010, 1, 1))
    _event(retiree, MemberStatus.RETIRED, datetime.date(2025, 1, 1))
    retired_later = MemberFactory(status=MemberStatus.RETIRED)
    _event(retired_later, MemberStatus.ACTIVE, datetime.date(2010, 1, 1))
    _event(retired_later, MemberStatus.RETIRED, datetime.date(2026, 6, 1))
    joined_later = MemberFactory(status_since=datetime.date(2026, 9, 1))
    entitled = set(members_in_service_on(day))
    assert entitled == {active, retired_later}
    assert retiree not in entitled and joined_later not in entitled


@pytest.fixture
def election(chair):
    e = Election.objects.create(title="第五届委员会", kind="committee", rules=ElectionRules.objects.get(
        kind="committee"), seats=1, held_on=datetime.date(2026, 5, 20), roll_date=datetime.date(2026, 5, 1))
    return e


def _vote_ready(election, chair, n=3):
    voters = [MemberFactory() for _ in range(n)]
    services.roll_freeze(election=election, actor=chair)
    candidates = [Candidate.objects.create(election=election, member=m, approved=True) for m in voters[:2]]
    election.state = Election.State.VOTING
    election.save()
    return voters, candidates


def test_a_voter_votes_once_and_strangers_and_retirees_are_refused(election, chair):
    voters, (a, b) = _vote_ready(election, chair)
    retiree = MemberFactory(status=MemberStatus.RETIRED)
    services.ballot_cast(election=election, member=voters[0], candidate_ids=[a.pk])
    with pytest.raises(ValidationError) as again:
        services.ballot_cast(election=election, member=voters[0], candidate_ids=[b.pk])
    assert again.value.code == "already_voted"
    with pytest.raises(ValidationError) as stranger:
        services.ballot_cast(election=election, member=retiree, candidate_ids=[a.pk])
    assert stranger.value.code == "not_on_roll"
    with pytest.raises(ValidationError):
        services.ballot_cast(election=election, member=voters[1], candidate_ids=[a.pk, b.pk])
    assert Ballot.objects.count() == 1 and Voter.objects.filter(voted=True).count() == 1


def test_nothing_joins_a_ballot_to_its_voter(election, chair):
    for model in (Ballot, BallotMark):
        for f in model._meta.get_fields():
            assert not isinstance(f, (models.DateTimeField, models.DateField)), f
            if f.is_relation and f.concrete:
                assert f.related_model not in (Voter,) and f.related_model._meta.label not in (
                    "members.Member", "accounts.User"), f
        assert isinstance(model._meta.pk, models.UUIDField)
    voters, (a, b) = _vote_ready(election, chair, n=12)
    cast = []
    for i, voter in enumerate(voters):
        services.ballot_cast(election=election, member=voter, candidate_ids=[a.pk] if i % 2 else [b.pk])
        cast.append(i % 2)
    # Try the join an insider would: ballots in their listed order against voters in the order they voted.
    listed = [1 if Ballot.objects.get(pk=pk).marks.get().candidate_id == a.pk else 0
              for pk in Ballot.objects.values_list("pk", flat=True)]
    assert sorted(listed) == sorted(cast)
    assert listed != cast  # random ids: the listing does not replay the order of casting (p ≈ 1/924)
    from auditlog.models import LogEntry
    assert not LogEntry.objects.filter(content_type__app_label="elections",
                                       content_type__model__in=["ballot", "ballotmark"]).exists()
    assert not LogEntry.objects.filter(changes__icontains="voted").exists()


def test_the_count_reconciles_and_elects_by_the_rules(election, chair):
    voters, (a, b) = _vote_ready(election, chair, n=4)  # 5 entitled: the chair is a member too
    for voter, choice in zip(voters, [a, a, a, b]):
        services.ballot_cast(election=election, member=voter, candidate_ids=[choice.pk])
    result, figures = services.election_close(election=election, actor=chair)
    assert figures["entitled"] == 5 and figures["ballots"] == figures["marked"] == 4
    assert figures["votes"] == {a: 3, b: 1}
    assert result.valid and result.elected == [a]
