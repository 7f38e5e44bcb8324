"""The treasurer enters a voucher in the console: the running totals say whether it balances while typing, an
unbalanced voucher is refused with the figures, the balanced one is saved and posted."""

from playwright.sync_api import expect

from finance.models import Account, Voucher

from .conftest import browser_login


def test_it_shows_running_totals_and_posts_a_balanced_voucher(live_server, treasurer, desktop_page):
    page = desktop_page
    browser_login(page, live_server, treasurer)
    page.goto(f"{live_server.url}/admin/finance/voucher/add/")
    page.fill("#id_date", "2027-03-05")
    page.fill("#id_summary", "办公用品")
    page.select_option("#id_lines-0-account", str(Account.objects.get(code="50105").pk))
    page.fill("#id_lines-0-debit", "100")
    page.select_option("#id_lines-1-account", str(Account.objects.get(code="102").pk))
    page.fill("#id_lines-1-credit", "90.5")
    totals = page.locator("#voucher-totals")
    expect(totals).to_have_text("does not balance: debits 100.00, credits 90.50")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist.nonform")).to_contain_text(
        "The voucher does not balance: debits 100.00, credits 90.50.")
    assert not Voucher.objects.exists()

    page.fill("#id_lines-1-credit", "100.00")
    expect(totals).to_have_text("balanced: debits 100.00, credits 100.00")
    page.get_by_role("button", name="Save", exact=True).click()
    voucher = Voucher.objects.get()
    page.goto(f"{live_server.url}/admin/finance/voucher/{voucher.pk}/change/")
    page.locator("#tool-post").click()
    page.get_by_role("button", name="Post to the books").click()
    expect(page.locator("#tool-reverse")).to_be_visible()
    voucher.refresh_from_db()
    assert voucher.number == 1 and voucher.state == "posted"
    assert page.js_errors == []
