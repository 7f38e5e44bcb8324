"""Two requests with the same form token at the same instant record once: the second waits on the token's unique
index, finds it taken and is sent where the first went; nothing of it is written. And two different payments of
the same dues month at once are counted one after the other (the member's row is locked), so the month is never
paid more than it owes. Threads on real PostgreSQL, each with its own connection (SQLite would serialise the whole
database and prove nothing)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import FormSubmission
from finance.models import DuesRecord, Spending, Voucher
from tests.conftest import books_opened_unless_marked
from tests.factories import MemberFactory
from tests.once import once
from tests.welfare.care.factories import make_policy, occasion
from tests.welfare.hardship.helpers import approved_case, kind
from welfare.models import AidPayment, BenefitPolicy, Visit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 2


def _race(clients, url, payloads):
    """POST payloads[i] with clients[i], all released at once; the status codes, in no particular order."""
    if connection.vendor != "postgresql":
        pytest.fail("The race test needs PostgreSQL (a unique index under real concurrency): run it with "
                    "`make test`.")
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []

    def post(client, data):
        try:
            FormSubmission.objects.exists()  # open this thread's connection before the start
            barrier.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return statuses


def _clients(login, user):
    """One logged-in browser (a TOTP code is taken once), its session shared by every thread, as a double click."""
    first = login(user, use_client=Client())
    others = [Client() for _ in range(THREADS - 1)]
    for other in others:
        other.cookies.load({name: morsel.value for name, morsel in first.cookies.items()})
    return [first, *others]


def test_a_cash_visit_posted_twice_at_once_is_recorded_once(login, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    year = timezone.localdate().year
    BenefitPolicy.objects.filter(year=year).update(in_use=False)
    make_policy(year, region="并发测试")
    member = MemberFactory(name="并发")
    data = once({"member": member.pk, "occasion": occasion("hospital").pk, "date": timezone.localdate().isoformat(),
                 "form": "cash", "amount": "800.00"})
    statuses = _race(_clients(login, welfare_officer), "/welfare/visits/new/", [data] * THREADS)
    assert statuses == [302] * THREADS
    assert Visit.objects.count() == 1 and Spending.objects.count() == 1 and FormSubmission.objects.count() == 1


def test_an_aid_payment_posted_twice_at_once_is_paid_once(login, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    case = approved_case(welfare_officer)
    data = once({"kind": kind("living").pk, "amount": "1500.00", "paid_on": str(case.approved_on)})
    statuses = _race(_clients(login, welfare_officer), f"/welfare/cases/{case.pk}/payments/new/", [data] * THREADS)
    assert statuses == [302] * THREADS
    assert AidPayment.objects.count() == 1 and Spending.objects.count() == 1


def test_a_dues_payment_posted_twice_at_once_is_booked_once(login, treasurer, settings):
    settings.LANGUAGE_CODE = "en"
    payer = MemberFactory(dues_base=Decimal("5678.90"))
    data = once({"year": 2026, "month": 8, "amount": "28.35", "received_on": "2026-10-13", "account": "101"})
    statuses = _race(_clients(login, treasurer), f"/finance/dues/member/{payer.pk}/pay/", [data] * THREADS)
    assert statuses == [302] * THREADS
    assert Voucher.objects.count() == 1 and DuesRecord.objects.get(member=payer).paid == Decimal("28.35")


def test_two_payments_of_one_month_at_once_never_pay_more_than_owed(login, treasurer, settings):
    settings.LANGUAGE_CODE = "en"
    payer = MemberFactory(dues_base=Decimal("5678.90"))
    forms = [once({"year": 2026, "month": 8, "amount": "28.35", "received_on": "2026-10-13", "account": "101"})
             for _ in range(THREADS)]  # two tabs, each its own token
    statuses = _race(_clients(login, treasurer), f"/finance/dues/member/{payer.pk}/pay/", forms)
    assert sorted(statuses) == [200, 302]  # one booked, the other refused on its form
    assert Voucher.objects.count() == 1 and DuesRecord.objects.get(member=payer).paid == Decimal("28.35")


@pytest.fixture(autouse=True)
def _books_opened(request):
    """Fiscal years are opened on purpose (finance.books.services.year_open); these tests post into 2020-2035."""
    books_opened_unless_marked(request)
