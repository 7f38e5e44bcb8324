"""The auditor, in a browser: the accounting archive page lists the kept year, and a changed copy uploaded for a
check is refused with the changed file named (in Chinese and in English)."""

import datetime
import os

import pytest

from finance.books import services
from finance.models import Period
from finance.reports import archive
from tests.browser.conftest import browser_login
from tests.finance.books.helpers import posted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]
SHOTS = os.environ.get("ARCHIVE_SCREENSHOTS")


@pytest.fixture
def kept_year(settings, tmp_path, treasurer, chair):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    services.year_open(year=2027, actor=treasurer)
    services.voucher_review(voucher=posted(treasurer, date=datetime.date(2027, 3, 5), amount="88.00"), actor=chair)
    for period in Period.objects.filter(fiscal_year__year=2027).order_by("month"):
        services.period_close(period=period, actor=treasurer)  # eager Celery: the close makes the archive
    assert archive.kept_files(2027) is not None
    return archive.kept_files(2027)


@pytest.mark.parametrize("locale, changed, kept_text", [("zh-CN", "SHA-256 与清单不符", "已归档"),
                                                        ("en-US", "Its SHA-256 differs", "files kept")])
def test_it_names_the_changed_file_of_an_uploaded_copy(kept_year, new_context, live_server, auditor, tmp_path,
                                                        locale, changed, kept_text):
    page = new_context(locale=locale).new_page()
    browser_login(page, live_server, auditor)
    page.goto("/finance/reports/archive/")
    assert kept_text in page.inner_text("main")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/archive-{locale}.png", full_page=True)
    copy = tmp_path / "copy.zip"
    copy.write_bytes(archive.archive_zip({**kept_year, "03-ledger.pdf": kept_year["03-ledger.pdf"] + b" "}))
    page.set_input_files("input[name=copy]", str(copy))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="03-ledger.pdf")
    assert changed in row.inner_text()
    assert page.locator("tr", has_text="04-trial-balance.pdf").locator("strong").count() == 0
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/archive-check-{locale}.png", full_page=True)
    assert page.js_errors == []
