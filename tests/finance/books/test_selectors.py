"""The one reading of the books (finance.books.selectors) that pages, the budget check and the reports share."""

import datetime
from decimal import Decimal

import pytest

from finance.books import selectors
from finance.models import Account

from .helpers import posted

pytestmark = pytest.mark.django_db
D = Decimal


def test_earlier_years_result_is_brought_forward_into_the_fund_so_opening_columns_balance(
        treasurer, django_assert_num_queries):
    posted(treasurer, debit_code="102", credit_code="401", amount="900.00", date=datetime.date(2026, 5, 1))
    posted(treasurer, debit_code="50105", credit_code="102", amount="250.40", date=datetime.date(2026, 9, 1))
    posted(treasurer, debit_code="102", credit_code="401", amount="100.00", date=datetime.date(2027, 1, 5))
    posted(treasurer, debit_code="50102", credit_code="102", amount="30.00", date=datetime.date(2027, 2, 5))
    with django_assert_num_queries(2):
        rows = {row.account.code: row for row in selectors.account_balances(
            date_from=datetime.date(2027, 2, 1), date_to=datetime.date(2027, 12, 31))}
    assert rows["401"].opening == D("100.00")  # this year's income before February, not last year's
    assert rows["501"].opening == 0 and rows["501"].movement == D("30.00")
    assert rows["302"].opening == rows["302"].closing == D("649.60")  # 2026: 900.00 − 250.40
    assert rows["102"].opening == D("749.60") and rows["102"].closing == D("719.60")
    roots = [row for row in rows.values() if row.depth == 0]
    for side in ("opening", "closing"):
        debit = sum(getattr(row, f"{side}_debit") for row in roots)
        assert debit == sum(getattr(row, f"{side}_credit") for row in roots) > 0

    # The ledger opens where the trial balance does (one reading of the books), in three queries.
    fund = Account.objects.get(code="302")
    with django_assert_num_queries(3):
        [ledger] = selectors.ledgers(date_from=datetime.date(2027, 1, 1), date_to=datetime.date(2027, 12, 31),
                                     account=fund)
    assert (ledger.opening, ledger.lines, ledger.closing) == (D("649.60"), [], D("649.60"))
    everything = selectors.ledgers(date_from=datetime.date(2027, 1, 1), date_to=datetime.date(2027, 12, 31))
    assert [ledger.account.code for ledger in everything] == ["102", "302", "401", "50102"]
    assert everything[0].closing == D("719.60")


def test_a_year_end_closing_voucher_leaves_nothing_to_bring_forward(treasurer):
    posted(treasurer, debit_code="102", credit_code="401", amount="500.00", date=datetime.date(2026, 5, 1))
    posted(treasurer, debit_code="401", credit_code="302", amount="500.00", date=datetime.date(2026, 12, 31))
    rows = {row.account.code: row for row in selectors.account_balances(
        date_from=datetime.date(2027, 1, 1), date_to=datetime.date(2027, 12, 31))}
    assert rows["302"].opening == D("500.00") and "401" not in rows
