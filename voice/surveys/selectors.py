"""Reading surveys: what a member is asked, and the results (counts per choice and rating, the texts shuffled).

Results of an anonymous survey are never shown for fewer than MIN_RESPONDENTS respondents, and there is no slice
smaller than the whole survey (the answers carry nothing to slice them by). Fixed queries whatever the size."""

import random

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from core.year_sections import YearSection

from ..audience import in_audience, members_in_audience
from ..models import Answer, Participation, Question, Survey

#: The smallest number of respondents whose results are shown (anonymous surveys).
MIN_RESPONDENTS = 5
#: A rating of at least this counts as satisfied (满意率).
SATISFIED_FROM = 4


def surveys_for_member(member):
    """Published surveys open to ``member``, each with ``answered``."""
    if member is None:
        return []
    surveys = (Survey.objects.filter(state=Survey.State.PUBLISHED).prefetch_related("union_groups", "departments")
               .annotate(answered=Exists(Participation.objects.filter(survey=OuterRef("pk"), member=member))))
    return [survey for survey in surveys if in_audience(survey, member)]


def participation(survey):
    """{audience, responded, rate, responses}: of those the survey asks today, how many responded (a member who
    answered and has since left the audience is not one of them, so the rate never passes 100 %); ``responses``
    counts every response, which is what results_hidden weighs. Two queries."""
    took_part = Participation.objects.filter(survey=survey, member=OuterRef("pk"))
    counts = members_in_audience(survey).aggregate(audience=Count("pk"), responded=Count("pk", filter=Q(Exists(took_part))))
    audience, responded = counts["audience"], counts["responded"]
    return {"audience": audience, "responded": responded,
            "rate": round(100 * responded / audience) if audience else 0,
            "responses": Participation.objects.filter(survey=survey).count()}


def results_hidden(survey, responded):
    return survey.anonymous and responded < MIN_RESPONDENTS


def survey_results(survey):
    """[(question, rows)] where rows are (label, count) for choices and ratings, or texts for text questions."""
    questions = list(survey.questions.all())
    counted = {}
    for row in (Answer.objects.filter(question__survey=survey).exclude(rating=None)
                .values("question", "rating").annotate(n=Count("pk"))):
        counted[(row["question"], str(row["rating"]))] = row["n"]
    texts = {}
    for answer in Answer.objects.filter(question__survey=survey).only("question_id", "choices", "text", "rating"):
        if answer.rating is not None:
            continue
        for choice in answer.choices:
            counted[(answer.question_id, choice)] = counted.get((answer.question_id, choice), 0) + 1
        if answer.text:
            texts.setdefault(answer.question_id, []).append(answer.text)
    results = []
    for question in questions:
        if question.kind == Question.Kind.TEXT:
            found = texts.get(question.pk, [])
            random.shuffle(found)
            results.append((question, found))
            continue
        labels = [str(n) for n in range(1, 6)] if question.kind == Question.Kind.RATING else question.choice_list
        results.append((question, [(label, counted.get((question.pk, label), 0)) for label in labels]))
    return results


def satisfaction_rate(survey):
    """Share (per cent) of ratings of SATISFIED_FROM or more among all ratings of the survey; None without any."""
    ratings = Answer.objects.filter(question__survey=survey, rating__isnull=False)
    total = ratings.count()
    if not total:
        return None
    return round(100 * ratings.filter(rating__gte=SATISFIED_FROM).count() / total, 1)


def year_section(year):
    """民主管理 for the year-end summary: each survey of the year with its participation and 满意率. No names."""
    surveys = (Survey.objects.filter(opens_at__year=year, state=Survey.State.PUBLISHED)
               .prefetch_related("union_groups", "departments").order_by("opens_at", "pk"))
    rows = []
    for survey in surveys:
        figures = participation(survey)
        rate = None if results_hidden(survey, figures["responses"]) else satisfaction_rate(survey)
        rows.append([survey.title, survey.get_kind_display(), figures["audience"], figures["responded"],
                     f"{figures['rate']}%", "—" if rate is None else f"{rate}%"])
    return YearSection(
        title=_("Surveys and appraisals"),
        headers=[_("Survey"), _("Kind"), _("Asked"), _("Responded"), _("Participation"), _("Satisfaction rate")],
        rows=rows, note="" if rows else _("No surveys were held this year."))
