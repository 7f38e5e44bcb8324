"""core.paging.OneQueryPaginator: the page and the list's length in one query, with Django's answers at the edges."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification
from core.paging import OneQueryPaginator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifications():
    user = UserFactory()
    Notification.objects.bulk_create([Notification(user=user, title=f"通知{n:02d}") for n in range(45)])
    return Notification.objects.filter(user=user).order_by("title")


@pytest.mark.parametrize(("asked", "shown", "titles"), [
    (1, 1, ["通知00", "通知19"]), ("2", 2, ["通知20", "通知39"]), (3, 3, ["通知40", "通知44"]),
    ("abc", 1, ["通知00", "通知19"]), (None, 1, ["通知00", "通知19"]),
])
def test_a_page_and_the_lists_length_come_in_one_query(notifications, asked, shown, titles):
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(notifications, 20).get_page(asked)
        rows = [n.title for n in page]
        pages = (page.paginator.count, page.paginator.num_pages, page.has_next(), page.has_previous())
    assert len(queries) == 1
    assert page.number == shown and [rows[0], rows[-1]] == titles
    assert pages == (45, 3, shown < 3, shown > 1)


@pytest.mark.parametrize("asked", [9, 0, -4])
def test_a_page_past_the_end_or_below_one_shows_the_last_page_as_django_does(notifications, asked):
    page = OneQueryPaginator(notifications, 20).get_page(asked)
    assert page.number == 3 and [n.title for n in page][-1] == "通知44" and page.paginator.count == 45
    django = Paginator(notifications, 20).get_page(asked)
    assert (django.number, [n.title for n in django]) == (page.number, [n.title for n in page])


def test_an_empty_list_is_one_empty_first_page(notifications):
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(notifications.filter(title="无"), 20).get_page(3)
        assert (list(page), page.number, page.paginator.count, page.paginator.num_pages) == ([], 1, 0, 1)
    assert len(queries) == 2  # the empty page, then Django's count to find the last page
