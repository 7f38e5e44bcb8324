"""推荐 by groups, review, the list sent to the higher union, its 批复, and no vote before it; composition checks
against targets that are data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from elections import selectors, services
from elections.models import Candidate, Election, ElectionRules, GroupNomination
from members.models import MemberStatus
from tests.factories import MemberFactory, UnionGroupFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 20)


@pytest.fixture
def election(chair):
    rules = ElectionRules.objects.get(kind="committee")
    return Election.objects.create(title="第五届委员会", kind="committee", rules=rules, seats=20, held_on=DAY,
                                   roll_date=datetime.date(2026, 5, 1))


def _nominate(election, chair, n, group=None, **member_fields):
    """One group's record putting forward ``n`` new members of it, each with all present agreeing."""
    group = group or UnionGroupFactory()
    members = [MemberFactory(union_group=group, **member_fields) for _ in range(n)]
    services.group_nomination_save(election=election, union_group=group, members_present=n,
                                   nominees=[(m, n) for m in members], actor=chair)
    return [election.candidates.get(member=m) for m in members]


def test_groups_nominate_with_their_counts_only_while_nominations_are_open(election, chair):
    group, other = UnionGroupFactory(), UnionGroupFactory()
    member, mate = MemberFactory(union_group=group), MemberFactory(union_group=group)
    [MemberFactory(union_group=other) for _ in range(4)]

    def save(on_behalf_of, present, nominees):
        return services.group_nomination_save(election=election, union_group=on_behalf_of,
                                              members_present=present, nominees=nominees, actor=chair)

    with pytest.raises(ValidationError) as early:
        save(group, 2, [(member, 2)])
    assert early.value.code == "not_nominating"
    today = datetime.date.today()
    services.nominations_open(election=election, closes_on=today, actor=chair)
    # the closing day itself is still open
    save(group, 2, [(member, 2)])
    candidate = election.candidates.get()
    assert (candidate.member, candidate.nominated_by, candidate.nominations, candidate.approved) == (
        member, group, 2, False)
    save(other, 4, [(member, 3), (mate, 1)])  # backed by two groups: the counts add up
    assert {(c.member, c.nominated_by, c.nominations) for c in election.candidates.all()} == {
        (member, group, 5), (mate, other, 1)}
    save(other, 4, [(member, 4)])  # the record is replaced whole: mate is no longer nominated
    assert {(c.member, c.nominations) for c in election.candidates.all()} == {(member, 6)}
    assert GroupNomination.objects.filter(election=election).count() == 2
    refusals = {
        "agreeing": (group, 2, [(member, 3)]),  # more agreeing than present
        "present": (group, 3, [(member, 1)]),  # more present than the group has in service
        "duplicate_nominee": (group, 2, [(member, 1), (member, 1)]),
        "no_nominee": (group, 2, []),
        "not_entitled": (group, 2, [(MemberFactory(status=MemberStatus.RETIRED), 1)]),
    }
    for code, args in refusals.items():
        with pytest.raises(ValidationError) as refused:
            save(*args)
        assert refused.value.code == code
    Election.objects.filter(pk=election.pk).update(nominations_close_on=today - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as late:
        save(group, 2, [(mate, 2)])
    assert late.value.code == "not_nominating"
    assert {(c.member, c.nominations) for c in election.candidates.all()} == {(member, 6)}


def test_a_reviewed_candidate_keeps_the_review_and_leaves_when_no_group_nominates_them(election, chair):
    services.nominations_open(election=election, closes_on=None, actor=chair)
    group = UnionGroupFactory()
    a, b = _nominate(election, chair, 2, group=group)
    services.candidates_review(election=election, passed=[a], actor=chair)
    services.group_nomination_save(election=election, union_group=group, members_present=2,
                                   nominees=[(a.member, 1)], actor=chair)
    assert [(c.member, c.approved, c.nominations) for c in election.candidates.all()] == [(a.member, True, 1)]


def test_the_overview_shows_the_groups_yet_to_nominate_and_the_counts_per_nominee(election, chair):
    services.nominations_open(election=election, closes_on=None, actor=chair)
    # The groups' own order (sort order, then name) decides the order of a nominee's groups; it is set here so
    # that the test does not lean on the names the factory happens to give.
    first, second, silent = (UnionGroupFactory(sort_order=n) for n in (1, 2, 3))
    (a,) = _nominate(election, chair, 1, group=first)
    MemberFactory(union_group=second)
    services.group_nomination_save(election=election, union_group=second, members_present=1,
                                   nominees=[(a.member, 1)], actor=chair)
    overview = selectors.nomination_overview(election)
    assert silent in overview.missing and first not in overview.missing and second not in overview.missing
    assert overview.nominees == [(a.member, [(first, 1), (second, 1)], 2)]


def test_the_list_goes_up_only_with_the_margin_and_voting_waits_for_the_approval(election, chair):
    services.nominations_open(election=election, closes_on=None, actor=chair)
    candidates = _nominate(election, chair, 21)
    services.candidates_review(election=election, passed=candidates[:20], actor=chair)
    assert Candidate.objects.filter(election=election, approved=True).count() == 20
    with pytest.raises(ValidationError) as short:  # 20 for 20 seats: below the 5 % 差额
        services.candidates_submit(election=election, on=DAY, actor=chair)
    assert short.value.code == "margin"
    services.candidates_review(election=election, passed=candidates, actor=chair)  # 21 = exactly 5 % more
    services.candidates_submit(election=election, on=DAY, actor=chair)
    services.roll_freeze(election=election, actor=chair)
    election.refresh_from_db()
    assert election.state == Election.State.SUBMITTED and election.candidates_submitted_on == DAY
    with pytest.raises(ValidationError) as refused:
        services.voting_open(election=election, actor=chair)
    assert refused.value.code == "no_approval" and "批复" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.candidates_approval_record(election=election, reference=" ", approved_on=DAY, actor=chair)
    services.candidates_approval_record(election=election, reference="市总工会〔2026〕12号", approved_on=DAY,
                                        actor=chair)
    with pytest.raises(ValidationError):  # the list is fixed once approved
        services.candidates_review(election=election, passed=candidates[:1], actor=chair)
    services.voting_open(election=election, actor=chair)
    election.refresh_from_db()
    assert election.state == Election.State.VOTING and election.approval_reference == "市总工会〔2026〕12号"


def test_voting_does_not_open_on_an_unfrozen_roll(election, chair):
    services.nominations_open(election=election, closes_on=None, actor=chair)
    Election.objects.filter(pk=election.pk).update(seats=1)
    services.candidates_review(election=election, passed=_nominate(election, chair, 2), actor=chair)
    services.candidates_submit(election=election, on=DAY, actor=chair)
    services.candidates_approval_record(election=election, reference="批复", approved_on=DAY, actor=chair)
    with pytest.raises(ValidationError) as refused:
        services.voting_open(election=election, actor=chair)
    assert refused.value.code == "roll_not_frozen"


def test_composition_against_the_targets_in_the_rules(election, chair):
    rules = election.rules
    rules.women_share_target, rules.young_age_limit, rules.young_share_target = Decimal("0.5"), 35, Decimal("0.2")
    rules.departments_target = 3
    rules.save()
    services.nominations_open(election=election, closes_on=None, actor=chair)
    _nominate(election, chair, 2, male=False, birth=datetime.date(1995, 1, 1))  # 31 on the day
    _nominate(election, chair, 1, male=False, birth=datetime.date(1991, 5, 20))  # 35 that day: not young
    _nominate(election, chair, 3, male=True)
    services.candidates_review(election=election, passed=list(election.candidates.all()), actor=chair)
    checks = {c.key: c for c in selectors.composition(election)}
    assert (checks["women"].count, checks["women"].total, checks["women"].met) == (3, 6, True)
    assert (checks["young"].count, checks["young"].met) == (2, True)
    assert checks["departments"].count == 6 and checks["departments"].met
    rules.women_share_target = Decimal("0.51")
    rules.save()
    election.rules.refresh_from_db()
    assert not {c.key: c for c in selectors.composition(election)}["women"].met
