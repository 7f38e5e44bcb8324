"""Who may see and do what in care work, in one place.

- Chair and welfare officers (``welfare.record_visit``): record visits and distributions, withdraw visits.
- Treasurer and auditor (``welfare.view_visit`` only): look at visits and distributions; writes get 403.
- Group leaders (``welfare.report_care``): report for their own group's members, see their group's open reports.
- Everyone else: 404 — they should not learn what exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import CareReport, Distribution, Visit

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
    if not can_record(user):
        raise PermissionDenied


def visit_for_user(*, user, pk, withdraw=False):
    """A visit, for those who may see care records (404 otherwise); with ``withdraw``, 403 for those who may only
    look."""
    require_view(user)
    visit = get_object_or_404(Visit.objects.select_related("member", "occasion", "recorded_by", "withdrawn_by",
                                                           "policy", "distribution", "report"), pk=pk)
    if withdraw and not can_withdraw(user):
        raise PermissionDenied
    return visit


def distribution_for_user(*, user, pk):
    require_view(user)
    return get_object_or_404(Distribution.objects.select_related("occasion", "recorded_by"), pk=pk)


def can_record(user):
    return user.has_perm(RECORD)


def can_withdraw(user):
    return user.has_perm(WITHDRAW)


def can_report_for(user, member):
    """The chair and welfare officers report for anyone; a 小组长 for the members of the group they lead."""
    if user.has_perm(RECORD):
        return True
    return (user.has_perm(REPORT) and member.union_group_id is not None
            and member.union_group.leader_id is not None and member.union_group.leader.user_id == user.pk)


def care_report_for_user(*, user, pk):
    """A care report to close: 404 for those who may not see care records, 403 for those who may only look."""
    require_record(user)
    return get_object_or_404(CareReport, pk=pk)


def require_reporter(user):
    if not (user.is_authenticated and (user.has_perm(REPORT) or user.has_perm(RECORD))):
        raise Http404
