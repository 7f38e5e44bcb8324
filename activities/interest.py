"""Interest groups (兴趣小组): members join and leave; each group's leader submits a yearly activity and budget plan,
which the chair approves or returns with a note (issue 3 §4, DOMAIN §7).

Membership is a dated record: joining opens one (at most one open per member and group — a partial unique
constraint), leaving closes it with ``left_at``; rejoining opens a new one, so the history stays.
A plan goes draft → submitted → approved, or → returned → (edited) → submitted again. Only the group's leader
writes and submits it; only the chair (``activities.change_interestgroupplan``) decides.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import permission_holders
from core.audit import audit_context
from core.notifications import notify

from .models import InterestGroup, InterestGroupMembership, InterestGroupPlan

DECIDE_PERMISSION = "activities.change_interestgroupplan"
CENT = Decimal("0.01")
EDITABLE_PLAN_STATUSES = (InterestGroupPlan.Status.DRAFT, InterestGroupPlan.Status.RETURNED)


# --- reads ----------------------------------------------------------------------------------------------------------

def interest_groups_for_member(member):
    """Active groups with their member counts and whether ``member`` belongs to each; two queries in all."""
    mine = InterestGroupMembership.objects.filter(group=OuterRef("pk"), member=member, left_at__isnull=True)
    return (InterestGroup.objects.filter(active=True).select_related("leader")
            .annotate(member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True)),
                      is_member=Exists(mine))
            .order_by("name"))


def interest_group_members(group):
    return (InterestGroupMembership.objects.filter(group=group, left_at__isnull=True)
            .select_related("member", "member__department").order_by("joined_at", "id"))


def interest_plan_years(today=None):
    """The years a leader may write a plan for: this year and the next (plans are due around the turn of the year)."""
    year = (today or timezone.localdate()).year
    return [year, year + 1]


# --- membership --------------------------------------------------------------------------------------------------

def interest_group_join(*, group, member, actor):
    """Join a group. Refused for an inactive group, for someone not on the roll, and when already a member."""
    if not group.active:
        raise ValidationError(_("The interest group “%(group)s” is not taking members at the moment.")
                              % {"group": group.name}, code="inactive")
    if not member.is_on_roll:
        raise ValidationError(_("Only members on the roll can join interest groups."), code="not_on_roll")
    already = _("You are already a member of “%(group)s”.") % {"group": group.name}
    if InterestGroupMembership.objects.filter(group=group, member=member, left_at__isnull=True).exists():
        raise ValidationError(already, code="already_member")
    try:
        with transaction.atomic(), audit_context(actor=actor):
            return InterestGroupMembership.objects.create(group=group, member=member, joined_at=timezone.now())
    except IntegrityError:
        # A double tap: the other request opened the membership first (partial unique constraint).
        raise ValidationError(already, code="already_member") from None


def interest_group_leave(*, group, member, actor):
    """Leave a group: the open membership is closed with ``left_at`` (kept as history). The leader cannot leave
    until the union office names another leader."""
    if group.leader_id == member.pk:
        raise ValidationError(_("As the leader of “%(group)s” you cannot leave it; ask the union office to name a "
                                "new leader first.") % {"group": group.name}, code="leader")
    with transaction.atomic(), audit_context(actor=actor):
        membership = (InterestGroupMembership.objects.select_for_update()
                      .filter(group=group, member=member, left_at__isnull=True).first())
        if membership is None:
            raise ValidationError(_("You are not a member of “%(group)s”.") % {"group": group.name},
                                  code="not_member")
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
    return membership


# --- the yearly plan ---------------------------------------------------------------------------------------------

def _check_leader(group, actor):
    if actor is None or group.leader_id is None or group.leader.user_id != actor.pk:
        raise PermissionDenied(_("Only the group's leader may write and submit its plan."))


def _clean_budget(budget):
    try:
        value = Decimal(str(budget)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter the budget as an amount in yuan, e.g. 3000.00."), code="budget") from None
    if value < 0:
        raise ValidationError(_("The budget cannot be negative."), code="budget_negative")
    return value


def interest_plan_save(*, group, year, activities, budget, actor, submit=False):
    """The leader writes (or rewrites) the group's plan for ``year``: planned activities and the budget requested
    (元, not negative). Only a draft or a returned plan can be changed; ``submit`` sends it to the chair as well."""
    _check_leader(group, actor)
    budget = _clean_budget(budget)
    activities = (activities or "").strip()
    if not activities:
        raise ValidationError(_("Describe the activities the group plans for the year."), code="activities")
    with transaction.atomic(), audit_context(actor=actor):
        plan = InterestGroupPlan.objects.select_for_update().filter(group=group, year=year).first()
        if plan is None:
            if year not in interest_plan_years():
                raise ValidationError(_("A plan can be written for this year or the next only."), code="year")
            try:
                with transaction.atomic():
                    plan = InterestGroupPlan.objects.create(group=group, year=year, activities=activities,
                                                            budget=budget)
            except IntegrityError:
                raise ValidationError(_("The plan was just saved in another window; open it again."),
                                      code="conflict") from None
        else:
            if plan.status not in EDITABLE_PLAN_STATUSES:
                raise ValidationError(_("The %(year)s plan is “%(status)s” and can no longer be changed.")
                                      % {"year": year, "status": plan.get_status_display()}, code="not_editable")
            plan.activities, plan.budget = activities, budget
            plan.save(update_fields=["activities", "budget"])
        if submit:
            plan = interest_plan_submit(plan=plan, actor=actor)
    return plan


def interest_plan_submit(*, plan, actor):
    """Draft or returned → submitted: the chair now decides. A returned plan keeps the chair's note until the next
    decision, so the leader can see what was asked."""
    _check_leader(plan.group, actor)
    with transaction.atomic(), audit_context(actor=actor):
        locked = InterestGroupPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status not in EDITABLE_PLAN_STATUSES:
            raise ValidationError(_("The %(year)s plan is “%(status)s”; only a draft or a returned plan can be "
                                    "submitted.") % {"year": locked.year, "status": locked.get_status_display()},
                                  code="not_submittable")
        locked.status = InterestGroupPlan.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
        _tell_deciders(locked)
    return locked


def _tell_deciders(plan):
    """Everyone who may approve or return the plan (the chair's role) hears that it is waiting for them."""
    deciders = permission_holders(DECIDE_PERMISSION)
    title = _("“%(group)s” submitted its %(year)s plan for your decision.") % {
        "group": plan.group.name, "year": plan.year}
    url = reverse("admin:activities_interestgroupplan_change", args=[plan.pk])
    for user in deciders:
        notify(user=user, title=title, body=plan.activities[:500], url=url)


def _decide(*, plan, actor, note, status, action):
    if not actor.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor, action=action):
        locked = (InterestGroupPlan.objects.select_for_update(of=("self",)).select_related("group__leader__user")
                  .get(pk=plan.pk))
        if locked.status != InterestGroupPlan.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted plan can be decided; this one is “%(status)s”.")
                                  % {"status": locked.get_status_display()}, code="not_submitted")
        locked.status = status
        locked.decision_note = (note or "").strip()
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        leader = locked.group.leader
        if leader is not None and leader.user is not None:
            title = (_("The %(year)s plan of “%(group)s” was approved.") if status == InterestGroupPlan.Status.APPROVED
                     else _("The %(year)s plan of “%(group)s” was returned for changes."))
            notify(user=leader.user, title=title % {"year": locked.year, "group": locked.group.name},
                   body=locked.decision_note,
                   url=reverse("activities:interest_plan", args=[locked.group_id, locked.year]))
    return locked


def interest_plan_approve(*, plan, actor, note=""):
    """Submitted → approved, with an optional note; the leader is told."""
    return _decide(plan=plan, actor=actor, note=note, status=InterestGroupPlan.Status.APPROVED,
                   action="activities.interest_plan.approved")


def interest_plan_return(*, plan, actor, note):
    """Submitted → returned, with a note saying what should change (required); the leader is told and can
    edit and resubmit."""
    if not (note or "").strip():
        raise ValidationError(_("Say why the plan is returned: the leader sees this note."), code="note_required")
    return _decide(plan=plan, actor=actor, note=note, status=InterestGroupPlan.Status.RETURNED,
                   action="activities.interest_plan.returned")
