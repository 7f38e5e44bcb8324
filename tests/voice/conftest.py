"""Fixtures of the voice tests: notices and surveys with audiences, and only the voice's reminder collectors."""

import datetime

import pytest
from django.utils import timezone, translation

from core.reminders import COLLECTORS
from voice.models import Notice, Question, Survey


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def only_voice_reminders(monkeypatch):
    for kind in list(COLLECTORS):
        if kind not in ("notice", "survey"):
            monkeypatch.delitem(COLLECTORS, kind)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


@pytest.fixture
def make_notice(db):
    def make(*, published=True, published_at=None, **fields):
        notice = Notice.objects.create(title=fields.pop("title", "Notice"), body=fields.pop("body", "<p>Hi</p>"),
                                       **fields)
        if published:
            notice.state = Notice.State.PUBLISHED
            notice.published_at = published_at or timezone.now()
            notice.save()
        return notice

    return make


@pytest.fixture
def make_survey(db):
    def make(*, anonymous=True, questions=None, **fields):
        now = timezone.now()
        survey = Survey.objects.create(title=fields.pop("title", "Survey"), anonymous=anonymous,
                                       state=fields.pop("state", Survey.State.PUBLISHED),
                                       opens_at=fields.pop("opens_at", now - datetime.timedelta(hours=1)),
                                       closes_at=fields.pop("closes_at", now + datetime.timedelta(days=7)),
                                       **fields)
        for i, (text, kind, choices, required) in enumerate(questions or [
                ("Rate us", Question.Kind.RATING, "", True),
                ("Pick one", Question.Kind.SINGLE, "red\nblue", True),
                ("Pick some", Question.Kind.MULTIPLE, "a\nb\nc", False),
                ("Say something", Question.Kind.TEXT, "", False)]):
            Question.objects.create(survey=survey, position=i, text=text, kind=kind, choices=choices,
                                    required=required)
        return survey

    return make


def answers_for(survey, *, rating="4", single="red", multiple=("a",), text="fine"):
    values = {Question.Kind.RATING: rating, Question.Kind.SINGLE: single, Question.Kind.MULTIPLE: list(multiple),
              Question.Kind.TEXT: text}
    return {q.pk: values[q.kind] for q in survey.questions.all()}
