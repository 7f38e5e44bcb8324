"""Reads of hardship cases, with the confidentiality rule in one place.

Only users with ``welfare.handle_hardship_case`` (the chair and welfare officers, granted by migration) may know a
case exists: everyone else gets a 404 for every case URL. The public notice (公示) is the one exception, and it
shows masked names and no figures that identify anybody.
"""

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from core.masking import mask_name

from .models import CaseState, HardshipCase, MedicalAidEnrolment

HANDLE_PERM = "welfare.handle_hardship_case"


def can_handle_cases(user):
    return bool(user and user.is_authenticated and user.has_perm(HANDLE_PERM))


def require_handler(user):
    """404 (not 403) for anyone who is not a case handler: they should not learn that cases exist."""
    if not can_handle_cases(user):
        raise Http404


def case_base_queryset():
    return HardshipCase.objects.select_related("member", "member__department", "poverty_line")


def cases_for_handler(user, *, state=None, level=None, query=None):
    require_handler(user)
    qs = case_base_queryset()
    if state:
        qs = qs.filter(state=state)
    if level:
        qs = qs.filter(level=level)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(member__name__icontains=query))
    return qs.annotate(open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True)))


def case_get_for_user(*, user, pk):
    """Fetch and authorise in one call: 404 for anyone but a handler, and for a case that does not exist."""
    require_handler(user)
    case = case_base_queryset().prefetch_related("causes").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_history(case):
    return case.steps.select_related("actor").order_by("recorded_at", "pk")


def case_payments(case):
    return case.payments.select_related("kind", "recorded_by").order_by("paid_on", "pk")


def cases_due_for_review(*, on):
    """Open approved cases whose yearly review is due on or before `on` (due = last review, or the approval,
    + 1 year; kept on the case as ``review_due_on``). One query whatever the number of cases."""
    return (HardshipCase.objects.select_related("member")
            .filter(state=CaseState.APPROVED, review_due_on__lte=on).order_by("review_due_on", "pk"))


def case_handlers():
    """The users who handle cases (chair and welfare officers): holders of the case permission through their
    role or directly, active. One query."""
    from .hardship_services import handlers_queryset

    return handlers_queryset()


def notices_open(*, on=None):
    """Cases on public notice today, as the notice shows them: masked name, level, proposed aid, window."""
    on = on or timezone.localdate()
    cases = (HardshipCase.objects.select_related("member")
             .filter(state=CaseState.NOTICE, notice_start__lte=on, notice_end__gte=on).order_by("notice_start", "pk"))
    return [{"pk": case.pk, "number": case.number, "masked_name": mask_name(case.member.name),
             "level": case.get_level_display(), "proposed_aid": case.proposed_aid,
             "proposed_aid_note": case.proposed_aid_note, "notice_start": case.notice_start,
             "notice_end": case.notice_end} for case in cases]


def notice_case_or_404(*, pk, on=None):
    on = on or timezone.localdate()
    case = HardshipCase.objects.filter(pk=pk, state=CaseState.NOTICE, notice_start__lte=on,
                                       notice_end__gte=on).first()
    if case is None:
        raise Http404
    return case


def enrolments_for_plan(plan):
    return (MedicalAidEnrolment.objects.filter(plan=plan)
            .select_related("member", "member__department", "enrolled_by").order_by("member__name_initials", "pk"))


def enrolment_totals(plan):
    """Headcount and contributions of a plan, the total to the fen (SQLite sums drop trailing zeros)."""
    from .hardship_rules import to_fen

    totals = MedicalAidEnrolment.objects.filter(plan=plan).aggregate(count=Count("pk"), total=Sum("contribution"))
    totals["total"] = to_fen(totals["total"] or 0)
    return totals
