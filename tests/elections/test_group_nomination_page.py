"""The 小组长's nomination page: their own group only, editable while nominations are open, read-only after; the
home card lists it; the nominations-closing reminder links to it."""

import datetime

import pytest
from django.urls import reverse

from core import reminder_engine
from elections import services
from elections.models import Election, ElectionRules, GroupNomination
from tests.factories import MemberFactory, UnionGroupFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def election(chair):
    election = Election.objects.create(title="第五届经审会选举", kind="audit_committee", seats=3,
                                       rules=ElectionRules.objects.get(kind="audit_committee"),
                                       held_on=TODAY + datetime.timedelta(days=20), roll_date=TODAY)
    return services.nominations_open(election=election, closes_on=TODAY + datetime.timedelta(days=2), actor=chair)


def _url(election, group):
    return reverse("elections:group_nomination", args=[election.pk, group.pk])


def test_the_leader_enters_and_changes_the_groups_nominations(client, login, group_leader, election):
    group = group_leader.member.union_group
    mates = [MemberFactory(name=name, union_group=group) for name in ("王同组", "李同组")]
    login(group_leader)
    page = client.get(_url(election, group))
    assert page.status_code == 200 and 'name="nominee_0"' in page.content.decode()
    data = {"members_present": 3, "nominee_0": mates[0].pk, "agreeing_0": 3, "nominee_1": mates[1].pk,
            "agreeing_1": 2}
    assert client.post(_url(election, group), data).status_code == 302
    record = GroupNomination.objects.get(election=election, union_group=group)
    assert record.entered_by == group_leader and record.members_present == 3
    assert {(c.member, c.nominations, c.nominated_by) for c in election.candidates.all()} == {
        (mates[0], 3, group), (mates[1], 2, group)}
    again = client.get(_url(election, group)).content.decode()
    assert f'value="{mates[0].pk}" selected' in again and 'value="3"' in again  # the record, to change
    too_many = client.post(_url(election, group), {**data, "members_present": 9})  # the group has 3 in service
    assert too_many.status_code == 200 and GroupNomination.objects.get(pk=record.pk).members_present == 3
    half = client.post(_url(election, group), {"members_present": 3, "nominee_0": mates[0].pk})
    assert half.status_code == 200 and election.candidates.count() == 2
    home = client.get("/").content.decode()
    assert _url(election, group) in home and election.title in home


def test_after_the_close_the_record_is_read_only(client, login, group_leader, election):
    group = group_leader.member.union_group
    mate = MemberFactory(name="王同组", union_group=group)
    services.group_nomination_save(election=election, union_group=group, members_present=2,
                                   nominees=[(mate, 2)], actor=group_leader)
    Election.objects.filter(pk=election.pk).update(nominations_close_on=TODAY - datetime.timedelta(days=1))
    login(group_leader)
    page = client.get(_url(election, group)).content.decode()
    assert "王同组" in page and 'name="nominee_0"' not in page
    response = client.post(_url(election, group), {"members_present": 2, "nominee_0": mate.pk, "agreeing_0": 1})
    assert response.status_code == 403
    assert election.candidates.get().nominations == 2
    assert _url(election, group) not in client.get("/").content.decode()


def test_only_the_groups_leader_opens_it(client, login, chair, group_leader, member_user, make_persona, election):
    group = group_leader.member.union_group
    other_leader = make_persona("other_leader")
    other = UnionGroupFactory(leader=other_leader.member)
    for user, url in ((chair, _url(election, group)), (member_user, _url(election, group)),
                      (group_leader, _url(election, other)), (other_leader, _url(election, group))):
        client.logout()
        login(user)
        assert client.get(url).status_code == 404, (user, url)
        assert client.post(url, {"members_present": 1}).status_code == 404
    draft = Election.objects.create(title="草稿", kind="committee", seats=3, held_on=TODAY, roll_date=TODAY,
                                    rules=ElectionRules.objects.get(kind="committee"))
    group_election = Election.objects.create(title="推选", kind="group_leader", seats=1, held_on=TODAY,
                                             roll_date=TODAY, union_group=other, state="nominating",
                                             rules=ElectionRules.objects.get(kind="group_leader"))
    client.logout()
    login(group_leader)
    assert client.get(_url(draft, group)).status_code == 404
    assert client.get(_url(group_election, group)).status_code == 404  # another group's 小组长推选
    client.logout()
    assert client.get(_url(election, group)).status_code == 302  # to the login page


def test_the_closing_reminder_links_each_leader_to_their_groups_page(chair, group_leader, election):
    found, failed = reminder_engine.collect(since=TODAY - datetime.timedelta(days=1), today=TODAY)
    assert failed == []
    urls = {r.recipient_id: r.url for r in found if r.key.startswith("election-nominations")}
    assert urls[group_leader.pk] == _url(election, group_leader.member.union_group)
    assert urls[chair.pk] == reverse("admin:elections_election_change", args=[election.pk])
