"""Fixtures shared by the finance tests (books, budgets, dues, reports).

Books tests on SQLite: let the flush after a transactional test through the books' triggers (SQLite has no
TRUNCATE; see finance/migrations/0004_books_triggers.py). PostgreSQL needs nothing: TRUNCATE fires no row trigger."""

import pytest
from django.db import connection
from django.utils import translation

from tests.conftest import _is_transactional, books_opened_unless_marked


@pytest.fixture(autouse=True)
def _books_guard_stands_aside_for_the_flush(request):
    if connection.vendor != "sqlite" or not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM finance_books_guard_off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO finance_books_guard_off (reason) VALUES ('test flush')")


@pytest.fixture
def english(settings):
    """Pages and messages in English (LANGUAGE_CODE), so assertions do not depend on the zh_Hans catalogue."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def english_messages():
    """Refusal texts read as their English message ids in the test's own thread, whatever the zh_Hans catalogue
    says."""
    with translation.override("en"):
        yield



@pytest.fixture(autouse=True)
def _books_opened(request):
    books_opened_unless_marked(request)
