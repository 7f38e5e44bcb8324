"""Election reminders through the engine: nominations closing, voting open (to voters who have not voted), and
the organiser's list of who has not voted — which never says how anyone voted."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from core import reminder_engine
from elections import services
from elections.models import Candidate, Election, ElectionRules
from elections.reminders import organiser_ids
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 18)


def _collect(kind, today=TODAY, since=None):
    found, failed = reminder_engine.collect(since=since or today - datetime.timedelta(days=1), today=today)
    assert failed == []
    return [r for r in found if r.kind == "election" and r.key.startswith(kind)]


def _election(**fields):
    return Election.objects.create(title="第五届委员会选举", kind="committee", seats=1,
                                   rules=ElectionRules.objects.get(kind="committee"), held_on=TODAY,
                                   roll_date=datetime.date(2026, 5, 1), **fields)


def test_nominations_closing_reaches_group_leaders_and_organisers_days_ahead(chair, group_leader, member_user):
    election = _election()
    services.nominations_open(election=election, closes_on=TODAY + datetime.timedelta(days=3), actor=chair)
    assert _collect("election-nominations", today=TODAY - datetime.timedelta(days=1)) == []  # 4 days ahead
    found = _collect("election-nominations")
    assert {r.recipient_id for r in found} == {chair.pk, group_leader.pk}
    assert all(r.due_on == TODAY + datetime.timedelta(days=3) for r in found)


def test_voting_open_reaches_the_voters_who_have_not_voted(chair, member_user):
    election = _election()
    services.roll_freeze(election=election, actor=chair)
    candidate = Candidate.objects.create(election=election, member=MemberFactory(), approved=True)
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING, voting_opened_on=TODAY)
    election.refresh_from_db()
    services.ballot_cast(election=election, member=chair.member, candidate_ids=[candidate.pk])
    found = _collect("election-voting")
    assert [r.recipient_id for r in found] == [member_user.pk]
    assert found[0].url == f"/elections/{election.pk}/vote/"
    assert _collect("election-voting", today=TODAY + datetime.timedelta(days=1)) == []  # told on the day it opened


def test_the_organiser_is_told_who_has_not_voted_and_nothing_of_how(chair, member_user, group_leader):
    election = _election(union_group=None)
    services.roll_freeze(election=election, actor=chair)
    a = Candidate.objects.create(election=election, member=MemberFactory(name="张三丰"), approved=True)
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING, voting_opened_on=TODAY)
    election.refresh_from_db()
    services.ballot_cast(election=election, member=chair.member, candidate_ids=[a.pk])
    assert _collect("election-not-voted", today=TODAY - datetime.timedelta(days=1)) == []  # before the day
    found = _collect("election-not-voted")
    assert [r.recipient_id for r in found] == [chair.pk]  # the organiser only
    body = found[0].body
    assert member_user.member.name in body and group_leader.member.name in body
    assert chair.member.name not in body and "张三丰" not in body  # voted: not listed; no choice named
    assert "2" in found[0].title


def test_organisers_are_the_permission_holders_not_every_superuser(chair, make_persona):
    """Like the rest of the project (accounts.selectors.permission_holders): a superuser who runs no election is
    not told; someone given ``elections.manage_election`` directly is; an inactive holder is not."""
    admin = make_persona("root", member=False)
    admin.is_superuser = True
    admin.save()
    direct = make_persona("clerk")
    direct.user_permissions.add(Permission.objects.get(codename="manage_election"))
    gone = make_persona("gone", "chair")
    gone.is_active = False
    gone.save()
    assert organiser_ids() == sorted([chair.pk, direct.pk])
    election = _election()
    services.nominations_open(election=election, closes_on=TODAY + datetime.timedelta(days=1), actor=chair)
    assert admin.pk not in {r.recipient_id for r in _collect("election-nominations")}
