"""Races on PostgreSQL: many handlers pressing the same button at once still give one open case per member and
one 送温暖 payment per case and holiday (row locks on the member and the case, plus the database constraint).

Each thread opens its own connection before the start signal and waits at a barrier, so the transactions really
race. SQLite serialises the whole database and would prove nothing: the test refuses to run on it.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from finance.models import Spending
from members.models import Member
from tests.factories import MemberFactory
from welfare.hardship import aid, services
from welfare.models import AidPayment, HardshipCase

from .helpers import approved_case, days_ago, poverty_line

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 12


def _race(work):
    """Run work(index) in THREADS threads released together; returns (successes, refusals, errors)."""
    barrier = threading.Barrier(THREADS)
    done, refused, errors = [], [], []

    def run(index):
        try:
            Member.objects.exists()  # open this thread's connection before the start
            barrier.wait(timeout=60)
            done.append(work(index))
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 — reported by the test
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return done, refused, errors


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("The concurrency tests need PostgreSQL: run them with `make test`.")


def test_simultaneous_applications_for_one_member_open_one_case(on_postgresql, welfare_officer):
    member = MemberFactory(name="张三明")
    line = poverty_line()

    def apply(index):
        return services.case_open(member=member, level="deep", household_income=Decimal("30000"),
                                  unavoidable_costs=Decimal("6000"), household_size=3, poverty_line=line,
                                  applied_on=days_ago(1), actor=welfare_officer)

    done, refused, errors = _race(apply)
    assert errors == []
    assert (len(done), len(refused)) == (1, THREADS - 1)
    assert all(error.code == "open_case_exists" for error in refused)
    assert HardshipCase.objects.filter(member=member).count() == 1


def test_simultaneous_warmth_rounds_pay_each_case_once(on_postgresql, welfare_officer):
    case = approved_case(welfare_officer)

    def record(index):
        return aid.warmth_batch_record(year=2027, holiday="春节", lines=[(case, Decimal("1000"))],
                                       actor=welfare_officer)

    done, refused, errors = _race(record)
    assert errors == []
    assert (len(done), len(refused)) == (1, THREADS - 1)
    assert AidPayment.objects.count() == 1 and Spending.objects.count() == 1
