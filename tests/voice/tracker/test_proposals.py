"""提案 by the members' congress rules: collected in the window before the congress, reviewed by the 提案审查
committee (立案 with a number, merged, or turned into an opinion), handed to an owner, answered, rated; the year's
register as a PDF."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.voice.helpers import member_with_login
from voice.models import Congress, Item
from voice.tracker import services as s
from voice.tracker.proposals import proposal_rows, proposals_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = timezone.localdate()


@pytest.fixture
def congress(db):
    return Congress.objects.create(name="第三届会员代表大会第二次会议", held_on=TODAY + datetime.timedelta(days=10),
                                   proposals_open_on=TODAY - datetime.timedelta(days=5),
                                   proposals_close_on=TODAY + datetime.timedelta(days=3))


def _propose(member, congress, title="Flexible hours"):
    item, _ = s.item_submit(member=member, source=Item.Source.PROPOSAL, title=title, text="Let us start at 8.",
                            congress=congress, actor=member.user)
    return item


def test_proposals_are_collected_only_in_the_window_and_named(congress):
    member = member_with_login()
    assert _propose(member, congress).congress == congress
    for day in (congress.proposals_open_on - datetime.timedelta(days=1),
                congress.proposals_close_on + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError, match="window before the congress"):
            s.item_submit(member=member, source=Item.Source.PROPOSAL, title="Late", text="x", congress=congress,
                          actor=member.user, today=day)
    with pytest.raises(ValidationError, match="proposer's name"):
        s.item_submit(member=member, source=Item.Source.PROPOSAL, title="x", text="y", congress=congress,
                      anonymous=True, actor=member.user)


def test_the_committee_registers_merges_or_turns_into_an_opinion(congress, chair):
    member = member_with_login()
    first, second, third, fourth = (_propose(member, congress, t) for t in ("A", "B", "C", "D"))
    with pytest.raises(ValidationError, match="proposals committee's review"):
        s.item_accept(item=first, actor=chair)
    first = s.proposal_review(item=first, outcome=Item.Review.REGISTERED, actor=chair)
    second = s.proposal_review(item=second, outcome=Item.Review.REGISTERED, actor=chair)
    assert (first.proposal_number, second.proposal_number) == (1, 2) and first.state == Item.State.ACCEPTED
    with pytest.raises(ValidationError, match="registered proposal of the same congress"):
        s.proposal_review(item=third, outcome=Item.Review.MERGED, merged_into=fourth, actor=chair)
    third = s.proposal_review(item=third, outcome=Item.Review.MERGED, merged_into=first, actor=chair)
    assert third.state == Item.State.MERGED and third.merged_into == first
    fourth = s.proposal_review(item=fourth, outcome=Item.Review.OPINION, actor=chair)
    assert fourth.state == Item.State.ACCEPTED and fourth.proposal_number is None
    with pytest.raises(ValidationError, match="reviewed already"):
        s.proposal_review(item=first, outcome=Item.Review.OPINION, actor=chair)
    with pytest.raises(ValidationError, match="Only congress proposals"):
        plain, _ = s.item_submit(member=member, source="box", title="x", text="y", actor=member.user)
        s.proposal_review(item=plain, outcome=Item.Review.REGISTERED, actor=chair)
    # A registered proposal goes on like any item: owner, answer, the proposer's rating.
    s.item_assign(item=first, owner_user=chair, deadline=TODAY + datetime.timedelta(days=30), actor=chair)
    s.item_answer(item=first, answer="From next month.", actor=chair)
    s.item_rate(item=first, rating=Item.Rating.SATISFIED, actor=member.user)
    register = proposal_rows(congress.held_on.year)
    assert [row["item"].title for row in register] == ["A", "B", "C", "D"]  # by number, the unnumbered after
    rows = {row["item"].title: row for row in register}
    assert rows["A"]["rating"] == "satisfied" and rows["C"]["handled"] == "merged into proposal No. 1"
    assert rows["D"]["handled"] == "turned into an opinion"


def test_only_the_committee_reviews_on_the_page(client, login, congress, chair, treasurer):
    item = _propose(member_with_login(), congress)
    login(chair)
    assert 'data-form="review"' in client.get(f"/voice/tracker/{item.pk}/").content.decode()
    client.post(f"/voice/tracker/{item.pk}/step/review/", {"outcome": "registered"})
    item.refresh_from_db()
    assert item.proposal_number == 1


def test_the_year_s_register_is_a_pdf(congress, chair, tmp_path):
    member = member_with_login(name="王建国")
    item = s.proposal_review(item=_propose(member, congress, "弹性上班时间"), outcome=Item.Review.REGISTERED,
                             actor=chair)
    s.item_assign(item=item, owner_user=chair, deadline=TODAY + datetime.timedelta(days=30), actor=chair)
    s.item_answer(item=item, answer="下月起试行。", actor=chair)
    filename, mimetype, data = proposals_pdf(year=congress.held_on.year)
    assert mimetype == "application/pdf" and data.startswith(b"%PDF")
    path = tmp_path / filename
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "弹性上班时间" in text and "王建国" in text and "下月起试行" in text
