"""推荐 by groups, review, the list sent to the higher union, its 批复, and no vote before it; composition checks
against targets that are data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from elections import selectors, services
from elections.models import Candidate, Election, ElectionRules
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
    group = group or UnionGroupFactory()
    return [services.candidate_nominate(election=election, member=MemberFactory(union_group=group, **member_fields),
                                        union_group=group, nominations=5, actor=chair) for _ in range(n)]


def test_groups_nominate_with_their_counts_only_while_nominations_are_open(election, chair):
    group = UnionGroupFactory()
    member = MemberFactory(union_group=group)
    with pytest.raises(ValidationError) as early:
        services.candidate_nominate(election=election, member=member, union_group=group, nominations=3, actor=chair)
    assert early.value.code == "not_nominating"
    services.nominations_open(election=election, closes_on=datetime.date(2026, 4, 20), actor=chair)
    candidate = services.candidate_nominate(election=election, member=member, union_group=group, nominations=3,
                                            actor=chair)
    assert (candidate.nominated_by, candidate.nominations, candidate.approved) == (group, 3, False)
    other = UnionGroupFactory()
    again = services.candidate_nominate(election=election, member=member, union_group=other, nominations=4,
                                        actor=chair)
    assert again.pk == candidate.pk and again.nominations == 7  # backed by two groups: the counts add up
    with pytest.raises(ValidationError) as retiree:
        services.candidate_nominate(election=election, member=MemberFactory(status=MemberStatus.RETIRED),
                                    union_group=group, nominations=3, actor=chair)
    assert retiree.value.code == "not_entitled"
    with pytest.raises(ValidationError):
        services.candidate_nominate(election=election, member=MemberFactory(), union_group=group, nominations=0,
                                    actor=chair)


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
