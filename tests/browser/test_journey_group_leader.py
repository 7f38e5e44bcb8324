"""Journey of a group leader (小组长), on a phone: looks at their own group — names, departments, masked mobile
numbers, nobody from another group — and reports that a member is in hospital. The welfare officer is notified on
their phone, opens the report and records the visit from it; the report is then no longer open."""

import re
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, shot
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory
from tests.welfare.care.factories import make_policy
from welfare.models import BenefitPolicy, CareReport, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_group_leader_reports_a_hospital_stay_and_the_welfare_officer_visits(live_server, group_leader,
                                                                             welfare_officer, new_context):
    today = timezone.localdate()
    BenefitPolicy.objects.filter(year=today.year).update(in_use=False)
    make_policy(today.year, region="旅程测试")
    group = group_leader.member.union_group
    office = DepartmentFactory(name="人事处")
    patient = MemberFactory(name="周住院", union_group=group, department=office, phone="13698765432")
    MemberFactory(name="吴同组", union_group=group, department=office)
    stranger = MemberFactory(name="郑别组", union_group=UnionGroupFactory(name="别的小组"))

    page = new_context("phone").new_page()
    browser_login(page, live_server, group_leader, totp=False)
    page.get_by_role("link", name="My group").click()
    expect(page).to_have_url(re.compile(r"/members/group/$"))
    table = page.locator("main table")
    expect(table).to_contain_text("周住院")
    expect(table).to_contain_text("吴同组")
    expect(table).to_contain_text("136****5432")
    expect(table).not_to_contain_text(stranger.name)
    assert "13698765432" not in page.content()
    check_page(page, phone=True)
    shot(page, "leader-1-group")

    # Reports the hospital stay.
    page.goto("/")
    page.get_by_role("link", name=re.compile("Care reports")).click()
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.locator("input[name=date]")).to_have_value(today.isoformat())
    check_page(page, phone=True)
    options = page.locator("select[name=member] option").all_inner_texts()
    assert any("周住院" in option for option in options)
    assert not any(stranger.name in option for option in options)
    page.select_option("select[name=member]", str(patient.pk))
    page.select_option("select[name=occasion]", label="生病住院")
    page.fill("textarea[name=note]", "市第一医院 3 病区，家属电话见群")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("ul.messages")).to_contain_text("Thank you: the union has been told about 周住院.")
    expect(page.locator("#open-reports")).to_contain_text("周住院")
    check_page(page, phone=True)
    shot(page, "leader-2-reported")
    report = CareReport.objects.get(member=patient)

    # The welfare officer is told, and records the visit from the report.
    officer = new_context("phone").new_page()
    browser_login(officer, live_server, welfare_officer,
                  totp=Authenticator.objects.filter(user=welfare_officer).exists())
    officer.get_by_role("link", name=re.compile("unread notification|Notifications")).first.click()
    expect(officer.locator("main")).to_contain_text("周住院")
    check_page(officer, phone=True)
    officer.goto("/welfare/reports/")
    officer.locator("#open-reports tr.report", has_text="周住院").get_by_role("link", name="Record the visit").click()
    expect(officer.locator("input[name=date]")).to_have_value(today.isoformat())
    check_page(officer, phone=True)
    officer.select_option("select[name=form]", value="cash")
    officer.fill("input[name=amount]", "500")
    officer.fill("input[name=visitors]", "王主席, 李委员")
    officer.fill("input[name=signed_by]", "家属")
    officer.get_by_role("button", name="Record").click()
    expect(officer.locator("ul.messages")).to_contain_text("Recorded: 生病住院 for 周住院, 500.00 yuan.")
    check_page(officer, phone=True)
    visit = Visit.objects.get(member=patient)
    assert visit.amount == Decimal("500.00")
    officer.goto("/welfare/reports/")
    expect(officer.locator("#open-reports")).not_to_contain_text("周住院")
    report.refresh_from_db()
    assert report.status != CareReport.Status.OPEN and visit.report_id == report.pk
