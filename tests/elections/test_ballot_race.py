"""Two submits of one voter's ballot at the same instant: one ballot, one mark, the other refused. Threads on real
PostgreSQL, each with its own connection (SQLite would serialise the whole database and prove nothing)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from elections import services
from elections.models import Ballot, Candidate, Election, ElectionRules, Voter
from tests.factories import MemberFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_ballots_of_one_voter_make_one(chair):
    if connection.vendor != "postgresql":
        pytest.fail("The race test needs PostgreSQL: run it with `make test`.")
    election = Election.objects.create(title="小组长推选", kind="group_leader", seats=1,
                                       rules=ElectionRules.objects.get(kind="group_leader"),
                                       held_on=datetime.date(2026, 5, 20), roll_date=datetime.date(2026, 5, 1))
    voter, other = MemberFactory(), MemberFactory()
    services.roll_freeze(election=election, actor=chair)
    candidate = Candidate.objects.create(election=election, member=other, approved=True)
    election.state = Election.State.VOTING
    election.save()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def cast():
        try:
            Voter.objects.exists()  # open this thread's connection before the start
            barrier.wait(timeout=30)
            services.ballot_cast(election=election, member=voter, candidate_ids=[candidate.pk])
            outcomes.append("cast")
        except ValidationError as refusal:
            outcomes.append(refusal.code)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=cast) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["already_voted", "cast"]
    assert Ballot.objects.filter(election=election).count() == 1
    assert Voter.objects.filter(election=election, voted=True).count() == 1
