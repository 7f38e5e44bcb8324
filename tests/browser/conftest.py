"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Usage in a test module::

    import pytest
    from tests.browser.conftest import browser_login

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_it_…(live_server, chair, phone_page):
        browser_login(phone_page, live_server, chair)          # password + the chair's current TOTP code
        phone_page.goto(live_server.url + "/members/me/")
        assert phone_page.js_errors == []

Fixtures:
- ``browser`` (session): one Chromium for the whole run, from /usr/bin/chromium. Never ``playwright install``.
- ``new_context(viewport="phone"|"desktop", locale="en-US")``: a fresh, isolated browser context (own cookies), closed
  after the test. Use it when a second person needs their own browser.
- ``phone_page`` (390×844, touch, mobile) and ``desktop_page`` (1280×800): a page in a fresh context.
- ``page``: desktop by default; ``@pytest.mark.parametrize("page", ["phone", "desktop"], indirect=True)`` runs a test
  on both.

Every test in this directory is marked ``browser`` and runs on a transactional database (the live server runs in
another thread, so the test's data must be committed). A transactional test flushes the database afterwards, which
also deletes the roles the data migration created; ``_restore_migration_data`` (tests/conftest.py) puts the
migrated data back before each transactional test, so persona fixtures (``chair`` …) work in any order. Pages get ``base_url=live_server.url``, so
``page.goto("/members/me/")`` works, and each page collects its JavaScript errors in ``page.js_errors``.

Pages speak English (``locale="en-US"``) so assertions on visible text do not depend on the zh_Hans catalogue; pass
``locale="zh-CN"`` to ``new_context`` to check the Chinese pages.
"""

import os
import re
import time

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would then refuse ORM calls from the test
# (SynchronousOnlyOperation). The ORM is still used synchronously, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.apps import apps  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.conftest import PASSWORD, books_opened_unless_marked, current_totp_code  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {
    # An ordinary phone (iPhone 12–15 class) and a laptop screen.
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    """Every test here is a browser test on a transactional database with serialized rollback.

    pytest-django decides at database set-up whether to serialize the database, from the ``django_db`` marker only
    (a requested ``django_db_serialized_rollback`` fixture is ignored when a marker exists), so the marker is
    rewritten here: a module's ``django_db(transaction=True)`` keeps its other arguments and gains the rollback.
    """
    browser_dir = os.path.dirname(os.path.abspath(__file__)) + os.sep
    for item in items:
        if not str(item.path).startswith(browser_dir):
            continue
        item.add_marker(pytest.mark.browser)
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _flush_and_restore_cleanly(request):
    """Between two browser tests the database is flushed, then restored from the migrated snapshot.

    - The restore saves rows whose signals (the audit log) look content types up. Django's cache of them is warmed
      here, before the flush, so the lookups get the snapshot's ids instead of creating rows in the emptied table
      that the restore's own content types then collide with (IntegrityError on django_content_type, on
      PostgreSQL and SQLite alike, from the second browser test of a run on).
    - On SQLite the flush deletes row by row: it must get past the books' triggers, as in tests/finance/conftest.py
      (journeys post vouchers). PostgreSQL's TRUNCATE fires no row trigger.
    """
    request.getfixturevalue("transactional_db")
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM finance_books_guard_off")
    yield
    ContentType.objects.get_for_models(*apps.get_models())
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO finance_books_guard_off (reason) VALUES ('test flush')")


@pytest.fixture(scope="session")
def _playwright(_migration_data):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """Factory for fresh browser contexts (a separate person: separate cookies)."""
    contexts = []

    def make(viewport="desktop", locale="en-US", **options):
        context = browser.new_context(base_url=live_server.url, locale=locale, **VIEWPORTS[viewport], **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.on("page", _collect_js_errors)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _collect_js_errors(page):
    # A JavaScript error on any page is a bug: every page keeps them for the test to assert on (page.js_errors).
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(error))


def _open_page(new_context, viewport):
    return new_context(viewport).new_page()


@pytest.fixture
def phone_page(new_context):
    return _open_page(new_context, "phone")


@pytest.fixture
def desktop_page(new_context):
    return _open_page(new_context, "desktop")


@pytest.fixture
def page(request, new_context):
    return _open_page(new_context, getattr(request, "param", "desktop"))


#: The last TOTP code each user logged in with (allauth refuses a code used before).
_USED_CODES = {}


def browser_login(page: Page, live_server, user, password=PASSWORD, *, totp=True, login_name=None):
    """Log in through the real login form; answer the TOTP step with the user's current code when ``totp``.

    ``login_name`` defaults to the username; pass the member's phone number to log in with it. Returns the page,
    left on the page the portal sent the user to after login.
    """
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", login_name or user.username)
    page.fill("input[name=password]", password)
    # Enter submits the login form itself (the header has a language form with its own button).
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    if totp:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        code = current_totp_code(user)
        while code == _USED_CODES.get(user.pk):  # a code is accepted once: a second login waits for the next one
            time.sleep(1)
            code = current_totp_code(user)
        _USED_CODES[user.pk] = code
        page.fill("input[name=code]", code)
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    return page


@pytest.fixture(autouse=True)
def _books_opened(request):
    """Fiscal years are opened on purpose (finance.books.services.year_open); these tests post into 2020-2035."""
    books_opened_unless_marked(request)
