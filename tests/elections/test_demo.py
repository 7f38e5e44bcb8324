"""The demo elections are built through the services and a second run adds nothing."""

import pytest

from elections.demo import AUDIT_TITLE, COMMITTEE_TITLE, build_demo_elections
from elections.models import Ballot, Election, Voter
from members.demo import build_demo_union

pytestmark = pytest.mark.django_db


def test_the_demo_elections():
    build_demo_union(member_count=40)
    built = build_demo_elections()
    assert built["elections"] == 3 and built["group_nominations"] > 0
    committee = Election.objects.get(title=COMMITTEE_TITLE)
    assert committee.state == Election.State.VOTING and committee.approval_reference
    assert committee.candidates.filter(approved=True).count() == committee.seats + 2
    assert Ballot.objects.filter(election=committee).count() == Voter.objects.filter(election=committee,
                                                                                  voted=True).count() > 0
    assert not Voter.objects.filter(election=committee, member__user__username="member", voted=True).exists()
    leader = Election.objects.get(kind="group_leader")
    assert leader.state == Election.State.ACCEPTED
    assert set(leader.voters.values_list("member__union_group", flat=True)) == {leader.union_group_id}
    audit = Election.objects.get(title=AUDIT_TITLE)
    assert audit.state == Election.State.NOMINATING and audit.candidates.count() == built["group_nominations"]
    assert build_demo_elections() == {"elections": 0}
