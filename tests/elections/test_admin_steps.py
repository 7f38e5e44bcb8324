"""The chair runs an election from its admin page: each step a confirmation page calling one service."""

import datetime

import pytest
from django.urls import reverse

from core.idempotency import new_token
from elections.models import Election, ElectionRules
from tests.factories import MemberFactory, UnionGroupFactory
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    return Election.objects.create(title="第五届委员会选举", kind="committee", seats=1,
                                   rules=ElectionRules.objects.get(kind="committee"),
                                   held_on=datetime.date.today(), roll_date=datetime.date.today())


def _step(client, election, slug, **data):
    return client.post(reverse(f"admin:elections_election_{slug}", args=[election.pk]),
                       {"form_token": new_token(), **data})


def test_the_chair_takes_an_election_from_nominations_to_voting(client, login, chair, election):
    login(chair)
    page = client.get(reverse("admin:elections_election_change", args=[election.pk])).content.decode()
    assert reverse("admin:elections_election_open_nominations", args=[election.pk]) in page
    assert "composition" in page
    assert _step(client, election, "open_nominations", closes_on="2026-12-20").status_code == 302
    group = UnionGroupFactory()
    a, b = MemberFactory(union_group=group), MemberFactory(union_group=group, male=False)
    assert _step(client, election, "nominate", union_group=group.pk, members_present=2, nominee_0=a.pk,
                 agreeing_0=2, nominee_1=b.pk, agreeing_1=1).status_code == 302
    assert {(c.member, c.nominations) for c in election.candidates.all()} == {(a, 2), (b, 1)}
    overview = client.get(reverse("admin:elections_election_nominations", args=[election.pk])).content.decode()
    assert group.name in overview and a.name in overview
    ids = list(election.candidates.values_list("pk", flat=True))
    assert _step(client, election, "review", passed=ids).status_code == 302
    assert _step(client, election, "submit", on="2026-12-21").status_code == 302
    assert _step(client, election, "freeze_roll").status_code == 302
    early = _step(client, election, "open_voting")
    assert early.status_code == 200 and "批复" in early.content.decode()  # refused on the page, nothing written
    assert _step(client, election, "approval", reference="市总〔2026〕3号",
                 approved_on="2026-12-22").status_code == 302
    assert _step(client, election, "open_voting").status_code == 302
    election.refresh_from_db()
    assert election.state == Election.State.VOTING and election.candidates.filter(approved=True).count() == 2


def test_only_those_who_run_elections_see_the_steps(client, login, auditor, election):
    login(auditor)
    response = client.get(reverse("admin:elections_election_open_nominations", args=[election.pk]))
    assert response.status_code == 403


def _voting(election, chair):
    from elections import services
    from elections.models import Candidate

    services.roll_freeze(election=election, actor=chair)
    for name in ("张三丰", "李四光"):
        Candidate.objects.create(election=election, member=MemberFactory(name=name), approved=True)
    Election.objects.filter(pk=election.pk).update(state=Election.State.VOTING)
    election.refresh_from_db()
    return list(election.candidates.order_by("pk"))


def test_the_chair_prints_ballots_enters_a_box_and_closes(client, login, chair, member_user, election):
    a, b = _voting(election, chair)
    login(chair)
    printed = client.get(reverse("admin:elections_election_ballots_pdf", args=[election.pk]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    form = client.get(reverse("admin:elections_election_ballot_box", args=[election.pk])).content.decode()
    assert f'name="votes_{a.pk}"' in form
    refused = _step(client, election, "ballot_box", label="1号票箱", issued=2, returned=2, invalid=0,
                    scrutineers="赵", tellers="张三丰", **{f"votes_{a.pk}": 2, f"votes_{b.pk}": 0})
    assert refused.status_code == 200 and not election.ballot_boxes.exists()
    assert _step(client, election, "ballot_box", label="1号票箱", issued=2, returned=2, invalid=0,
                 scrutineers="赵", tellers="钱", **{f"votes_{a.pk}": 2, f"votes_{b.pk}": 0}).status_code == 302
    close_page = client.get(reverse("admin:elections_election_close", args=[election.pk])).content.decode()
    assert 'id="count-figures"' in close_page
    assert _step(client, election, "close").status_code == 302
    election.refresh_from_db()
    assert election.state == Election.State.CLOSED and election.ballots_returned == 2


def test_printed_ballots_need_manage_election(client, login, member_user, election):
    login(member_user)
    assert client.get(reverse("admin:elections_election_ballots_pdf", args=[election.pk])).status_code in (302, 403)


def test_the_result_report_is_printed_from_the_admin_once_counted(client, login, chair, member_user, election):
    from elections import services

    a, _b = _voting(election, chair)
    login(chair)
    url = reverse("admin:elections_election_result_pdf", args=[election.pk])
    assert client.get(url).status_code == 404  # not counted yet
    for voter in (chair.member, member_user.member):
        services.ballot_cast(election=election, member=voter, candidate_ids=[a.pk])
    services.election_close(election=election, actor=chair)
    change = client.get(reverse("admin:elections_election_change", args=[election.pk])).content.decode()
    assert url in change
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "选举结果报告" in pdf_text(response.content)


def test_the_chair_accepts_the_result_from_the_admin(client, login, chair, member_user, election):
    from elections import services

    a, _b = _voting(election, chair)
    for voter in (chair.member, member_user.member):
        services.ballot_cast(election=election, member=voter, candidate_ids=[a.pk])
    services.election_close(election=election, actor=chair)
    login(chair)
    assert _step(client, election, "accept").status_code == 302
    assert Election.objects.get(pk=election.pk).state == Election.State.ACCEPTED


def test_the_chair_sets_up_an_election_and_edits_it_only_before_the_list_goes_up(client, login, chair, election):
    login(chair)
    add = client.get(reverse("admin:elections_election_add"))
    assert add.status_code == 200
    change_url = reverse("admin:elections_election_change", args=[election.pk])
    assert 'name="seats"' in client.get(change_url).content.decode()
    Election.objects.filter(pk=election.pk).update(state=Election.State.SUBMITTED)
    page = client.get(change_url).content.decode()
    assert 'name="seats"' not in page  # read-only once the list is with the higher union
