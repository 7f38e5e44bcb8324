"""Reads of hardship cases: querysets and figures, no writes and no authorisation (that is ``access.py``: only
case handlers may know a case exists; the public notice is the one exception, masked)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import permission_holders
from core.masking import mask_name
from core.money import money, to_fen
from core.year_sections import YearSection

from ..models import AidPayment, CaseState, HardshipCase, MedicalAidEnrolment, MedicalAidPlan


def case_base_queryset():
    return HardshipCase.objects.select_related("member", "member__department", "poverty_line")


def cases_listed(*, state=None, level=None, query=None):
    """The case list, filtered; each case with its count of open objections."""
    qs = case_base_queryset()
    if state:
        qs = qs.filter(state=state)
    if level:
        qs = qs.filter(level=level)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(member__name__icontains=query))
    return qs.annotate(open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True)))


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
    """The users who handle cases (chair and welfare officers): active holders of the case permission through
    their role or directly (not superusers by default). One query."""
    return permission_holders("welfare.handle_hardship_case")


def notices_open(*, on=None):
    """Cases on public notice today, as the notice shows them: masked name, level, proposed aid, window."""
    on = on or timezone.localdate()
    cases = (HardshipCase.objects.select_related("member")
             .filter(state=CaseState.NOTICE, notice_start__lte=on, notice_end__gte=on).order_by("notice_start", "pk"))
    return [{"pk": case.pk, "number": case.number, "masked_name": mask_name(case.member.name),
             "level": case.get_level_display(), "proposed_aid": case.proposed_aid,
             "proposed_aid_note": case.proposed_aid_note, "notice_start": case.notice_start,
             "notice_end": case.notice_end} for case in cases]


def medical_plans():
    return MedicalAidPlan.objects.all()


def enrolments_for_plan(plan):
    return (MedicalAidEnrolment.objects.filter(plan=plan)
            .select_related("member", "member__department", "enrolled_by").order_by("member__name_initials", "pk"))


def enrolment_totals(plan):
    """Headcount and contributions of a plan, the total to the fen (SQLite sums drop trailing zeros)."""
    totals = MedicalAidEnrolment.objects.filter(plan=plan).aggregate(count=Count("pk"), total=Sum("contribution"))
    totals["total"] = to_fen(totals["total"] or 0)
    return totals


def year_section(year):
    """帮扶救助 for the year-end summary: cases opened, households helped and aid paid per kind. Counts and money
    only: a hardship case is confidential, so no name or case number appears."""
    opened = HardshipCase.objects.filter(applied_on__year=year).count()
    payments = AidPayment.objects.filter(paid_on__year=year)
    households = payments.values("case_id").distinct().count()
    rows = list(payments.values("kind__name").annotate(count=Count("pk"), amount=Sum("amount")).order_by("kind__name"))
    total_amount = sum((row["amount"] for row in rows), Decimal("0.00"))
    return YearSection(
        title=_("Hardship aid"), headers=[_("Kind of aid"), _("Payments"), _("Amount (yuan)")],
        rows=[[row["kind__name"], row["count"], money(row["amount"])] for row in rows],
        total=[_("Total"), sum(row["count"] for row in rows), money(total_amount)],
        note=_("%(opened)s cases opened during the year; %(households)s households received aid.")
        % {"opened": opened, "households": households})


def cases_by_state():
    """{state: number of cases} (one query): the workbench's chart; the case list filters by the same states."""
    return dict(HardshipCase.objects.order_by().values_list("state").annotate(n=Count("pk")))
