"""Answering surveys, once per eligible member, and the yearly templates (会员评家, 民主测评, activity feedback,
需求调查).

One response per member: the participation row (unique per survey and member) is inserted in the same transaction
as the answers, so two tabs submitting at once record one response; the second is refused and writes nothing.
Anonymous surveys: the answers are written with no link to the member (see voice.models)."""

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import pgettext

from ..audience import in_audience
from ..models import Answer, Participation, Question, Response, Survey


def _answer_for(question, value):
    """An unsaved Answer for ``value`` (a list of strings for multiple choice, else a string), or None if empty."""
    if question.kind == Question.Kind.MULTIPLE:
        values = [v for v in (value or []) if v]
        if any(v not in question.choice_list for v in values):
            raise ValidationError(_("Choose among the choices given."), code="choice")
        return Answer(question=question, choices=values) if values else None
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        return None
    if question.kind == Question.Kind.SINGLE:
        if value not in question.choice_list:
            raise ValidationError(_("Choose among the choices given."), code="choice")
        return Answer(question=question, choices=[value])
    if question.kind == Question.Kind.RATING:
        if str(value) not in {"1", "2", "3", "4", "5"}:
            raise ValidationError(_("A rating is a whole number from 1 to 5."), code="rating")
        return Answer(question=question, rating=int(value))
    return Answer(question=question, text=str(value)[:4000])


def survey_refusal(*, survey, member, now=None):
    """None when ``member`` may answer ``survey`` now; otherwise the reason."""
    if not in_audience(survey, member):
        return _("This survey is not for you.")
    if not survey.is_open(now):
        return _("This survey is not open.")
    if Participation.objects.filter(survey=survey, member=member).exists():
        return _("You have responded to this survey already.")
    return None


def survey_respond(*, survey, member, answers, now=None):
    """Record ``member``'s answers ({question pk: value}). Raises ValidationError for a refusal or a bad answer."""
    refusal = survey_refusal(survey=survey, member=member, now=now)
    if refusal:
        raise ValidationError(refusal, code="refused")
    rows = []
    for question in survey.questions.all():
        answer = _answer_for(question, answers.get(question.pk))
        if answer is None and question.required:
            raise ValidationError(_("Please answer: %(question)s") % {"question": question.text}, code="required")
        if answer is not None:
            rows.append(answer)
    random.shuffle(rows)  # the insertion order of answers tells nothing either
    try:
        with transaction.atomic():
            participation = Participation.objects.create(survey=survey, member=member,
                                                         on_date=timezone.localdate(now))
            response = Response.objects.create(survey=survey)
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            if not survey.anonymous:
                participation.response = response
                participation.save(update_fields=["response"])
    except IntegrityError:
        raise ValidationError(_("You have responded to this survey already."), code="refused") from None
    return participation


#: The yearly templates: kind → (questions as (text, kind, choices, required)).
TEMPLATES = {
    Survey.Kind.SATISFACTION: [
        (N_("How satisfied are you with the union's work this year overall?"), Question.Kind.RATING, "", True),
        (N_("How satisfied are you with care and visits (慰问)?"), Question.Kind.RATING, "", True),
        (N_("How satisfied are you with the union's activities?"), Question.Kind.RATING, "", True),
        (N_("How satisfied are you with financial disclosure (财务公开)?"), Question.Kind.RATING, "", True),
        (N_("What should the union do better?"), Question.Kind.TEXT, "", False),
    ],
    Survey.Kind.DEMOCRATIC: [
        (N_("The chair's work this year"), Question.Kind.SINGLE, "excellent\ngood\nfair\npoor", True),
        (N_("The committee's work this year"), Question.Kind.SINGLE, "excellent\ngood\nfair\npoor", True),
        (N_("Comments"), Question.Kind.TEXT, "", False),
    ],
    Survey.Kind.FEEDBACK: [
        (N_("How did you like the activity?"), Question.Kind.RATING, "", True),
        (N_("Would you take part again?"), Question.Kind.SINGLE, "yes\nno", True),
        (N_("What could be better?"), Question.Kind.TEXT, "", False),
    ],
    Survey.Kind.NEEDS: [
        (N_("Which activities would you like?"), Question.Kind.MULTIPLE,
         "sports\nculture and reading\noutings\nhealth talks\nparent and child\nvolunteering", True),
        (N_("Which help matters most to you?"), Question.Kind.SINGLE,
         "health\nchildcare\ncare of elders\nhousing\ncareer", False),
        (N_("Anything else you need from the union?"), Question.Kind.TEXT, "", False),
    ],
}


def survey_from_template(*, kind, title, closes_at, actor, activity=None, opens_at=None, anonymous=True):
    """A draft survey of ``kind`` with the template's questions (translated into the active language)."""
    with transaction.atomic():
        survey = Survey.objects.create(title=title, kind=kind, closes_at=closes_at, activity=activity,
                                       opens_at=opens_at or timezone.now(), anonymous=anonymous)
        Question.objects.bulk_create([
            Question(survey=survey, position=i, text=_(text), kind=qkind,
                     choices="\n".join(pgettext("survey choice", c) for c in choices.splitlines()), required=required)
            for i, (text, qkind, choices, required) in enumerate(TEMPLATES[kind], start=1)])
    return survey


def survey_publish(*, survey, actor):
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.questions.exists():
            raise ValidationError(_("A survey needs at least one question."), code="empty")
        survey.state = Survey.State.PUBLISHED
        survey.save(update_fields=["state"])
    return survey
