"""In a real browser, on a phone: the welfare officer records a hospital visit over the cap, sees the refusal that
names the rule and the figures, corrects the amount and sees the visit recorded."""

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import expect

from finance.spending import spending_for
from tests.browser.conftest import browser_login
from tests.factories import MemberFactory
from tests.welfare.care.factories import make_policy
from welfare.models import BenefitPolicy, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_welfare_officer_is_refused_over_the_cap_then_records_the_visit(live_server, welfare_officer,
                                                                           phone_page):
    year = timezone.localdate().year
    BenefitPolicy.objects.filter(year=year).update(in_use=False)
    make_policy(year, region="浏览器测试")
    member = MemberFactory(name="住院的同志")
    page = phone_page
    browser_login(page, live_server, welfare_officer,
                  totp=Authenticator.objects.filter(user=welfare_officer).exists())

    page.goto("/welfare/")
    page.get_by_role("link", name="Record a visit").click()
    page.select_option("select[name=member]", str(member.pk))
    page.select_option("select[name=occasion]", label="生病住院")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.select_option("select[name=form]", value="cash")
    page.fill("input[name=amount]", "1000.01")
    page.fill("input[name=visitors]", "王主席, 李委员")
    page.fill("input[name=signed_by]", "家属")
    page.get_by_role("button", name="Record").click()

    expect(page.locator("#refusals")).to_contain_text("生病住院 cap is 1,000.00 per event; this gift is 1,000.01.")
    assert not Visit.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.fill("input[name=amount]", "1000.00")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("ul.messages")).to_contain_text("Recorded: 生病住院 for 住院的同志, 1,000.00 yuan.")
    expect(page.locator("#visit-amount")).to_have_text("1,000.00")
    visit = Visit.objects.get(member=member)
    assert spending_for(visit).amount == visit.amount
    assert page.js_errors == []
