"""Two treasurers' tabs posting the same month's list in the same instant: one voucher, no gap in the numbering.

Each thread has its own PostgreSQL connection and waits at a barrier, so the posts really race; the loser is
stopped by the one-list-per-month constraint after waiting for the year's voucher counter, and everything it
wrote is rolled back (its voucher number included). SQLite would serialise the database and prove nothing.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from finance.dues import services
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.dues.payroll import read_payroll_file
from finance.models import DuesImport, DuesRecord, FiscalYear, Voucher
from tests.factories import MemberFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 4


def test_a_month_raced_by_several_posts_is_booked_once(treasurer, settings):
    settings.LANGUAGE_CODE = "en"
    if connection.vendor != "postgresql":
        pytest.fail("The race test needs PostgreSQL: run it with `make test`.")
    for _ in range(5):
        MemberFactory(dues_base=Decimal("5678.90"))
    rows = read_payroll_file(deduction_list_xlsx(deduction_rows(year=2026, month=9)), "l.xlsx")
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def post():
        try:
            FiscalYear.objects.exists()  # open this thread's connection before the start
            barrier.wait(timeout=30)
            services.dues_import_post(rows=rows, year=2026, month=9, received_on=datetime.date(2026, 10, 12),
                                      actor=treasurer)
            outcomes.append("posted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert outcomes.count("posted") == 1
    assert all("already posted" in outcome for outcome in outcomes if outcome != "posted")
    assert DuesImport.objects.count() == 1 and Voucher.objects.count() == 1
    assert Voucher.objects.get().number == 1 and FiscalYear.objects.get(year=2026).last_voucher_number == 1
    assert DuesRecord.objects.filter(paid=Decimal("28.35")).count() == 5
