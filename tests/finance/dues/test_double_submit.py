"""A dues payment in person sent twice books once, and a month is never paid more than it owes: the same form token
a second time writes nothing (core.idempotency); a second form for a month already paid is refused with the figures
(the probe booked 73.50 against 33.50 owed)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from finance.dues import services
from finance.models import DuesRecord, Voucher
from tests.factories import MemberFactory
from tests.once import once

pytestmark = pytest.mark.django_db

ALREADY_ZH = "已提交过，未重复记录"
OWED = Decimal("28.35")  # 0.5% of a dues base of 5,678.90, rounded half up


@pytest.fixture
def payer(db):
    return MemberFactory(name="缴费人", dues_base=Decimal("5678.90"))


def _pay(client, member, amount, **extra):
    return client.post(f"/finance/dues/member/{member.pk}/pay/", once({
        "year": 2026, "month": 8, "amount": amount, "received_on": "2026-10-13", "account": "101", **extra}))


def test_a_payment_in_person_sent_twice_is_booked_once(payer, treasurer, login):
    client = login(treasurer, use_client=Client())
    data = once({"year": 2026, "month": 8, "amount": "28.35", "received_on": "2026-10-13", "account": "101"})
    url = f"/finance/dues/member/{payer.pk}/pay/"
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert second.redirect_chain == [(f"/finance/dues/member/{payer.pk}/", 302)]
    assert any(ALREADY_ZH in str(message) for message in second.context["messages"])
    assert Voucher.objects.count() == 1
    assert DuesRecord.objects.get(member=payer).paid == OWED


def test_a_month_cannot_be_paid_more_than_it_owes(payer, treasurer, login, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(treasurer, use_client=Client())
    assert _pay(client, payer, "20.00").status_code == 302
    refused = _pay(client, payer, "28.35")  # a second form, as a second tab would send it
    assert refused.status_code == 200
    assert ("2026-08: 缴费人 owes 28.35 yuan for the month and has paid 20.00; a payment of 28.35 would be more "
            "than is owed. Nothing was recorded.") in refused.content.decode()
    assert 'value="28.35"' in refused.content.decode()  # the form stays filled in
    assert _pay(client, payer, "8.35").status_code == 302  # the rest of the month is taken
    assert DuesRecord.objects.get(member=payer).paid == OWED and Voucher.objects.count() == 2
    assert _pay(client, payer, "0.01").status_code == 200
    assert Voucher.objects.count() == 2


def test_nothing_is_paid_for_a_month_that_owes_nothing(treasurer, english_messages):
    nobody = MemberFactory(dues_base=Decimal("0.00"))
    with pytest.raises(ValidationError, match="owes 0.00 yuan"):
        services.dues_pay_in_person(member=nobody, year=2026, month=8, amount=Decimal("10.00"),
                                    received_on=datetime.date(2026, 10, 13), actor=treasurer)
    assert not Voucher.objects.exists() and not DuesRecord.objects.exists()
