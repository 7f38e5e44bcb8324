"""The member's voting page, the home card for open elections, and the 选民名单 PDF from the admin."""

import datetime

import pytest
from django.urls import reverse

from core.idempotency import new_token
from elections import services
from elections.models import Ballot, Candidate, Election, ElectionRules, Voter
from tests.factories import MemberFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_election(chair, member_user):
    election = Election.objects.create(
        title="第五届委员会选举", kind="committee", rules=ElectionRules.objects.get(kind="committee"), seats=1,
        held_on=datetime.date.today(), roll_date=datetime.date.today())
    election = services.roll_freeze(election=election, actor=chair)
    for name in ("张三丰", "李四光"):
        Candidate.objects.create(election=election, member=MemberFactory(name=name), approved=True)
    election.state = Election.State.VOTING
    election.save()
    return election


def _vote_url(election):
    return reverse("elections:vote", args=[election.pk])


def test_a_voter_on_the_roll_sees_the_ballot_votes_once_and_sees_voted(client, login, member_user, open_election):
    login(member_user)
    page = client.get(_vote_url(open_election))
    assert page.status_code == 200
    assert "张三丰" in page.content.decode() and "李四光" in page.content.decode()
    chosen = open_election.candidates.get(member__name="张三丰")
    response = client.post(_vote_url(open_election), {"candidates": [chosen.pk], "confirm": "on",
                                                       "form_token": new_token()})
    assert response.status_code == 302
    assert Ballot.objects.filter(election=open_election).count() == 1
    assert Voter.objects.get(election=open_election, member=member_user.member).voted
    after = client.get(_vote_url(open_election)).content.decode()
    assert "已投票" in after and 'name="candidates"' not in after
    again = client.post(_vote_url(open_election), {"candidates": [chosen.pk], "confirm": "on",
                                                    "form_token": new_token()})
    assert again.status_code in (200, 302) and Ballot.objects.filter(election=open_election).count() == 1


def test_marking_more_than_the_seats_or_not_confirming_casts_nothing(client, login, member_user, open_election):
    login(member_user)
    both = list(open_election.candidates.values_list("pk", flat=True))
    too_many = client.post(_vote_url(open_election), {"candidates": both, "confirm": "on", "form_token": new_token()})
    unconfirmed = client.post(_vote_url(open_election), {"candidates": both[:1], "form_token": new_token()})
    assert too_many.status_code == unconfirmed.status_code == 200
    assert not Ballot.objects.exists()


def test_people_off_the_roll_and_closed_elections_get_404(client, login, outsider, make_persona, open_election):
    late = make_persona("late")  # a member, but not on the frozen roll
    login(late)
    assert client.get(_vote_url(open_election)).status_code == 404
    client.logout()
    login(outsider)
    assert client.get(_vote_url(open_election)).status_code == 404
    open_election.state = Election.State.CLOSED
    open_election.save()
    assert client.get(_vote_url(open_election)).status_code == 404


def test_the_home_card_lists_open_elections_for_voters_only(client, login, member_user, make_persona, open_election):
    login(member_user)
    home = client.get("/").content.decode()
    assert open_election.title in home and _vote_url(open_election) in home
    client.logout()
    login(make_persona("late"))
    assert open_election.title not in client.get("/").content.decode()


def test_the_voter_roll_pdf_from_the_admin(client, login, chair, member_user, open_election):
    login(chair)
    change = client.get(reverse("admin:elections_election_change", args=[open_election.pk])).content.decode()
    url = reverse("admin:elections_election_roll_pdf", args=[open_election.pk])
    assert url in change
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "选民名单" in text and member_user.member.name in text and chair.member.name in text
    assert_cjk_font_embedded(response.content)


def test_the_voter_roll_pdf_needs_manage_election(client, login, member_user, open_election):
    login(member_user)
    response = client.get(reverse("admin:elections_election_roll_pdf", args=[open_election.pk]))
    assert response.status_code in (302, 403, 404)


def test_the_same_form_sent_twice_casts_one_ballot(client, login, member_user, open_election):
    login(member_user)
    token = new_token()
    chosen = open_election.candidates.first()
    data = {"candidates": [chosen.pk], "confirm": "on", "form_token": token}
    first = client.post(_vote_url(open_election), data)
    second = client.post(_vote_url(open_election), data)
    assert first.status_code == second.status_code == 302
    assert Ballot.objects.filter(election=open_election).count() == 1
