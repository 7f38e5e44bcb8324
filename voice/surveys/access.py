"""Who may answer a survey and who may read its results.

A member sees a published survey of their audience; results and the export need ``voice.view_survey_results``.
Everyone else gets 404."""

from django.http import Http404

from members.selectors import member_for_user

from ..audience import in_audience
from ..models import Survey


def can_see_results(user):
    return user.has_perm("voice.view_survey_results")


def survey_for_member(*, user, pk):
    """(survey, member) for a member of its audience; 404 otherwise (drafts included)."""
    survey = (Survey.objects.filter(pk=pk, state=Survey.State.PUBLISHED)
              .prefetch_related("union_groups", "departments", "questions").first())
    member = member_for_user(user)
    if survey is None or not in_audience(survey, member):
        raise Http404
    return survey, member


def survey_results_for_user(*, user, pk):
    if not can_see_results(user):
        raise Http404
    survey = Survey.objects.filter(pk=pk).prefetch_related("union_groups", "departments", "questions").first()
    if survey is None:
        raise Http404
    return survey
