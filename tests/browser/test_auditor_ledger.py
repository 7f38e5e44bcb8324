"""The auditor logs in with TOTP, asks for the year's general ledger as a PDF, follows the job to the end and
downloads a PDF with the Chinese font embedded."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from finance.books import services
from finance.books.services import LineInput
from tests.browser.conftest import browser_login
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_downloads_the_annual_ledger(live_server, auditor, treasurer, desktop_page, tmp_path):
    for day, amount in ((5, "1200.00"), (6, "35.50")):
        voucher = services.voucher_create(date=datetime.date(2025, 3, day), summary="会费收缴", actor=treasurer,
                                          lines=[LineInput("102", debit=Decimal(amount)),
                                                 LineInput("401", credit=Decimal(amount))])
        services.voucher_post(voucher=voucher, actor=treasurer)
    page = desktop_page
    browser_login(page, live_server, auditor)  # the auditor must answer the TOTP step
    page.goto("/finance/reports/")
    page.select_option("select[name=kind]", "ledger")
    page.select_option("select[name=fmt]", "pdf")
    page.fill("input[name=date_from]", "2025-01-01")
    page.fill("input[name=date_to]", "2025-12-31")
    page.click("#report-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("general ledger")
    download_link = page.locator("#report-download")
    expect(download_link).to_be_visible()  # the job finished (its progress page turns into the download)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "ledger.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert "1,235.50" in text and "银行存款" in text
    page.goto("/finance/reports/")
    expect(page.get_by_role("link", name="Download")).to_have_count(1)  # kept for download
    assert page.js_errors == []
