"""Fixtures shared by the activities tests."""

import pytest

from tests.conftest import books_opened_unless_marked


@pytest.fixture(autouse=True)
def _books_opened(request):
    """Activity costs are booked: the years of tests.factories.OPEN_YEARS are opened for every test."""
    books_opened_unless_marked(request)
