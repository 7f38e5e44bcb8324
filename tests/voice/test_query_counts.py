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
