"""Who may see hardship cases, in one place (fetch and authorise).

Only users with ``welfare.handle_hardship_case`` (the chair and welfare officers, granted by migration) may know a
case exists: everyone else gets a 404 for every case URL. The public notice (公示) is the one exception: members on
the roll see it, with masked names and no figures that identify anybody.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members.selectors import member_for_user

from ..models import CaseState, HardshipCase, MedicalAidPlan
from .selectors import case_base_queryset

HANDLE_PERM = "welfare.handle_hardship_case"


def can_handle_cases(user):
    return bool(user and user.is_authenticated and user.has_perm(HANDLE_PERM))


def require_handler(user):
    """404 (not 403) for anyone who is not a case handler: they should not learn that cases exist."""
    if not can_handle_cases(user):
        raise Http404


def case_for_user(*, user, pk):
    """Fetch and authorise in one call: 404 for anyone but a handler, and for a case that does not exist."""
    require_handler(user)
    case = case_base_queryset().prefetch_related("causes").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def medical_plan_for_user(*, user, pk):
    """A 医疗互助 plan, for case handlers only (404 for anyone else)."""
    require_handler(user)
    return get_object_or_404(MedicalAidPlan, pk=pk)


def notice_member_for_user(*, user):
    """The member record of a notice reader: the public notice is for members on the roll; 404 for anyone else."""
    member = member_for_user(user)
    if member is None or not member.is_on_roll:
        raise Http404
    return member


def notice_case_for_user(*, user, pk, on=None):
    """A case on public notice today, for a member on the roll who may object to it; 404 otherwise."""
    notice_member_for_user(user=user)
    on = on or timezone.localdate()
    case = HardshipCase.objects.filter(pk=pk, state=CaseState.NOTICE, notice_start__lte=on,
                                       notice_end__gte=on).first()
    if case is None:
        raise Http404
    return case
