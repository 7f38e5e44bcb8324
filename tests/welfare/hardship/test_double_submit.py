"""Money and messages of hardship cases sent twice record once: an aid payment, the 送温暖 round and an objection
to a 公示, each submitted a second time with the same form token (core.idempotency)."""

from decimal import Decimal

import pytest
from django.test import Client

from core.models import Notification
from finance.models import Spending
from tests.factories import MemberFactory
from tests.once import once
from welfare.hardship.selectors import case_handlers
from welfare.models import AidPayment

from .helpers import approved_case, kind, noticed_case

pytestmark = pytest.mark.django_db

ALREADY_ZH = "已提交过，未重复记录"


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_an_aid_payment_sent_twice_is_paid_once(login, welfare_officer):
    case = approved_case(welfare_officer)
    client = login(welfare_officer, use_client=Client())
    url = f"/welfare/cases/{case.pk}/payments/new/"
    data = once({"kind": kind("living").pk, "amount": "1500.00", "paid_on": str(case.approved_on), "note": "一月"})
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert AidPayment.objects.count() == 1 and Spending.objects.count() == 1
    assert Spending.objects.get().amount == Decimal("1500.00")
    assert second.redirect_chain == [(f"/welfare/cases/{case.pk}/", 302)]
    assert any(ALREADY_ZH in message for message in _messages(second))
    # A second payment is a second form: it is recorded (aid may be paid in instalments).
    assert client.post(url, once(data)).status_code == 302
    assert AidPayment.objects.count() == 2


def test_the_warmth_round_sent_twice_is_paid_once(login, welfare_officer):
    case = approved_case(welfare_officer)
    client = login(welfare_officer, use_client=Client())
    url = "/welfare/cases/warmth/?year=2027&holiday=春节"
    data = once({f"amount-{case.pk}": "1000.00"})
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert AidPayment.objects.filter(case=case).count() == 1
    assert Spending.objects.filter(account__code="50302").count() == 1
    assert any(ALREADY_ZH in message for message in _messages(second))


def test_an_objection_sent_twice_is_received_once(login, welfare_officer, group_leader):
    noticed = noticed_case(welfare_officer, start=2, member=MemberFactory(name="王小明"))
    client = login(group_leader, use_client=Client())
    before = Notification.objects.count()
    data = once(text="情况不实")
    client.post(f"/welfare/cases/notices/{noticed.pk}/object/", data)
    second = client.post(f"/welfare/cases/notices/{noticed.pk}/object/", data, follow=True)
    assert noticed.objections.count() == 1
    assert Notification.objects.count() - before == len(case_handlers()) >= 1  # each handler told once
    assert second.redirect_chain == [("/welfare/cases/notices/", 302)]
    assert any(ALREADY_ZH in message for message in _messages(second))
