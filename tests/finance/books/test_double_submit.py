"""The books' confirmation pages posted twice post once (core.admin_actions.confirm_action(once=…)): the same page
sent again (a double click, a reload) writes nothing and goes where the first went, saying so; a second page opened
in another tab is stopped by the state check of the service (a posted voucher is not posted again, a voucher is
reversed once, posted spending is not posted again)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.models import FiscalYear, Spending, Voucher
from finance.spending import spending_record
from tests.activities.factories import ActivityFactory
from tests.once import once

from .helpers import draft, posted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ALREADY = "This form was submitted already; nothing was recorded twice."


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_a_voucher_posted_twice_from_its_page_is_posted_once(treasurer, login):
    client = login(treasurer, use_client=Client())
    voucher = draft(treasurer)
    url = f"/admin/finance/voucher/{voucher.pk}/post/"
    page = once()
    assert client.post(url, page).status_code == 302
    second = client.post(url, page, follow=True)
    assert second.redirect_chain == [(f"/admin/finance/voucher/{voucher.pk}/change/", 302)]
    assert ALREADY in _messages(second)
    voucher.refresh_from_db()
    assert voucher.number == 1 and FiscalYear.objects.get(year=2027).last_voucher_number == 1
    # Another tab's page (its own token): the state check refuses it, nothing is numbered.
    other_tab = client.post(url, once())
    assert other_tab.status_code == 200 and "Only a draft voucher can be posted." in other_tab.content.decode()
    assert FiscalYear.objects.get(year=2027).last_voucher_number == 1


def test_a_voucher_reversed_twice_is_reversed_once(treasurer, login):
    client = login(treasurer, use_client=Client())
    voucher = posted(treasurer)
    url = f"/admin/finance/voucher/{voucher.pk}/reverse/"
    page = once(date="2027-03-31", reason="金额错误")
    assert client.post(url, page).status_code == 302
    second = client.post(url, page, follow=True)
    assert ALREADY in _messages(second)
    other_tab = client.post(url, once(date="2027-03-31", reason="金额错误"))
    assert "This voucher has been reversed already." in other_tab.content.decode()
    assert Voucher.objects.filter(reverses=voucher).count() == 1 and Voucher.objects.count() == 2


def test_spending_posted_twice_from_the_confirmation_is_booked_once(treasurer, chair, login):
    gift = spending_record(source=chair, amount=Decimal("120.00"), account_code="50105",
                           spent_on=datetime.date(2027, 5, 1), summary="生日蛋糕券", actor=treasurer)
    client = login(treasurer, use_client=Client())
    page = once({"action": "post_selected", "_selected_action": [gift.pk], "confirmed": "yes",
                 "date": "2027-05-02", "credit_account": "102"})
    assert client.post("/admin/finance/spending/", page).status_code == 302
    second = client.post("/admin/finance/spending/", page, follow=True)
    assert ALREADY in _messages(second)
    other_tab = client.post("/admin/finance/spending/", once(page))
    assert other_tab.status_code == 200  # nothing left to post: refused on the page
    assert Voucher.objects.count() == 1
    gift.refresh_from_db()
    assert gift.state == "posted"


def test_an_activity_cost_sent_twice_is_recorded_once(treasurer, login):
    activity = ActivityFactory()
    client = login(treasurer, use_client=Client())
    page = once({"activity": activity.pk, "account": "50102", "amount": "880.00", "spent_on": "2027-04-20",
                 "summary": "春游大巴"})
    assert client.post("/admin/finance/spending/record-activity/", page).status_code == 302
    second = client.post("/admin/finance/spending/record-activity/", page, follow=True)
    assert ALREADY in _messages(second)
    assert Spending.objects.count() == 1


def test_a_confirmation_without_its_token_posts_nothing(treasurer, login):
    client = login(treasurer, use_client=Client())
    voucher = draft(treasurer)
    response = client.post(f"/admin/finance/voucher/{voucher.pk}/post/")
    assert response.status_code == 200 and "out of date or was not opened from the portal" in response.content.decode()
    voucher.refresh_from_db()
    assert voucher.number is None and 'name="form_token"' in response.content.decode()
