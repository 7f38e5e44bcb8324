"""Two tabs of one member submitting the same survey at the same instant record one response: the second waits on
the participation's unique index and is refused; none of its answers are written. Threads on real PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.once import once
from voice.models import Answer, Participation, Response

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_tabs_at_once_record_one_response(login, member_user, make_survey, settings):
    if connection.vendor != "postgresql":
        pytest.fail("The race test needs PostgreSQL: run it with `make test`.")
    settings.LANGUAGE_CODE = "en"
    survey = make_survey()
    data = {}
    for q in survey.questions.all():
        data[f"q{q.pk}"] = {"rating": "4", "single": "red", "multiple": ["a"], "text": "ok"}[q.kind]
    first = login(member_user, use_client=Client())
    second = Client()
    second.cookies.load({name: morsel.value for name, morsel in first.cookies.items()})
    barrier, statuses, errors = threading.Barrier(2), [], []

    def post(client):
        try:
            Participation.objects.exists()  # open this thread's connection before the start
            barrier.wait(timeout=30)
            statuses.append(client.post(f"/voice/surveys/{survey.pk}/", once(data)).status_code)  # two tabs
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert 302 in statuses and len(statuses) == 2
    assert Participation.objects.filter(survey=survey).count() == 1
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == survey.questions.count()
