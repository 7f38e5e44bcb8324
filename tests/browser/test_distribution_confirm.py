"""In a real browser at 1366 px, in Chinese and in English: the welfare officer checks a holiday distribution, sees
the line in error marked with a link at the top, corrects it, sees the count and the total on the confirmation
page, goes back (what was entered is kept), and records; nothing is written before the answer."""

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.factories import MemberFactory, UnionGroupFactory
from tests.welfare.care.factories import make_policy
from welfare.care.selectors import distribution_candidates
from welfare.models import BenefitPolicy, Distribution, Occasion, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "zh-CN": {"check": "核对清单", "record": "登记这 {count} 份慰问", "back": "返回名单修改",
              "summary": "将为 {count} 名会员登记 {year} 中秋节日慰问，合计 {total} 元。", "row": "第 3 行："},
    "en-US": {"check": "Check the list", "record": "Record {count} gifts", "back": "Back to the list to change it",
              "summary": "{count} members will be recorded as receiving the {year} 中秋 holiday gift, {total} yuan "
                         "in all.", "row": "Row 3: "},
}


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_welfare_officer_checks_confirms_and_records_a_holiday_distribution(live_server, welfare_officer,
                                                                               new_context, locale):
    year = timezone.localdate().year
    BenefitPolicy.objects.filter(year=year).update(in_use=False)
    make_policy(year, region="浏览器测试")
    group = UnionGroupFactory(name="机关一组", sort_order=0)
    MemberFactory.create_batch(11, union_group=group, department=group.department)
    holiday = Occasion.objects.get(code="mid_autumn")
    count = len(distribution_candidates(occasion=holiday, year=year)[1])
    total = f"{300 * count:,}.00"
    texts = TEXTS[locale]
    page = new_context("desktop", locale=locale).new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, welfare_officer,
                  totp=Authenticator.objects.filter(user=welfare_officer).exists())
    page.goto(f"/welfare/distributions/new/?occasion={holiday.pk}&year={year}")
    # Cash is not offered for a holiday gift.
    assert page.locator('select[name="form-0-form"] option[value="cash"]').count() == 0

    # The third line asks for more than the yearly holiday total: marked, with a link at the top.
    page.fill('input[name="form-2-amount"]', "1500.01")
    page.get_by_role("button", name=texts["check"]).click()
    expect(page.locator("tr.row-error")).to_have_count(1)
    expect(page.locator("#line-3")).to_have_class("line row-error")
    expect(page.locator("#refusals a[href='#line-3']")).to_contain_text(texts["row"])
    page.screenshot(path=f"/tmp/bulk/distribution-error-{locale}.png", full_page=False)
    assert not Visit.objects.exists()

    page.fill('input[name="form-2-amount"]', "300.00")
    page.get_by_role("button", name=texts["check"]).click()
    expect(page.locator("#distribution-summary")).to_contain_text(
        texts["summary"].format(count=count, year=year, total=total))
    expect(page.locator("#distribution-lines tbody tr")).to_have_count(count)
    page.screenshot(path=f"/tmp/bulk/distribution-confirm-{locale}.png", full_page=False)
    assert not Visit.objects.exists()

    # Back to the list: what was entered is kept; then check again and record.
    page.get_by_role("button", name=texts["back"]).click()
    expect(page.locator('input[name="form-2-amount"]')).to_have_value("300.00")
    page.get_by_role("button", name=texts["check"]).click()
    page.get_by_role("button", name=texts["record"].format(count=count)).click()
    expect(page.locator("ul.messages")).to_be_visible()
    distribution = Distribution.objects.get()
    assert distribution.visits.count() == count and distribution.recorded_by == welfare_officer
    assert page.js_errors == []
