"""Demo care data through the care services: the sample policy for 2026, a few visits, an open care report and the
2026 中秋 distribution. Re-runnable: what exists is left alone."""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from members.models import Member

from ..models import BenefitPolicy, Distribution, GiftForm, Occasion, Visit
from .selectors import distribution_candidates
from .services import care_report_create, distribution_record, policy_copy_to_year, visit_record

DEMO_YEAR = 2026


def _policy(year, actor):
    """The policy in use for `year`; the migration seeded the sample for the year it ran and the next, so an older
    or later demo year gets a copy of the nearest one."""
    policy = BenefitPolicy.objects.filter(year=year, in_use=True).first()
    if policy is None:
        nearest = BenefitPolicy.objects.order_by("year").first()
        policy = policy_copy_to_year(policy=nearest, year=year, actor=actor)
    return policy


@transaction.atomic
def build_demo_care():
    actor = User.objects.filter(username="welfare").first() or User.objects.filter(is_superuser=True).first()
    if actor is None:
        return {"visits": 0}
    _policy(DEMO_YEAR, actor)
    occasion = {o.code: o for o in Occasion.objects.all()}
    mid_autumn = occasion["mid_autumn"]
    if Distribution.objects.filter(occasion=mid_autumn, year=DEMO_YEAR).exists():
        return {"visits": 0}
    members = list(Member.objects.in_service().order_by("pk")[:12])
    if len(members) < 6:
        return {"visits": 0}
    singles = [
        (members[0], "hospital", datetime.date(DEMO_YEAR, 3, 12), GiftForm.CASH, "800.00", "省立医院骨科住院"),
        (members[1], "wedding", datetime.date(DEMO_YEAR, 5, 2), GiftForm.GOODS, "600.00", "新婚慰问：床品一套"),
        (members[2], "childbirth", datetime.date(DEMO_YEAR, 6, 18), GiftForm.VOUCHER, "500.00", "母婴用品券"),
        (members[3], "birthday", datetime.date(DEMO_YEAR, 4, 8), GiftForm.VOUCHER, "200.00", "蛋糕券"),
        (members[4], "family_death", datetime.date(DEMO_YEAR, 8, 21), GiftForm.CASH, "1000.00", "父亲去世，上门慰问"),
    ]
    count = 0
    for member, code, date, form, amount, notes in singles:
        visit_record(member=member, occasion=occasion[code], date=date, form=form, amount=Decimal(amount),
                     visitors=["工会主席", "福利委员"], notes=notes, signed_by=member.name, actor=actor)
        count += 1
    care_report_create(member=members[5], occasion=occasion["hospital"], date=datetime.date(DEMO_YEAR, 11, 20),
                       note="市第一人民医院 8 楼，阑尾炎手术", actor=actor)
    rule, candidates = distribution_candidates(occasion=mid_autumn, year=DEMO_YEAR)
    if rule is not None:
        lines = [(c.member, c.standard, GiftForm.GOODS) for c in candidates if not c.already]
        distribution_record(occasion=mid_autumn, year=DEMO_YEAR, date=datetime.date(DEMO_YEAR, 9, 20), lines=lines,
                            actor=actor)
        count += len(lines)
    return {"visits": count, "total": Visit.objects.filter(year=DEMO_YEAR).count()}
