"""Helpers for the care tests: a policy for a fixed year (so tests do not depend on today's date)."""

import datetime
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection

from finance.models import Account
from welfare.models import BenefitPolicy, Occasion, OccasionRule

YEAR = 2030
D = Decimal


def occasion(code):
    return Occasion.objects.get(code=code)


def _reset_sequences():
    """After a transactional test, tests/conftest.py restores the migrated rows (the seeded policies) with their ids
    but PostgreSQL's sequences start again at 1: move them past the restored rows before adding more."""

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Occasion, BenefitPolicy, OccasionRule]):
            cursor.execute(sql)


def make_policy(year=YEAR, *, holiday_cap=D("1500.00"), region="测试省"):
    """Caps as in the Anhui sample, plus a Guizhou-style 春节 cap of 500 per year."""
    _reset_sequences()
    policy = BenefitPolicy.objects.create(year=year, region=region, name=f"测试 {year}", holiday_yearly_cap=holiday_cap)
    account = Account.objects.get(code="50105")
    rules = {
        "birthday": dict(cap_per_event=D("300.00"), cap_per_year=D("300.00"), allow_cash=False),
        "spring_festival": dict(cap_per_year=D("500.00"), standard_amount=D("400.00"), allow_cash=False),
        "mid_autumn": dict(standard_amount=D("300.00"), allow_cash=False),
        "dragon_boat": dict(standard_amount=D("200.00"), allow_cash=False),
        "national_day": dict(standard_amount=D("200.00"), allow_cash=False),
        "hospital": dict(cap_per_event=D("1000.00"), allow_cash=True, retirees_eligible=True),
        "member_death": dict(cap_per_event=D("2000.00"), allow_cash=True, retirees_eligible=True),
        "wedding": dict(cap_per_event=D("600.00"), allow_cash=False),
    }
    for code, fields in rules.items():
        OccasionRule.objects.create(policy=policy, occasion=occasion(code), account=account, **fields)
    return policy


def day(month, dd, year=YEAR):
    return datetime.date(year, month, dd)


