"""Who may see and do what in care work, in one place.

- Chair and welfare officers (``welfare.record_visit``): record visits and distributions, withdraw visits.
- Treasurer and auditor (``welfare.view_visit`` only): look at visits and distributions; writes get 403.
- Group leaders (``welfare.report_care``): report for their own group's members, see their group's open reports.
- Everyone else: 404 — they should not learn what exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Distribution, Visit

VIEW = "welfare.view_visit"
RECORD = "welfare.record_visit"
WITHDRAW = "welfare.withdraw_visit"
REPORT = "welfare.report_care"
#: Who may follow a sign-for sheet job besides its starter (core.jobs.job_for_user).
VIEW_DISTRIBUTION = "welfare.view_distribution"


def can_view(user):
    return user.is_authenticated and user.has_perm(VIEW)


def require_view(user):
    if not can_view(user):
        raise Http404


def require_record(user):
    """404 for those who may not see care records at all, 403 for those who may only look."""
    require_view(user)
    if not user.has_perm(RECORD):
        raise PermissionDenied


def visit_get_for_user(*, user, pk):
    require_view(user)
    return get_object_or_404(Visit.objects.select_related("member", "occasion", "recorded_by", "withdrawn_by",
                                                          "policy", "distribution", "report"), pk=pk)


def distribution_get_for_user(*, user, pk):
    require_view(user)
    return get_object_or_404(Distribution.objects.select_related("occasion", "recorded_by"), pk=pk)


def require_reporter(user):
    if not (user.is_authenticated and (user.has_perm(REPORT) or user.has_perm(RECORD))):
        raise Http404
