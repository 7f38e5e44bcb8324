"""Journey of the auditor (经审委员), in Chinese: opens the year just ended, reads the books' figures — brought
forward, income, spending, each holiday's gifts from the ledger, carried forward — writes the committee's text,
finalises the report and downloads the 经审报告 as a PDF, which has the Chinese font embedded, the same figures and
the committee's 落款."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finance.books import services
from finance.books.services import LineInput
from finance.models import AuditReport
from tests.browser.conftest import browser_login
from tests.browser.journey import SCREENSHOTS, check_page, shot
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = Decimal


def _books_of(year, treasurer):
    """A small union's year: 100,000 brought forward, dues and the agency's 2% grant in, gifts and aid out."""
    services.opening_balances_book(year=year, balances={"101": D("3000.00"), "102": D("97000.00"),
                                                        "302": D("100000.00")}, actor=treasurer)
    entries = [
        (3, 10, "三月会费", [LineInput("102", debit=D("12000.00")), LineInput("401", credit=D("12000.00"))]),
        (4, 15, "行政拨缴经费", [LineInput("102", debit=D("60000.00")), LineInput("402", credit=D("60000.00"))]),
        (1, 20, "春节慰问品", [LineInput("50105", debit=D("18600.00"), occasion=f"{year} 春节"),
                              LineInput("102", credit=D("18600.00"))]),
        (9, 12, "中秋慰问品", [LineInput("50105", debit=D("12400.00"), occasion=f"{year} 中秋"),
                              LineInput("102", credit=D("12400.00"))]),
        (11, 5, "困难职工帮扶", [LineInput("50301", debit=D("2000.00")), LineInput("101", credit=D("2000.00"))]),
    ]
    for month, day, summary, lines in entries:
        voucher = services.voucher_create(date=datetime.date(year, month, day), summary=summary, lines=lines,
                                          actor=treasurer)
        services.voucher_post(voucher=voucher, actor=treasurer)


def test_the_auditor_finalises_and_downloads_the_audit_report(live_server, auditor, treasurer, new_context,
                                                              tmp_path):
    year = timezone.localdate().year - 1
    _books_of(year, treasurer)
    page = new_context("desktop", locale="zh-CN").new_page()
    browser_login(page, live_server, auditor)

    page.goto("/finance/reports/audit/")
    check_page(page, chinese=True)
    page.get_by_role("link", name=f"撰写{year}年度经审报告").click()
    expect(page).to_have_url(re.compile(rf"/finance/reports/audit/{year}/$"))
    expect(page.locator("#opening-fund-balance")).to_have_text("100,000.00")
    expect(page.locator("#total-income")).to_have_text("72,000.00")
    expect(page.locator("#total-spending")).to_have_text("33,000.00")
    expect(page.locator("#surplus")).to_have_text("39,000.00")
    expect(page.locator("#fund-balance")).to_have_text("139,000.00")  # 100,000 + 39,000, to the fen
    gifts = page.locator("main table", has_text="春节")
    expect(gifts.locator("tr", has_text="春节")).to_contain_text("18,600.00")
    expect(gifts.locator("tr", has_text="中秋")).to_contain_text("12,400.00")
    check_page(page, chinese=True)

    page.fill("textarea[name=basis]", "依据《中华人民共和国工会法》和《工会经费审查委员会工作条例》")
    page.fill("textarea[name=findings]", "收支均有凭证，账实相符。")
    page.fill("textarea[name=problems]", "个别凭证附件不全。")
    page.fill("textarea[name=recommendations]", "加强原始凭证管理。")
    page.fill("textarea[name=compliance]", "经费收支符合预算和规定。")
    page.locator("#audit-form button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text("经审报告已保存。")
    check_page(page, chinese=True)

    page.get_by_role("link", name="定稿…").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("ul.messages")).to_contain_text("经审报告已定稿。")
    expect(page.locator("#audit-form")).to_have_count(0)  # frozen: the text is shown, not offered for editing
    expect(page.locator("main")).to_contain_text("收支均有凭证，账实相符。")
    check_page(page, chinese=True)
    shot(page, "auditor-1-final")

    page.get_by_role("button", name="打印为 PDF").click()
    download_link = page.locator("#report-download")
    expect(download_link).to_be_visible()
    check_page(page, chinese=True)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "audit.pdf"
    info.value.save_as(path)
    SCREENSHOTS.mkdir(exist_ok=True)
    info.value.save_as(SCREENSHOTS / "auditor-report.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    squeezed = re.sub(r"\s+", "", text)
    for figure in ("100,000.00", "72,000.00", "33,000.00", "39,000.00", "139,000.00", "18,600.00", "12,400.00"):
        assert figure in text, figure
    for words in ("经审报告", "春节", "中秋", "节日慰问", "上年结转经费结余", "结转下年经费结余", "收支均有凭证，账实相符。",
                  "示范机关工会经费审查委员会"):
        assert words in squeezed, words
    assert "DRAFT" not in text and "草稿" not in squeezed and "操作人" not in squeezed
    assert AuditReport.objects.get(year=year).is_final
