"""The member's notice list and the survey results cost the same number of queries however many members there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MemberFactory, UnionGroupFactory
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


def test_at_5000_members_the_notice_list_and_the_survey_results_cost_what_they_cost_at_five(
        client, chair, member_user, make_notice, make_survey):
    """The issue's figure: the same page at 5 members and at 5,000 (built in bulk: one statement per table)."""
    import time

    from members.models import Member
    from voice.models import Answer, Participation, Question, Response

    notices = [make_notice(title=f"N{i}") for i in range(5)]
    survey = make_survey()
    for _ in range(5):
        survey_respond(survey=survey, member=MemberFactory(), answers=answers_for(survey))
    pages = ["/voice/notices/", f"/voice/surveys/{survey.pk}/results/", "/voice/notices/figures/"]

    def counts():
        client.force_login(member_user)
        seen = [_count(client, "/voice/notices/")]
        client.force_login(chair)
        return seen + [_count(client, url) for url in pages]

    before = counts()
    started = time.monotonic()
    group = UnionGroupFactory()
    # ID numbers: 500 a birth date (their sequence number), so ten birth dates.
    Member.objects.bulk_create([m for year in range(1975, 1985) for m in MemberFactory.build_batch(
        500, union_group=group, department=group.department, birth=datetime.date(year, 6, 1))], batch_size=1000)
    crowd = list(Member.objects.order_by("-pk")[:5000])
    NoticeRead.objects.bulk_create([NoticeRead(notice=n, member=m) for n in notices for m in crowd[::2]],
                                   batch_size=2000)
    Participation.objects.bulk_create([Participation(survey=survey, member=m) for m in crowd], batch_size=2000)
    responses = Response.objects.bulk_create([Response(survey=survey) for _ in crowd], batch_size=2000)
    questions = {q.kind: q for q in survey.questions.all()}
    Answer.objects.bulk_create(
        [Answer(response=r, question=questions[Question.Kind.RATING], rating=1 + i % 5) for i, r in enumerate(responses)]
        + [Answer(response=r, question=questions[Question.Kind.SINGLE], choices=["blue"]) for r in responses],
        batch_size=2000)
    built = time.monotonic() - started
    assert Member.objects.count() > 5000 and Participation.objects.filter(survey=survey).count() == 5005
    after = counts()
    assert after == before, f"queries at 5 members {before}, at 5,005 {after} (built in {built:.1f}s)"
    page = client.get(f"/voice/surveys/{survey.pk}/results/").content.decode()
    responded = page.split("<dt>Responded</dt><dd>", 1)[1].split("<", 1)[0]
    assert responded.startswith(("5005 ", "5,005 ")), responded  # the results count the crowd
