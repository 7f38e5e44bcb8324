"""Anonymous surveys are anonymous by construction: the schema holds nothing that links an answer to a person or a
moment, and an attempt to join answers back to the members who responded finds nothing to join on."""

import uuid

import pytest
from django.db import models

from accounts.models import User
from members.models import Member
from tests.factories import MemberFactory
from tests.voice.conftest import answers_for
from voice.models import Answer, Participation, Response
from voice.surveys.services import survey_respond

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize("model", [Response, Answer])
def test_answers_have_no_person_no_time_and_a_random_key(model):
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related not in (Member, User, Participation), f"{model.__name__}.{field.name} links to a person"
        assert not isinstance(field, models.DateField | models.TimeField), f"{model.__name__}.{field.name} is a time"
        assert not isinstance(field, models.AutoField | models.BigAutoField), "a sequence reveals the order"
    assert isinstance(model._meta.pk, models.UUIDField) and model._meta.pk.default is uuid.uuid4
    assert model._meta.ordering == ["id"]  # random keys: the default order is no order of arrival


def test_what_is_kept_of_the_person_is_the_fact_and_the_day(make_survey):
    fields = {f.name for f in Participation._meta.get_fields()}
    assert fields == {"id", "survey", "member", "on_date", "response"}
    assert isinstance(Participation._meta.get_field("on_date"), models.DateField)
    assert not isinstance(Participation._meta.get_field("on_date"), models.DateTimeField)


def test_joining_answers_back_to_members_fails(make_survey):
    survey = make_survey()
    ratings = {}
    members = [MemberFactory() for _ in range(6)]
    for score, member in zip("123455", members, strict=True):
        survey_respond(survey=survey, member=member, answers=answers_for(survey, rating=score))
        ratings[member.pk] = int(score)
    participations = list(Participation.objects.filter(survey=survey))
    # Nothing on the participation points at the answers …
    assert all(p.response_id is None for p in participations)
    # … the only column the two share is the survey, so a join pairs every member with every response …
    shared = ({f.attname for f in Participation._meta.concrete_fields}
              & {f.attname for f in Response._meta.concrete_fields}) - {"id"}
    assert shared == {"survey_id"}
    joined = Participation.objects.filter(survey=survey).values_list("member_id", "survey__responses__id")
    assert len(joined) == len(members) ** 2
    # … and the order of arrival is not the order of the keys, of the default ordering or of the answers' keys.
    in_key_order = [r.answers.get(question__kind="rating").rating for r in Response.objects.filter(survey=survey)]
    arrival = [ratings[p.member_id] for p in sorted(participations, key=lambda p: p.pk)]
    for _ in range(5):  # random keys may fall in arrival order by chance (1 in 6!/2): a fresh survey each time
        if in_key_order != arrival:
            break
        again = make_survey()
        for score, member in zip("123455", [MemberFactory() for _ in range(6)], strict=True):
            survey_respond(survey=again, member=member, answers=answers_for(again, rating=score))
        in_key_order = [r.answers.get(question__kind="rating").rating for r in again.responses.all()]
    assert in_key_order != arrival
    # The responses' raw rows carry nothing else: no member, no user, no time.
    assert set(Response.objects.filter(survey=survey).values()[0]) == {"id", "survey_id"}
    assert set(Answer.objects.values()[0]) == {"id", "response_id", "question_id", "choices", "rating", "text"}
