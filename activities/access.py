"""Who may see and do what in activities: fetch-and-authorise in one call (``<thing>_for_user``: 404 for what the
user may not learn exists) and the ``can_…`` predicates the pages and the console ask. Views call these instead of
checking permissions themselves."""

from django.http import Http404

from core.jobs import job_for_user
from core.models import Job
from members.models import Member

from . import exports, workplan
from .eligibility import members_eligible_for
from .models import Activity, InterestGroup
from .selectors import with_seat_counts

MANAGE_PERMISSION = "activities.change_activity"
CHECK_IN_PERMISSION = "activities.check_in"
REGISTRATIONS_PERMISSION = "activities.view_registration"
#: Starting a background job is a write: it needs more than the right to look.
SIGNIN_JOB_PERMISSION = "activities.manage_registrations"


# --- activities --------------------------------------------------------------------------------------------------

def activity_for_user(*, user, pk):
    """Fetch an activity a member may look at: 404 for drafts (only people who manage activities see those)."""
    queryset = Activity.objects.select_related("activity_type", "organiser").prefetch_related(
        "union_groups", "departments", "questions")
    if not user.has_perm(MANAGE_PERMISSION):
        queryset = queryset.exclude(state=Activity.State.DRAFT)
    activity = with_seat_counts(queryset).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def activity_to_register_for(*, user, pk):
    """The activity behind a registration POST, fetched lean (the rush path): no seat counts, and its questions
    only. A draft is a 404 unless the user manages activities, as on the detail page; the permission is looked up
    only for a draft, which nobody can register for anyway."""
    activity = Activity.objects.prefetch_related("questions").filter(pk=pk).order_by("pk").first()
    if activity is None or (activity.state == Activity.State.DRAFT and not user.has_perm(MANAGE_PERMISSION)):
        raise Http404
    return activity


# --- check-in ----------------------------------------------------------------------------------------------------

def can_check_in_everywhere(user):
    """Holders of ``activities.check_in`` may check people in at every activity (organisers only at theirs)."""
    return user.has_perm(CHECK_IN_PERMISSION)


def can_check_in(user, activity):
    """The activity's organiser, or anyone with ``activities.check_in``."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_check_in_everywhere(user):
        return True
    return activity.organiser_id is not None and activity.organiser.user_id == user.pk


def can_use_check_in(user):
    """Whether the check-in pages exist for this user at all (organiser of some activity, or the permission)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return can_check_in_everywhere(user) or Activity.objects.filter(organiser__user=user).exists()


def check_in_activity_for_user(*, user, pk):
    """Fetch and authorise in one call: the activity, or 404 for anyone who may not check people in."""
    activity = Activity.objects.select_related("organiser", "activity_type").filter(pk=pk).first()
    if activity is None or not can_check_in(user, activity):
        raise Http404
    return activity


def walk_in_member_for_user(*, user, activity, pk, now=None):
    """The member behind a walk-in page, for someone who may check people in at ``activity``: only a member who may
    take part in it (its audience rules, ``eligibility``), during its check-in window (``Activity.walk_ins_open``).
    Anyone else is a 404 that names nobody: the page must not read out the roll."""
    if not activity.walk_ins_open(now):
        raise Http404
    member = members_eligible_for(activity, Member.objects.select_related("department")).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


# --- registrations and the sign-in sheet (the console) -------------------------------------------------------------

def can_view_registrations(user):
    return user.has_perm(REGISTRATIONS_PERMISSION)


def can_start_signin_sheet(user):
    return user.has_perm(SIGNIN_JOB_PERMISSION)


def signin_sheet_job_for_user(*, user, activity, job_id):
    """Fetch and authorise a sign-in sheet job: its starter (or a superuser), for this activity; 404 otherwise.

    Narrower than ``core.jobs.job_for_user`` on purpose: another chair (``core.view_job``) does not get a
    colleague's sheet (tests/activities/test_signin_sheet_pdf.py)."""
    job = Job.objects.filter(pk=job_id, kind=exports.SIGNIN_JOB_KIND, params__activity=activity.pk).first()
    if job is None or (job.created_by_id != user.pk and not user.is_superuser):
        raise Http404
    return job


# --- work plans and interest groups ------------------------------------------------------------------------------

def workplan_pdf_job_for_user(*, user, job_id):
    """A work plan or year-end summary PDF job: its starter, or whoever may view work plans; 404 otherwise."""
    return job_for_user(user=user, job_id=job_id, kinds=workplan.JOB_KINDS,
                        subject_permission=workplan.VIEW_PERMISSION)


def interest_group_for_leader(*, user, pk):
    """Fetch and authorise in one call: the group, if ``user`` is its leader; 404 for anyone else (who need not
    learn whether the page exists)."""
    if not user.is_authenticated:
        raise Http404
    group = InterestGroup.objects.select_related("leader").filter(pk=pk, leader__user=user).first()
    if group is None:
        raise Http404
    return group
