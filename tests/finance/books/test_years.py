"""A fiscal year is opened on purpose, and only an opened year takes postings (issue 11, item 3).

The finance tests open 2020–2035 (tests/conftest.py open_years); the refusals are tried in 2040 and later, or in a
test marked ``unopened_books``."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from finance.books import services
from finance.budgets.services import budget_create
from finance.models import FiscalYear, Period, Spending, Voucher
from finance.spending import spending_record
from tests.finance.books.helpers import draft, lines, posted
from tests.once import once

pytestmark = pytest.mark.django_db
UNOPENED = datetime.date(2040, 12, 31)


def test_opening_a_year_records_who_opened_it_and_keeps_the_first_opener(treasurer, chair):
    year = services.year_open(year=2036, actor=treasurer)
    assert year.is_opened and year.opened_by == treasurer and year.periods.count() == 12
    again = services.year_open(year=2036, actor=chair)
    assert again.opened_by == treasurer and again.opened_at == year.opened_at


@pytest.mark.unopened_books
def test_a_year_that_holds_only_a_budget_is_not_opened(treasurer):
    budget_create(year=2028, title="预算", lines={"501": 100}, actor=treasurer)
    assert not FiscalYear.objects.get(year=2028).is_opened


def test_a_voucher_dated_in_a_year_nobody_opened_is_refused_and_creates_no_year(treasurer, english_messages):
    with pytest.raises(ValidationError, match="The fiscal year 2040 has not been opened"):
        draft(treasurer, date=UNOPENED)
    assert not FiscalYear.objects.filter(year=2040).exists() and not Voucher.objects.exists()


@pytest.mark.unopened_books
def test_a_budget_year_is_not_opened_by_posting_into_it(treasurer, english_messages):
    budget_create(year=2027, title="预算", lines={"501": 100}, actor=treasurer)
    with pytest.raises(ValidationError, match="has not been opened"):
        draft(treasurer, date=datetime.date(2027, 1, 4))
    assert not Period.objects.exists()


def test_the_refusal_reads_in_chinese(treasurer):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refusal:
        draft(treasurer, date=UNOPENED)
    assert "2040 年度尚未开账" in refusal.value.messages[0]


def test_a_closed_year_takes_no_voucher(treasurer, english_messages):
    for period in Period.objects.filter(fiscal_year__year=2025):
        services.period_close(period=period, actor=treasurer)
    with pytest.raises(ValidationError, match="2025 is closed"):
        draft(treasurer, date=datetime.date(2025, 12, 31))


def test_a_draft_whose_year_was_closed_meanwhile_is_not_posted(treasurer, english_messages):
    voucher = draft(treasurer, date=datetime.date(2025, 6, 1))
    for period in Period.objects.filter(fiscal_year__year=2025):
        services.period_close(period=period, actor=treasurer)
    with pytest.raises(ValidationError, match="closed"):
        services.voucher_post(voucher=voucher, actor=treasurer)


def test_a_payout_dated_in_a_year_nobody_opened_is_refused(treasurer, chair, english_messages):
    with pytest.raises(ValidationError, match="has not been opened"):
        spending_record(source=chair, amount=Decimal("10.00"), account_code="50105", spent_on=UNOPENED,
                        summary="x", actor=treasurer)
    assert not Spending.objects.exists()


def test_years_are_opened_one_after_the_other(treasurer, english_messages):
    with pytest.raises(ValidationError, match="2038 cannot be opened before 2037"):
        services.year_open(year=2038, actor=treasurer)
    services.year_open(year=2036, actor=treasurer)
    assert services.year_open(year=2037, actor=treasurer).is_opened
    assert not FiscalYear.objects.filter(year=2038).exists()


@pytest.mark.unopened_books
def test_the_first_year_of_the_books_is_opened_on_its_own(treasurer):
    year = services.year_open(year=2031, actor=treasurer)
    assert year.is_opened and year.periods.count() == 12
    assert services.voucher_post(voucher=draft(treasurer, date=datetime.date(2031, 1, 4)), actor=treasurer).number == 1


# The console ------------------------------------------------------------------------------------------------------

OPEN_URL = "/admin/finance/fiscalyear/open/"


@pytest.mark.unopened_books
def test_the_treasurer_opens_the_first_year_and_goes_on_to_its_opening_balances(treasurer, login, english):
    client = login(treasurer, use_client=Client())
    assert client.get("/admin/finance/fiscalyear/add/")["Location"] == OPEN_URL
    page = client.get(OPEN_URL).content.decode()
    assert "Open the year" in page and 'name="year"' in page
    response = client.post(OPEN_URL, {"year": "2027"})
    year = FiscalYear.objects.get(year=2027)
    assert response["Location"] == f"/admin/finance/fiscalyear/{year.pk}/opening-balances/"
    assert year.opened_by == treasurer and year.periods.count() == 12


def test_the_next_year_opens_to_its_own_page_and_a_gap_is_refused_on_the_page(treasurer, login, english):
    client = login(treasurer, use_client=Client())
    assert 'value="2036"' in client.get(OPEN_URL).content.decode()  # the year after the last one opened
    refused = client.post(OPEN_URL, {"year": "2039"})
    assert refused.status_code == 200 and "2039 cannot be opened before 2038" in refused.content.decode()
    done = client.post(OPEN_URL, {"year": "2036"})
    assert done["Location"] == f"/admin/finance/fiscalyear/{FiscalYear.objects.get(year=2036).pk}/change/"


@pytest.mark.unopened_books
def test_an_unopened_budget_year_offers_the_open_button(treasurer, login, english):
    budget_create(year=2028, title="预算", lines={"501": 100}, actor=treasurer)
    year = FiscalYear.objects.get(year=2028)
    client = login(treasurer, use_client=Client())
    page = client.get(f"/admin/finance/fiscalyear/{year.pk}/change/").content.decode()
    assert f"{OPEN_URL}?year=2028" in page and "opening-balances" not in page
    assert 'value="2028"' in client.get(f"{OPEN_URL}?year=2028").content.decode()
    assert client.get(f"{OPEN_URL}?year=²⁰²⁸").status_code == 200


def test_the_auditor_may_not_open_a_year(auditor, login):
    client = login(auditor, use_client=Client())
    assert not auditor.has_perm("finance.add_fiscalyear")
    assert client.get(OPEN_URL).status_code == 403
    assert client.post(OPEN_URL, {"year": "2036"}).status_code == 403
    assert not FiscalYear.objects.filter(year=2036).exists()


def test_a_draft_in_an_unopened_year_is_a_form_error_in_the_console(treasurer, login, english):
    client = login(treasurer, use_client=Client())
    form = {"date": "2040-12-31", "summary": "测试", "attachments": "0",
            "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "spendings-TOTAL_FORMS": "0", "spendings-INITIAL_FORMS": "0", "spendings-MIN_NUM_FORMS": "0",
            "spendings-MAX_NUM_FORMS": "1000"}
    response = client.post("/admin/finance/voucher/add/", form)
    assert response.status_code == 200
    assert "The fiscal year 2040 has not been opened" in response.content.decode()
    assert not Voucher.objects.exists()


def test_a_reversal_dated_in_an_unopened_year_is_a_form_error(treasurer, login, english):
    voucher = posted(treasurer)
    client = login(treasurer, use_client=Client())
    url = f"/admin/finance/voucher/{voucher.pk}/reverse/"
    response = client.post(url, once(date="2040-01-04", reason="错"))
    assert response.status_code == 200 and "has not been opened" in response.content.decode()
    assert Voucher.objects.count() == 1


def test_helpers_post_into_an_opened_year(treasurer):
    assert services.voucher_create(date=datetime.date(2027, 3, 5), summary="x", lines=lines(),
                                   actor=treasurer).fiscal_year.is_opened
