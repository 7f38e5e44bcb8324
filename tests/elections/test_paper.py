"""Printed ballots with no identifying mark, and the 监票/计票 count of each ballot box reconciled at the close."""

import datetime
import subprocess
import tempfile

import pytest
from django.core.exceptions import ValidationError

from elections import ballots, services
from elections.models import Candidate, Election, ElectionRules, Voter
from tests.factories import MemberFactory
from tests.pdfcheck import assert_cjk_font_embedded

pytestmark = pytest.mark.django_db


def _pages(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
        count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), handle.name, "-"],
                               capture_output=True, text=True, check=True).stdout for i in range(1, count + 1)]


@pytest.fixture
def voting(chair):
    election = Election.objects.create(title="第五届委员会选举", kind="committee", seats=2,
                                       rules=ElectionRules.objects.get(kind="committee"),
                                       held_on=datetime.date(2026, 5, 20), roll_date=datetime.date(2026, 5, 1))
    voters = [MemberFactory() for _ in range(5)]  # with the chair: 6 on the roll
    services.roll_freeze(election=election, actor=chair)
    candidates = [Candidate.objects.create(election=election, member=MemberFactory(name=name), approved=True)
                  for name in ("张三丰", "李四光", "王五常")]
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING)
    election.refresh_from_db()
    return election, voters, candidates


def test_one_identical_ballot_per_voter_with_no_identifying_mark(voting, chair):
    election, voters, _candidates = voting
    services.ballot_cast(election=election, member=voters[0], candidate_ids=[])
    filename, mimetype, data = ballots.ballots_pdf(election)
    assert mimetype == "application/pdf"
    pages = _pages(data)
    assert len(pages) == Voter.objects.filter(election=election, voted=False).count() == 5
    assert len(set(pages)) == 1  # every page the same: no serial, no page number
    text = pages[0]
    assert "选票" in text and "张三丰" in text and "王五常" in text and election.title in text
    for member in [*voters, chair.member]:
        assert member.name not in text
    departments = "".join(str(c.member.department) for c in election.candidates.all())
    digits = [ch for ch in text if ch.isdigit()]
    assert sorted(digits) == sorted([ch for ch in departments if ch.isdigit()] + ["2"])  # departments, seats
    assert "页" not in text
    assert_cjk_font_embedded(data)


def _box(election, chair, label="第1号票箱", issued=3, returned=3, invalid=1, votes=(2, 1, 0), **kw):
    candidates = list(election.candidates.order_by("pk"))
    return services.ballot_box_record(
        election=election, label=label, issued=issued, returned=returned, invalid=invalid,
        votes={c.pk: v for c, v in zip(candidates, votes)}, scrutineers=kw.get("scrutineers", "赵监票"),
        tellers=kw.get("tellers", "钱计票"), actor=chair)


def test_a_ballot_box_count_is_checked_when_entered(voting, chair):
    election, _voters, _candidates = voting
    with pytest.raises(ValidationError) as too_many_votes:  # 2 valid ballots cannot give 3 yes-votes
        _box(election, chair, votes=(3, 0, 0))
    assert too_many_votes.value.code == "votes_exceed_ballots"
    with pytest.raises(ValidationError) as over_seats:  # 2 valid ballots × 2 seats = at most 4 marks
        _box(election, chair, votes=(2, 2, 1))
    assert over_seats.value.code == "votes_exceed_ballots"
    with pytest.raises(ValidationError) as invalid:
        _box(election, chair, invalid=4)
    assert invalid.value.code == "invalid_exceeds_returned"
    with pytest.raises(ValidationError) as teller:  # 监票人/计票人 are not candidates
        _box(election, chair, tellers="张三丰、钱计票")
    assert teller.value.code == "teller_is_candidate"
    with pytest.raises(ValidationError) as issued:  # 6 on the roll: no more than 6 paper ballots
        _box(election, chair, issued=7, returned=3)
    assert issued.value.code == "issued_exceeds_roll"
    box = _box(election, chair)
    assert box.valid == 2 and box.votes.count() == 3
    with pytest.raises(ValidationError):
        _box(election, chair)  # the same box twice


def test_the_close_adds_the_boxes_to_the_online_ballots_and_reconciles(voting, chair):
    election, voters, (a, b, c) = voting
    services.ballot_cast(election=election, member=voters[0], candidate_ids=[a.pk, b.pk])
    services.ballot_cast(election=election, member=voters[1], candidate_ids=[a.pk])
    _box(election, chair, issued=4, returned=4, invalid=1, votes=(3, 1, 2))
    result, figures = services.election_close(election=election, actor=chair)
    election.refresh_from_db()
    assert (election.ballots_issued, election.ballots_returned, election.ballots_invalid) == (6, 6, 1)
    assert figures["votes"] == {a: 5, b: 2, c: 2}
    assert result.valid and result.elected == [a] and election.seats_left == 1


def test_the_close_refuses_more_paper_ballots_than_voters_left(voting, chair):
    election, voters, (a, _b, _c) = voting
    _box(election, chair, issued=6, returned=5, invalid=0, votes=(5, 0, 0))
    services.ballot_cast(election=election, member=voters[0], candidate_ids=[a.pk])  # 1 online + 6 paper > 6
    with pytest.raises(ValidationError) as refused:
        services.election_close(election=election, actor=chair)
    assert refused.value.code == "issued_exceeds_roll"
    assert Election.objects.get(pk=election.pk).state == Election.State.VOTING


def test_more_paper_ballots_returned_than_issued_voids_the_vote(voting, chair):
    election, _voters, _candidates = voting
    _box(election, chair, issued=5, returned=6, invalid=0, votes=(6, 0, 0))
    result, _figures = services.election_close(election=election, actor=chair)
    assert not result.valid
    assert Election.objects.get(pk=election.pk).result_valid is False
