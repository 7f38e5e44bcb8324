"""Demo hardship cases, aid and 医疗互助 built through the services (re-runnable: members with a case are skipped).

Five households at different workflow steps — applied, visited, on public notice now, approved with aid paid,
closed — and the demo union enrolled in this year's 医疗互助 plans when the plans exist.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from members.models import Member

from ..models import AidKind, HardshipCase, HardshipCause, MedicalAidPlan, PovertyLine
from . import aid, services

# (income per year, unavoidable costs, household size, level, how far along, causes)
HOUSEHOLDS = [
    (Decimal("30000"), Decimal("6000"), 3, "deep", "approved", ["本人或家属患大病"]),
    (Decimal("52000"), Decimal("8000"), 3, "relative", "notice", ["子女就学负担重"]),
    (Decimal("60000"), Decimal("52000"), 4, "accident", "visited", ["意外事故"]),
    (Decimal("28000"), Decimal("2000"), 2, "relative", "applied", ["残疾"]),
    (Decimal("40000"), Decimal("5000"), 3, "relative", "closed", ["家庭成员下岗失业"]),
]


def build_demo_hardship(*, today=None):
    """Create the demo cases if none exist yet. Returns the number of cases created."""
    today = today or timezone.localdate()
    actor = User.objects.filter(username="welfare").first() or User.objects.filter(is_superuser=True).first()
    line = PovertyLine.objects.order_by("-year").first()
    if actor is None or line is None or HardshipCase.objects.exists():
        return 0
    members = list(Member.objects.in_service().filter(user__isnull=True).order_by("pk")[:40:8])
    day = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    created = 0
    with transaction.atomic():
        for member, (income, costs, size, level, stage, causes) in zip(members, HOUSEHOLDS, strict=False):
            suggested = services.rules.suggest_level(income=income, costs=costs, size=size,
                                                     line=line.monthly_amount, thresholds=services.thresholds_for(
                                                         day(90).year))
            case = services.case_open(
                member=member, level=level, household_income=income, unavoidable_costs=costs, household_size=size,
                poverty_line=line, applied_on=day(90), causes=HardshipCause.objects.filter(name__in=causes),
                level_reason="" if level == suggested else "示例：走访核实后调整", actor=actor)
            created += 1
            if stage == "applied":
                continue
            services.case_visit(case=case, visited_on=day(80), visitors="工会主席、福利委员",
                                findings="入户核实家庭收入与医疗票据，情况属实。", actor=actor)
            if stage == "visited":
                continue
            start = day(2) if stage == "notice" else day(70)
            services.case_notice(case=case, start=start, proposed_aid=Decimal("2000.00"),
                                 proposed_aid_note="生活救助", actor=actor)
            if stage == "notice":
                continue
            services.case_approve(case=case, approved_on=day(60), actor=actor)
            if stage == "closed":
                services.case_close(case=case, reason="out_of_hardship", closed_on=day(10),
                                    note="家属再就业，收入恢复。", actor=actor)
                continue
            aid.aid_payment_record(case=case, kind=AidKind.objects.get(code="living"), amount=Decimal("2000.00"),
                                   paid_on=day(50), note="季度生活救助", actor=actor)
        for plan in MedicalAidPlan.objects.filter(year=today.year, enrolments__isnull=True):
            aid.medical_enrol_all(plan=plan, actor=actor)
    return created
