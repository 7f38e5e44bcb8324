"""Answering surveys: once per eligible member, answers checked, templates, activity feedback, results and export."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Audience, Registration
from core.year_sections import year_sections
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory
from tests.voice.conftest import answers_for
from voice.models import Participation, Question, Response, Survey
from voice.surveys import selectors
from voice.surveys.services import TEMPLATES, survey_from_template, survey_publish, survey_respond

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_one_response_per_member(make_survey):
    survey, member = make_survey(), MemberFactory()
    survey_respond(survey=survey, member=member, answers=answers_for(survey))
    with pytest.raises(ValidationError, match="already"):
        survey_respond(survey=survey, member=member, answers=answers_for(survey))
    assert Participation.objects.count() == 1 and Response.objects.count() == 1


def test_refusals_write_nothing(make_survey):
    member = MemberFactory()
    survey = make_survey()
    with pytest.raises(ValidationError, match="Please answer"):
        survey_respond(survey=survey, member=member, answers={**answers_for(survey), **{
            q.pk: "" for q in survey.questions.filter(kind=Question.Kind.RATING)}})
    with pytest.raises(ValidationError, match="among the choices"):
        survey_respond(survey=survey, member=member, answers=answers_for(survey, single="green"))
    with pytest.raises(ValidationError, match="1 to 5"):
        survey_respond(survey=survey, member=member, answers=answers_for(survey, rating="6"))
    closed = make_survey(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="not open"):
        survey_respond(survey=closed, member=member, answers=answers_for(closed))
    women = make_survey(audience=Audience.WOMEN)
    with pytest.raises(ValidationError, match="not for you"):
        survey_respond(survey=women, member=member, answers=answers_for(women))
    assert not Participation.objects.exists() and not Response.objects.exists()


def test_a_named_survey_keeps_who_answered_what(make_survey):
    survey, member = make_survey(anonymous=False), MemberFactory()
    participation = survey_respond(survey=survey, member=member, answers=answers_for(survey))
    assert participation.response.answers.count() == 4


def test_results_are_hidden_below_five_respondents_and_count_each_answer(make_survey):
    survey = make_survey()
    for i in range(4):
        survey_respond(survey=survey, member=MemberFactory(), answers=answers_for(survey, rating=str(i + 2)))
    assert selectors.results_hidden(survey, selectors.participation(survey)["responded"])
    survey_respond(survey=survey, member=MemberFactory(), answers=answers_for(survey, rating="5", single="blue",
                                                                            multiple=("a", "c")))
    assert not selectors.results_hidden(survey, 5)
    results = {q.kind: rows for q, rows in selectors.survey_results(survey)}
    assert results[Question.Kind.RATING] == [("1", 0), ("2", 1), ("3", 1), ("4", 1), ("5", 2)]
    assert results[Question.Kind.SINGLE] == [("red", 4), ("blue", 1)]
    assert results[Question.Kind.MULTIPLE] == [("a", 5), ("b", 0), ("c", 1)]
    assert sorted(results[Question.Kind.TEXT]) == ["fine"] * 5
    assert selectors.satisfaction_rate(survey) == 60.0  # 4, 5, 5 of 2, 3, 4, 5, 5


def test_each_yearly_template_makes_a_survey_that_can_be_published(chair):
    closes = timezone.now() + datetime.timedelta(days=3)
    for kind, questions in TEMPLATES.items():
        survey = survey_from_template(kind=kind, title=str(kind), closes_at=closes, actor=chair)
        assert survey.questions.count() == len(questions)
        assert survey_publish(survey=survey, actor=chair).state == Survey.State.PUBLISHED


def test_activity_feedback_asks_only_those_who_checked_in(make_survey):
    activity = ActivityFactory()
    came, absent = MemberFactory(), MemberFactory()
    Registration.objects.create(activity=activity, member=came, status="confirmed", checked_in_at=timezone.now())
    Registration.objects.create(activity=activity, member=absent, status="confirmed")
    survey = make_survey(activity=activity, kind=Survey.Kind.FEEDBACK)
    survey_respond(survey=survey, member=came, answers=answers_for(survey))
    with pytest.raises(ValidationError, match="not for you"):
        survey_respond(survey=survey, member=absent, answers=answers_for(survey))


def test_a_member_answers_on_the_page_and_the_chair_reads_results_and_exports(client, login, member_user, chair,
                                                                              make_survey):
    survey = make_survey(title="Canteen survey")
    for _ in range(4):
        survey_respond(survey=survey, member=MemberFactory(), answers=answers_for(survey))
    login(member_user)
    assert "Canteen survey" in client.get("/voice/surveys/").content.decode()
    page = client.get(f"/voice/surveys/{survey.pk}/").content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = {"form_token": token}
    for q in survey.questions.all():
        data[f"q{q.pk}"] = {"rating": "5", "single": "blue", "multiple": ["b"], "text": "more fish"}[q.kind]
    assert client.post(f"/voice/surveys/{survey.pk}/", data).status_code == 302
    assert client.post(f"/voice/surveys/{survey.pk}/", data).status_code == 302  # the second tab
    assert Participation.objects.filter(survey=survey).count() == 5
    assert client.get(f"/voice/surveys/{survey.pk}/results/").status_code == 404
    client.logout()
    login(chair)
    page = client.get(f"/voice/surveys/{survey.pk}/results/").content.decode()
    assert "<svg" in page and "more fish" in page
    response = client.get(f"/voice/surveys/{survey.pk}/results.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("Pick one", "blue", 1) in rows and ("Pick one", "red", 4) in rows


def test_members_see_only_surveys_for_them_and_drafts_are_404(client, login, member_user, make_survey):
    women = make_survey(audience=Audience.WOMEN, title="Women's day")
    draft = make_survey(state=Survey.State.DRAFT, title="Draft one")
    login(member_user)
    page = client.get("/voice/surveys/").content.decode()
    assert "Women's day" not in page and "Draft one" not in page
    assert client.get(f"/voice/surveys/{women.pk}/").status_code == 404
    assert client.get(f"/voice/surveys/{draft.pk}/").status_code == 404



def test_the_year_end_summary_shows_participation_and_the_satisfaction_rate(make_survey):
    survey = make_survey(title="Rate us 2026", kind=Survey.Kind.SATISFACTION)
    few = make_survey(title="Tiny poll")
    for score in "45534":
        survey_respond(survey=survey, member=MemberFactory(), answers=answers_for(survey, rating=score))
    survey_respond(survey=few, member=MemberFactory(), answers=answers_for(few, rating="5"))
    section = next(s for s in year_sections(timezone.localdate().year) if s.title == "Surveys and appraisals")
    rows = {row[0]: row for row in section.rows}
    assert rows["Rate us 2026"][3] == 5 and rows["Rate us 2026"][5] == "80.0%"  # 4, 5, 5, 4 of 4, 5, 5, 3, 4
    assert rows["Tiny poll"][5] == "—"  # fewer than five respondents: no figure


def test_participation_counts_only_those_still_asked_and_hiding_counts_every_response(make_survey):
    """A member who answered and then left the survey's audience (moved to another group) is not counted as one of
    those asked who responded — the rate never passes 100 % — but their answers still count towards the five
    respondents below which an anonymous survey's results stay hidden."""
    from tests.factories import UnionGroupFactory

    first, second = UnionGroupFactory(), UnionGroupFactory()
    survey = make_survey(audience=Audience.CHOSEN)
    survey.union_groups.add(first)
    asked = MemberFactory.create_batch(5, union_group=first)
    for member in asked:
        survey_respond(survey=survey, member=member, answers=answers_for(survey))
    for member in asked[:3]:
        member.union_group = second
        member.save(update_fields=["union_group"])
    figures = selectors.participation(survey)
    assert figures == {"audience": 2, "responded": 2, "rate": 100, "responses": 5}
    assert not selectors.results_hidden(survey, figures["responses"])


def test_a_second_tab_posting_after_the_first_is_sent_back_with_the_reason(client, make_survey):
    from django.contrib.messages import get_messages

    from tests.once import once
    from tests.voice.helpers import member_with_login

    survey, member = make_survey(), member_with_login()
    client.force_login(member.user)
    data = {f"q{q.pk}": v for q, v in [(q, answers_for(survey)[q.pk]) for q in survey.questions.all()]
            if v not in (None, "", [])}
    first = client.post(f"/voice/surveys/{survey.pk}/", once(data))  # each tab has its own form token
    second = client.post(f"/voice/surveys/{survey.pk}/", once(data))
    assert first.status_code == second.status_code == 302
    assert "You have responded to this survey already." in [str(m) for m in get_messages(second.wsgi_request)]
    assert Participation.objects.filter(survey=survey).count() == 1


def test_the_results_title_uses_the_chinese_colon_in_chinese(client, login, chair, make_survey):
    from django.utils import translation

    survey = make_survey(title="食堂调查")
    login(chair)
    with translation.override("zh-hans"):
        page = client.get(f"/voice/surveys/{survey.pk}/results/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "结果：食堂调查" in page and "结果: " not in page
