"""A fiscal year is opened on purpose: who opened it and when are kept (issue 11, item 3 — first step)."""

import pytest

from finance.books import services
from finance.budgets.services import budget_create
from finance.models import FiscalYear

pytestmark = pytest.mark.django_db


def test_opening_a_year_records_who_opened_it_and_keeps_the_first_opener(treasurer, chair):
    year = services.year_open(year=2027, actor=treasurer)
    assert year.is_opened and year.opened_by == treasurer and year.periods.count() == 12
    again = services.year_open(year=2027, actor=chair)
    assert again.opened_by == treasurer and again.opened_at == year.opened_at


def test_a_year_that_holds_only_a_budget_is_not_opened(treasurer):
    budget_create(year=2028, title="预算", lines={"501": 100}, actor=treasurer)
    assert not FiscalYear.objects.get(year=2028).is_opened
