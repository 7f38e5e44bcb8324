"""In a real browser: the treasurer uploads the month's deduction list, reads the differences and posts it; a member
then finds the month in their own dues history on a phone."""

import datetime
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.models import DuesImport
from tests.browser.conftest import browser_login
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_treasurer_posts_a_list_and_the_member_sees_the_month(live_server, new_context, treasurer, member_user):
    member_user.member.dues_base = Decimal("5678.90")
    member_user.member.save()
    other = MemberFactory(dues_base=Decimal("4000.00"))
    rows = deduction_rows(year=2026, month=9, skip={other.pk})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2026年9月代扣会费.xlsx"
        path.write_bytes(deduction_list_xlsx(rows))
        desk = new_context("desktop").new_page()
        browser_login(desk, live_server, treasurer)
        desk.goto("/finance/dues/import/")
        desk.get_by_label("Year").fill("2026")
        desk.get_by_label("Month").select_option("9")
        desk.get_by_label("Date the money arrived").fill("2026-10-12")
        desk.get_by_label("Deduction list (.xlsx or .csv)").set_input_files(str(path))
        desk.get_by_role("button", name="Check the list").click()
    expect(desk.locator("ul.messages")).to_contain_text("Check only: nothing has been posted yet.")
    expect(desk.locator("#dues-missing")).to_contain_text(other.name)
    expect(desk.locator("[data-total=paid]")).to_have_text("28.35")
    desk.get_by_role("button", name="Post the month's dues").click()
    expect(desk.locator("ul.messages")).to_contain_text("Posted:")
    assert DuesImport.objects.get().total_paid == Decimal("28.35")
    desk.goto("/finance/dues/arrears/")
    expect(desk.locator("#dues-arrears")).to_contain_text(other.name)
    assert desk.js_errors == []

    phone = new_context("phone").new_page()
    browser_login(phone, live_server, member_user, totp=False)
    phone.goto("/")
    phone.get_by_role("link", name="My dues").click()
    expect(phone).to_have_url(re.compile(r"/finance/dues/me/$"))
    expect(phone.locator("#dues-history")).to_contain_text("2026-09")
    expect(phone.locator("#dues-history")).to_contain_text("28.35")
    if datetime.date.today().year == 2026:
        expect(phone.locator("[data-total=paid]")).to_have_text("28.35")
    assert _fits_the_screen(phone)
    assert phone.js_errors == []
