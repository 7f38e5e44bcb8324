"""Journey of the welfare officer, in Chinese on a phone: a hardship case from the application to its closing —
opened (建档) with the household's figures, home visit, 公示, approval, an aid payment booked as spending, and the
yearly review that closes it. Every step goes through the real pages and is checked as the officer sees it."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import expect

from finance.spending import spending_for
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, shot
from tests.factories import DepartmentFactory, MemberFactory
from tests.welfare.hardship.helpers import poverty_line
from welfare.models import AidPayment, HardshipCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _days_ago(days):
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def _step(page, name):
    """Open a step from the case page's "next steps" and check its form before filling it in."""
    page.locator(f'a[href$="/step/{name}/"]').click()
    expect(page).to_have_url(re.compile(rf"/step/{name}/$"))
    check_page(page, phone=True, chinese=True)


def _record(page, case_number, step_label):
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text(f"已登记档案{case_number}的“{step_label}”。")
    check_page(page, phone=True, chinese=True)


def test_a_hardship_case_from_application_to_closing(live_server, welfare_officer, new_context):
    member = MemberFactory(name="张困难", department=DepartmentFactory(name="办公室"))
    line = poverty_line()
    page = new_context("phone", locale="zh-CN").new_page()
    browser_login(page, live_server, welfare_officer,
                  totp=Authenticator.objects.filter(user=welfare_officer).exists())

    # The case list, then the new-case form: the application date is pre-filled with today, and shows.
    page.goto("/welfare/cases/")
    check_page(page, phone=True, chinese=True)
    page.locator('a[href$="/welfare/cases/new/"]').first.click()
    expect(page.locator("h1")).to_contain_text("建档")
    expect(page.locator("input[name=applied_on]")).to_have_value(timezone.localdate().isoformat())
    check_page(page, phone=True, chinese=True)
    page.select_option("select[name=member]", str(member.pk))
    page.fill("input[name=applied_on]", _days_ago(40))
    page.fill("input[name=household_income]", "30000")
    page.fill("input[name=unavoidable_costs]", "6000")
    page.fill("input[name=household_size]", "3")
    page.select_option("select[name=poverty_line]", str(line.pk))
    page.select_option("select[name=level]", "deep")
    page.get_by_label("本人或家属患大病").check()
    page.fill("textarea[name=cause_text]", "配偶患尿毒症，长期透析")
    shot(page, "welfare-1-new-case")
    page.locator("form.card button[type=submit]").click()

    case = HardshipCase.objects.get(member=member)
    expect(page.locator("ul.messages")).to_contain_text(f"档案{case.number}已创建。")
    expect(page.locator(".page-head .badge")).to_have_text("已受理申请")
    expect(page.locator("main")).to_contain_text("本人或家属患大病")
    expect(page.locator("main")).to_contain_text("666.67")  # (30000 − 6000) ÷ 12 ÷ 3, per person and month
    check_page(page, phone=True, chinese=True)

    # Home visit and fact check (入户核查).
    _step(page, "visit")
    page.fill("input[name=visited_on]", _days_ago(35))
    page.fill("input[name=visitors]", "李委员、王委员")
    page.fill("textarea[name=findings]", "情况属实，家中无其他收入来源")
    _record(page, case.number, "入户走访核实")
    expect(page.locator("main")).to_contain_text("李委员、王委员")

    # 公示: started long enough ago that the objection window has ended.
    _step(page, "notice")
    page.fill("input[name=start]", _days_ago(30))
    page.fill("input[name=proposed_aid]", "2000")
    page.fill("input[name=proposed_aid_note]", "生活救助")
    _record(page, case.number, "公示")

    # Approval (审批建档): the next step once the window is over.
    _step(page, "approve")
    expect(page.locator("input[name=approved_on]")).to_have_value(timezone.localdate().isoformat())
    _record(page, case.number, "批准建档")
    expect(page.locator(".page-head .badge")).to_have_text("已建档")
    shot(page, "welfare-2-approved")

    # Aid paid out, booked as spending on 困难职工帮扶.
    page.get_by_role("link", name="登记帮扶款发放").click()
    check_page(page, phone=True, chinese=True)
    page.select_option("select[name=kind]", label="生活救助")
    page.fill("input[name=amount]", "2000")
    page.fill("input[name=note]", "春节前发放")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text("发放已登记，并记入支出。")
    expect(page.locator("main")).to_contain_text("2,000.00")
    check_page(page, phone=True, chinese=True)
    payment = AidPayment.objects.get(case=case)
    spending = spending_for(payment)
    assert spending.amount == payment.amount and spending.account.code == "50301"

    # The yearly review finds the hardship over: the case is closed with the reason.
    _step(page, "review")
    expect(page.locator("input[name=household_income]")).to_have_value("30000.00")
    page.fill("input[name=household_income]", "90000")
    page.select_option("select[name=decision]", "close")
    page.select_option("select[name=close_reason]", index=1)
    close_label = page.locator("select[name=close_reason] option:checked").inner_text()
    page.fill("textarea[name=note]", "配偶病愈返岗")
    _record(page, case.number, "年度复核")
    expect(page.locator(".page-head .badge")).to_have_text("已结案")
    expect(page.locator("main")).to_contain_text("该档案已结案。")
    expect(page.locator("main")).to_contain_text(close_label)
    shot(page, "welfare-3-closed")
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_on == timezone.localdate()
    assert list(case.steps.values_list("step", flat=True).order_by("pk")) == [
        "apply", "visit", "notice", "approve", "review", "close"]
