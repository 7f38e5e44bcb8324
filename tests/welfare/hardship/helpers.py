"""Shared set-up for the hardship tests: cases built through the services, at a chosen workflow step."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import MemberFactory
from welfare.hardship import services
from welfare.models import AidKind, HardshipLevel, PovertyLine

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def poverty_line(amount="1000.00"):
    """A 低保 line of `amount` a month: the seeded example when it matches (a transactional test restores the seeded
    rows without moving PostgreSQL's id sequence, so creating another row there would collide)."""
    return (PovertyLine.objects.filter(monthly_amount=Decimal(amount)).order_by("-year").first()
            or PovertyLine.objects.create(region="测试市", year=TODAY().year, monthly_amount=Decimal(amount)))


def open_case(actor, *, member=None, income="30000", costs="6000", size=3, level=HardshipLevel.DEEP, applied=40,
              **kwargs):
    return services.case_open(member=member or MemberFactory(name="张三明"), level=level,
                              household_income=Decimal(income), unavoidable_costs=Decimal(costs),
                              household_size=size, poverty_line=poverty_line(), applied_on=days_ago(applied),
                              actor=actor, **kwargs)


def visited_case(actor, **kwargs):
    case = open_case(actor, **kwargs)
    services.case_visit(case=case, visited_on=days_ago(35), visitors="李四、王五", findings="属实", actor=actor)
    return case


def noticed_case(actor, *, start=30, **kwargs):
    case = visited_case(actor, **kwargs)
    services.case_notice(case=case, start=days_ago(start), proposed_aid=Decimal("2000.00"),
                         proposed_aid_note="生活救助", actor=actor)
    return case


def approved_case(actor, *, approved=10, **kwargs):
    case = noticed_case(actor, **kwargs)
    services.case_approve(case=case, approved_on=days_ago(approved), actor=actor)
    case.refresh_from_db()
    return case


def kind(code):
    return AidKind.objects.get(code=code)


