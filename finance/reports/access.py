"""Who sees which report: holders of `finance.view_financial_reports` (chair, treasurer, auditor) read every report;
others get 403 on the report pages and 404 on a report document. Members read published disclosures only (a draft
is 404); the committee (`finance.view_disclosure`) reads drafts too."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from finance.models import Disclosure, ReportDocument
from members.selectors import member_for_user

READ = "finance.view_financial_reports"


def can_read_reports(user) -> bool:
    return user.has_perm(READ)


def reports_reader_check(user) -> None:
    """Raise PermissionDenied (403) unless `user` reads the reports."""
    if not can_read_reports(user):
        raise PermissionDenied


def report_document_for_user(*, user, pk) -> ReportDocument:
    """A kept report, for those who read reports; 404 for everyone else."""
    if not can_read_reports(user):
        raise Http404
    return get_object_or_404(ReportDocument.objects.select_related("job", "account", "created_by"), pk=pk)


# -- the audit report (经审报告) ---------------------------------------------------------------------------------------

def can_write_audit_report(user, report) -> bool:
    """Whether `user` may write `report` (a saved one or a new one for its year) now: not once it is final."""
    return not report.is_final and user.has_perm(
        "finance.change_auditreport" if report.pk else "finance.add_auditreport")


def can_start_audit_report(user) -> bool:
    return user.has_perm("finance.add_auditreport")


def can_finalise_audit_report(user) -> bool:
    return user.has_perm("finance.finalise_auditreport")


# -- 财务公开 ---------------------------------------------------------------------------------------------------------

def can_see_draft_disclosures(user) -> bool:
    return user.has_perm("finance.view_disclosure")


def can_prepare_disclosure(user) -> bool:
    return user.has_perm("finance.add_disclosure")


def can_publish_disclosure(user) -> bool:
    return user.has_perm("finance.publish_disclosure")


def disclosure_reader_check(user) -> bool:
    """Members read published disclosures; the committee reads drafts too (returns whether `user` does). Others:
    403."""
    sees_drafts = can_see_draft_disclosures(user)
    if not sees_drafts and member_for_user(user) is None:
        raise PermissionDenied
    return sees_drafts


def disclosure_for_user(*, user, pk, change=False) -> Disclosure:
    """A disclosure `user` may read: 403 for who reads none, 404 for a draft to a member (and, with `change`, for
    any disclosure to a member); with `change` (publishing), 403 without the permission to publish."""
    sees_drafts = disclosure_reader_check(user)
    disclosure = get_object_or_404(Disclosure, pk=pk)
    if not sees_drafts and (change or not disclosure.is_published):
        raise Http404
    if change and not can_publish_disclosure(user):
        raise PermissionDenied
    return disclosure
