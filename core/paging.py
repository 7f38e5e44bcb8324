"""Paging in one query, for the members' lists (the activities open to me, my activities, my notifications).

Django's Paginator counts the whole list (a COUNT query, as costly to build as the list's own) before it reads the
page. ``OneQueryPaginator`` reads the page with ``COUNT(*) OVER ()`` on each row: the window is computed over
every row that matches, before LIMIT, so the first row carries the list's length. Only a page past the end (no
row comes back) is counted the usual way, to send the reader to the last page as Django does.
"""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Window

_TOTAL = "paging_total"


class OneQueryPaginator(Paginator):
    def get_page(self, number):
        if self.orphans:
            raise ValueError("OneQueryPaginator does not support orphans.")
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # Django's answer to a page that is not a number: the first
        if number < 1:  # and to one below 1: the last
            return super().page(self.num_pages)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(**{_TOTAL: Window(Count("*"))})[bottom:bottom + self.per_page])
        if rows:
            self.count = getattr(rows[0], _TOTAL)  # cached_property: set once, read by num_pages and the pager
            return self._get_page(rows, number, self)
        if number == 1:
            self.count = 0
            return self._get_page(rows, number, self)
        try:  # past the end: Django's answer, the last page
            return super().page(self.num_pages)
        except InvalidPage:
            return super().page(1)
