"""Who is elected under the rules, at each edge, through the close; a second round for ties and shortfalls; the
选举结果报告 whose figures are the counted ballots (read back from the PDF's text)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from elections import report, services
from elections.models import Candidate, Election, ElectionRules, Voter
from tests.factories import MemberFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db


def _election(chair, *, seats=1, voters=5, names=("张三丰", "李四光")):
    """An election open for voting with ``voters`` + the chair on the roll."""
    election = Election.objects.create(title="第五届委员会选举", kind="committee", seats=seats,
                                       rules=ElectionRules.objects.get(kind="committee"),
                                       held_on=datetime.date(2026, 5, 20), roll_date=datetime.date(2026, 5, 1),
                                       approval_reference="市总〔2026〕7号")
    members = [MemberFactory() for _ in range(voters)]
    services.roll_freeze(election=election, actor=chair)
    candidates = [Candidate.objects.create(election=election, member=MemberFactory(name=n), approved=True)
                  for n in names]
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING)
    election.refresh_from_db()
    return election, [chair.member, *members], candidates


def _cast(election, voters, choices):
    for voter, chosen in zip(voters, choices):
        services.ballot_cast(election=election, member=voter, candidate_ids=[c.pk for c in chosen])


def test_attendance_at_exactly_two_thirds_voids_the_vote(chair):
    election, voters, (a, _b) = _election(chair)  # 6 entitled
    _cast(election, voters[:4], [[a]] * 4)  # 4 of 6 = exactly two thirds
    result, _figures = services.election_close(election=election, actor=chair)
    assert not result.valid and not Candidate.objects.get(pk=a.pk).elected
    election.refresh_from_db()
    assert election.result_valid is False and election.ballots_returned == 4


def test_attendance_just_above_two_thirds_is_valid(chair):
    election, voters, (a, _b) = _election(chair)
    _cast(election, voters[:5], [[a]] * 5)
    result, _figures = services.election_close(election=election, actor=chair)
    assert result.valid and result.elected == [a] and Candidate.objects.get(pk=a.pk).elected


def test_yes_votes_at_exactly_half_of_those_entitled_do_not_elect(chair):
    election, voters, (a, b) = _election(chair)  # 6 entitled: 3 is exactly half, 4 is more
    _cast(election, voters[:5], [[a], [a], [a], [b], []])
    result, _figures = services.election_close(election=election, actor=chair)
    assert result.valid and result.elected == [] and election.seats == 1
    election.refresh_from_db()
    assert election.seats_left == 1
    assert set(Candidate.objects.filter(election=election, second_round=True)) == {a, b}


def test_a_tie_goes_to_a_second_round_on_the_same_roll(chair):
    election, voters, (a, b, c) = _election(chair, seats=2, voters=7, names=("张三丰", "李四光", "王五常"))
    _cast(election, voters, [[a, b]] * 3 + [[a, c]] * 3 + [[b, c]] * 2)  # 8 entitled: a 6, b 5, c 5
    result, _figures = services.election_close(election=election, actor=chair)
    assert result.elected == [a] and result.seats_left == 1  # b and c tie across the last seat
    second = services.second_round_create(election=election, held_on=datetime.date(2026, 5, 21), actor=chair)
    assert second.previous_round == election and second.seats == 1 and second.state == Election.State.APPROVED
    assert second.approval_reference == election.approval_reference and second.roll_frozen
    assert {c.member for c in second.candidates.filter(approved=True)} == {b.member, c.member}
    assert Voter.objects.filter(election=second, voted=False).count() == 8
    with pytest.raises(ValidationError):
        services.second_round_create(election=election, held_on=datetime.date(2026, 5, 21), actor=chair)


def test_no_second_round_when_every_seat_is_filled(chair):
    election, voters, (a, _b) = _election(chair)
    _cast(election, voters, [[a]] * 6)
    services.election_close(election=election, actor=chair)
    with pytest.raises(ValidationError) as refused:
        services.second_round_create(election=election, held_on=datetime.date(2026, 5, 21), actor=chair)
    assert refused.value.code == "no_seats_left"


def test_the_result_report_shows_the_counted_ballots(chair):
    election, voters, (a, b) = _election(chair, seats=1)
    _cast(election, voters[:4], [[a], [a], [a], [b]])
    services.ballot_box_record(election=election, label="1号票箱", issued=2, returned=2, invalid=1,
                               votes={a.pk: 1, b.pk: 0}, scrutineers="赵监", tellers="钱计", actor=chair)
    _result, figures = services.election_close(election=election, actor=chair)
    election.refresh_from_db()
    filename, mimetype, data = report.result_report_pdf(election)
    text = pdf_text(data)
    assert "选举结果报告" in text and "市总〔2026〕7号" in text and election.title in text
    rows = {label: value for label, value in re.findall(r"(应到选民|发出选票|收回选票|有效票|无效票)\s+(\d+)", text)}
    assert rows == {"应到选民": str(figures["entitled"]), "发出选票": "6", "收回选票": "6", "有效票": "5",
                    "无效票": "1"}
    votes = dict(re.findall(r"^\s*(张三丰|李四光)\s+第\d+处\s+(\d+)\s", text, re.M))
    assert votes == {"张三丰": str(figures["votes"][a]), "李四光": str(figures["votes"][b])} == {"张三丰": "4",
                                                                                                  "李四光": "1"}
    assert re.search(r"张三丰\s+第\d+处\s+4\s+当选", text) and re.search(r"李四光\s+第\d+处\s+1\s+未当选", text)
    assert_cjk_font_embedded(data)
