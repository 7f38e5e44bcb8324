"""Posting from several connections at once still numbers vouchers without gaps or repeats (PostgreSQL: the
year's counter row is locked while a number is allocated)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from finance.books import services
from finance.models import FiscalYear, Voucher

from .helpers import draft

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; nothing to race")
def test_concurrent_posting_leaves_no_gap(treasurer):
    drafts = [draft(treasurer, date=datetime.date(2027, 1, 1 + index)) for index in range(12)]
    barrier = threading.Barrier(4)
    errors = []

    def post(chunk):
        try:
            barrier.wait()
            for voucher in chunk:
                services.voucher_post(voucher=voucher, actor=treasurer)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(drafts[index::4],)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Voucher.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 13)) and FiscalYear.objects.get(year=2027).last_voucher_number == 12
