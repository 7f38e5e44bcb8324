"""Journey of an outsider: someone who works at the agency but is not yet a member applies online from a phone,
without an account (入会申请); a typo in the ID number is refused with a clear message and nothing is saved. The
chair then finds the application in the console and approves it: the applicant is on the roll from that day."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Member
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, shot
from tests.factories import DepartmentFactory, valid_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_outsider_applies_and_the_chair_approves(live_server, chair, new_context):
    DepartmentFactory(name="办公室")
    department = DepartmentFactory(name="法规处")
    id_number = valid_id_number(sex="F")
    typo = id_number[:-2] + str((int(id_number[-2]) + 1) % 10) + id_number[-1]

    phone = new_context("phone").new_page()
    phone.goto("/accounts/login/")
    check_page(phone, phone=True)
    phone.get_by_role("link", name="Apply to join the union").click()
    expect(phone).to_have_url(re.compile(r"/members/apply/$"))
    expect(phone.locator("h1")).to_have_text("Apply to join the union")
    check_page(phone, phone=True)
    phone.fill("input[name=name]", "陈新来")
    phone.fill("input[name=id_number]", typo)
    phone.fill("input[name=phone]", "139 1234 5678")
    phone.select_option("select[name=department]", label="法规处")
    phone.fill("input[name=position]", "科员")
    phone.fill("textarea[name=statement]", "自愿加入工会，遵守工会章程。")
    phone.check("input[name=agree]")
    phone.get_by_role("button", name="Submit application").click()

    errors = phone.locator(".errorlist")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("ID")
    expect(phone.locator("input[name=name]")).to_have_value("陈新来")  # what was typed is kept
    assert not Member.objects.filter(name="陈新来").exists()
    check_page(phone, phone=True)
    shot(phone, "outsider-1-typo")

    phone.fill("input[name=id_number]", id_number.lower())  # a lower-case x is fine
    phone.get_by_role("button", name="Submit application").click()
    expect(phone.locator("h1")).to_have_text("Application received")
    check_page(phone, phone=True)
    applicant = Member.objects.get(name="陈新来")
    assert applicant.status == "applicant" and applicant.department == department
    assert applicant.phone == "13912345678" and applicant.id_number == id_number

    # The chair, in the console: the application waits among the applicants.
    desk = new_context("desktop").new_page()
    browser_login(desk, live_server, chair)
    desk.goto("/admin/members/member/?status__exact=applicant")
    rows = desk.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("陈新来")
    rows.first.locator("a").first.click()
    expect(desk.locator("body")).not_to_contain_text(id_number)  # masked in the console too
    desk.get_by_role("link", name="Change membership status").click()
    expect(desk.locator("input[name=effective_on]")).to_have_value(timezone.localdate().isoformat())
    check_page(desk)
    desk.select_option("select[name=kind]", "approve")
    desk.fill("textarea[name=reason]", "工会委员会2026年第5次会议批准")
    desk.get_by_role("button", name="Record the change").click()
    expect(desk.locator("ul.messagelist .success")).to_contain_text("Status of 陈新来 is now")
    check_page(desk)
    shot(desk, "outsider-2-approved")
    applicant.refresh_from_db()
    assert applicant.status == "active" and applicant.joined_on == timezone.localdate()
