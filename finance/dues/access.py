"""Who may do what with dues: ``finance.import_dues`` (the treasurer) uploads, posts and records payments;
``finance.view_duesrecord`` (treasurer, chair, auditor) reads every page; a member reads only their own history.
A page of someone else's dues is a 404; a write without the permission is a 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.jobs import job_for_user
from core.models import Job
from members.models import Member

from .services import JOB_KIND

VIEW_PERM, WRITE_PERM = "finance.view_duesrecord", "finance.import_dues"


def can_read_dues(user) -> bool:
    return user.has_perm(VIEW_PERM)


def can_write_dues(user) -> bool:
    return user.has_perm(WRITE_PERM)


def dues_reader_check(user) -> None:
    """Raise PermissionDenied (403) unless `user` may read the dues pages."""
    if not can_read_dues(user):
        raise PermissionDenied


def dues_writer_check(user) -> None:
    """Raise PermissionDenied (403) unless `user` may upload lists and record payments."""
    if not can_write_dues(user):
        raise PermissionDenied


def import_job_for_user(*, user, pk, change=False) -> Job:
    """A deduction list's job: 403 without the permission to read (or, with `change`, to post) dues, 404 for a job
    that is not a deduction list's."""
    permission = WRITE_PERM if change else VIEW_PERM
    if not user.has_perm(permission):
        raise PermissionDenied
    return job_for_user(user=user, job_id=pk, kinds=[JOB_KIND], subject_permission=permission)


def dues_member_for_user(*, user, pk, change=False) -> Member:
    """A member whose dues `user` reads (404 for everyone without the permission) or, with `change`, records a
    payment for (403 without the permission to write)."""
    if change:
        dues_writer_check(user)
    elif not can_read_dues(user):
        raise Http404
    return get_object_or_404(Member, pk=pk)
