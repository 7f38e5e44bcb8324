"""Two holiday gifts recorded at the same instant for the same member cannot together break the yearly holiday
total: the member's row is locked while the caps are checked. Threads on real PostgreSQL (SQLite would serialise the
whole database and prove nothing)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from tests.factories import MemberFactory, UserFactory
from welfare.care.services import visit_record
from welfare.models import GiftForm, Visit

from .factories import YEAR, D, day, make_policy, occasion

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("english_messages")]

THREADS = 12


def test_gifts_recorded_at_once_never_break_the_yearly_holiday_total():
    if connection.vendor != "postgresql":
        pytest.fail("The concurrency test needs PostgreSQL (row locks under real concurrency): run it with "
                    "`make test`.")
    make_policy(holiday_cap=D("1000.00"))
    member = MemberFactory(name="并发")
    actor = UserFactory(username="rush")
    holidays = [occasion(code) for code in ("mid_autumn", "dragon_boat", "national_day")]
    # Each gift is 400: two would fit (800), a third would make 1200; and each holiday is given once. Twelve race,
    # four per holiday.
    barrier = threading.Barrier(THREADS)
    recorded, refused, errors = [], [], []

    def give(index):
        try:
            holiday = holidays[index % len(holidays)]
            MemberFactory._meta.model.objects.get(pk=member.pk)  # open this thread's connection before the start
            barrier.wait(timeout=60)
            with translation.override("en"):  # each thread has its own active language
                visit_record(member=member, occasion=holiday, date=day(9, 1), form=GiftForm.GOODS,
                             amount=D("400.00"), actor=actor, year=YEAR)
            recorded.append(index)
        except ValidationError as refusal:
            refused.append(" ".join(refusal.messages))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=give, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(recorded) == 2 and len(refused) == THREADS - 2
    visits = Visit.objects.filter(member=member, status=Visit.Status.RECORDED)
    assert sum(v.amount for v in visits) == D("800.00")
    assert len({v.occasion_id for v in visits}) == 2
    assert all("yearly holiday total is 1,000.00" in message or "has already received" in message
               for message in refused), refused
    assert any("yearly holiday total is 1,000.00" in message for message in refused)
