"""The member's notice list and the survey results cost the same number of queries however many members there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MemberFactory
from tests.voice.conftest import answers_for
from voice.models import NoticeRead
from voice.surveys.services import survey_respond

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _count(client, url):
    client.get(url)  # the session's own first-request bookkeeping
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_notice_list_and_survey_results_do_not_grow_with_members(client, login, chair, make_notice, make_survey):
    notices = [make_notice(title=f"N{i}") for i in range(5)]
    survey = make_survey()
    for _ in range(5):
        survey_respond(survey=survey, member=MemberFactory(), answers=answers_for(survey))
    login(chair)
    before = (_count(client, "/voice/notices/"), _count(client, f"/voice/surveys/{survey.pk}/results/"))
    extra = MemberFactory.create_batch(150)
    NoticeRead.objects.bulk_create([NoticeRead(notice=n, member=m) for n in notices for m in extra[:50]])
    for member in extra[:60]:
        survey_respond(survey=survey, member=member, answers=answers_for(survey))
    after = (_count(client, "/voice/notices/"), _count(client, f"/voice/surveys/{survey.pk}/results/"))
    assert after == before


def test_the_notice_list_does_not_grow_with_notices_for_chosen_roles(client, login, chair, make_notice):
    """A notice for holders of chosen roles is checked against the member's roles read once, not once per notice."""
    from accounts.models import Role

    def for_the_chair(title):
        notice = make_notice(title=title)
        notice.roles.add(Role.objects.get(code=Role.CHAIR))

    for_the_chair("R0")
    login(chair)
    before = _count(client, "/voice/notices/")
    for i in range(1, 8):
        for_the_chair(f"R{i}")
    after = _count(client, "/voice/notices/")
    assert after == before
    assert client.get("/voice/notices/").content.decode().count(">R") >= 8  # the chair is shown all eight


def test_the_chairs_notice_figures_cost_one_query_per_notice(make_notice):
    from voice.notices.selectors import figures_list

    notices = [make_notice(title=f"N{i}") for i in range(8)]
    members = MemberFactory.create_batch(6)
    NoticeRead.objects.bulk_create([NoticeRead(notice=notices[0], member=m) for m in members[:3]])
    with CaptureQueriesContext(connection) as four:
        figures_list(notices[:4])
    with CaptureQueriesContext(connection) as eight:
        rows = figures_list(notices)
    assert len(eight.captured_queries) - len(four.captured_queries) == 4
    assert len(four.captured_queries) <= 4 + 3  # the groups, departments and roles, read once for the page
    assert rows[0][1] == {"audience": 6, "read": 3, "rate": 50}
