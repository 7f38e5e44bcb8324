"""Opening balances (期初余额) are their own step when the books start: entered per account, checked 资产 = 负债 +
净资产, booked as the year's opening voucher and shown in the reports as 上年结转 (issue 10, finding 7b)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.test import Client

from finance.books import selectors, services
from finance.books.demo import build_demo_books
from finance.books.services import LineInput
from finance.models import FiscalYear, Voucher
from finance.reports import books, writing
from tests.once import once

from .helpers import posted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal
YEAR_START, YEAR_END = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)


def test_opening_balances_are_booked_as_the_years_opening_voucher_and_brought_forward(treasurer):
    voucher = services.opening_balances_book(year=2027, balances={"101": D("500.00"), "102": D("80000.00"),
                                                                  "201": D("1500.00"), "301": D("79000.00")},
                                             actor=treasurer)
    assert FiscalYear.objects.get(year=2027).opening_voucher == voucher
    assert (voucher.date, voucher.number, voucher.state) == (YEAR_START, 1, "posted")
    assert FiscalYear.objects.get(year=2027).periods.count() == 12
    posted(treasurer, date=datetime.date(2027, 3, 5))  # 102 / 401 100.00: income of the year
    rows = {row.account.code: row for row in selectors.account_balances(date_from=YEAR_START, date_to=YEAR_END)}
    assert (rows["102"].opening, rows["102"].debit, rows["102"].closing) == (D("80000.00"), D("100.00"),
                                                                             D("80100.00"))
    assert rows["301"].opening == D("79000.00") and not rows["301"].credit  # brought forward, not moved
    [ledger] = selectors.ledgers(date_from=YEAR_START, date_to=YEAR_END, account=rows["102"].account)
    assert ledger.opening == D("80000.00") and [line.debit for line in ledger.lines] == [D("100.00")]
    statement = books.income_statement(date_from=YEAR_START, date_to=YEAR_END)
    assert statement.opening_fund_balance == D("79000.00")  # 80,500.00 assets less 1,500.00 owed
    assert statement.opening_fund_balance + statement.surplus == statement.fund_balance == D("79100.00")
    # From February on the opening voucher is simply earlier books.
    later = books.income_statement(date_from=datetime.date(2027, 2, 1), date_to=YEAR_END)
    assert later.opening_fund_balance == D("79000.00")


def test_balances_that_do_not_balance_are_refused_with_the_difference_and_nothing_is_written(treasurer):
    with pytest.raises(ValidationError) as refusal:
        services.opening_balances_book(year=2027, balances={"102": D("1000.00"), "201": D("200.00"),
                                                            "301": D("700.00")}, actor=treasurer)
    assert refusal.value.messages == [
        "The opening balances do not balance: assets 1000.00 ≠ liabilities 200.00 + net assets 700.00; the "
        "difference is 100.00."]
    assert not Voucher.objects.exists() and not FiscalYear.objects.filter(opening_voucher__isnull=False).exists()


@pytest.mark.parametrize(("balances", "message"), [
    ({}, "Enter the opening balance of at least one account."),
    ({"102": D("0")}, "Enter the opening balance of at least one account."),
    ({"102": D("10.00"), "401": D("10.00")}, "401 会费收入 is an income or expense account"),
    ({"102": D("10.00"), "999": D("10.00")}, "There is no account 999 in use"),
    ({"102": D("10.001"), "301": D("10.001")}, "a balance is a sum in yuan and fen"),
])
def test_bad_balances_are_refused_in_words(treasurer, balances, message):
    with pytest.raises(ValidationError) as refusal:
        services.opening_balances_book(year=2027, balances=balances, actor=treasurer)
    assert message in " ".join(refusal.value.messages)
    assert not Voucher.objects.exists()


def test_opening_balances_are_entered_once_and_for_the_first_year_only(treasurer):
    first = services.opening_balances_book(year=2027, balances={"102": D("10.00"), "301": D("10.00")},
                                           actor=treasurer)
    with pytest.raises(ValidationError, match="booked already"):
        services.opening_balances_book(year=2027, balances={"102": D("20.00"), "301": D("20.00")}, actor=treasurer)
    with pytest.raises(ValidationError, match="Opening balances are entered for the first year only"):
        services.opening_balances_book(year=2028, balances={"102": D("20.00"), "301": D("20.00")}, actor=treasurer)
    # Reversed, they are entered again, and the new voucher is the year's opening.
    services.voucher_reverse(voucher=first, date=datetime.date(2027, 1, 2), reason="录错", actor=treasurer)
    again = services.opening_balances_book(year=2027, balances={"102": D("20.00"), "301": D("20.00")},
                                           actor=treasurer)
    assert FiscalYear.objects.get(year=2027).opening_voucher == again
    statement = books.income_statement(date_from=YEAR_START, date_to=YEAR_END)
    assert statement.opening_fund_balance == D("20.00") and statement.fund_balance == D("20.00")


@pytest.mark.no_budget  # the demo passes its own budget
def test_the_demo_audit_report_brings_the_opening_balance_forward(chair, treasurer):
    """The walk's finding: 上年结转 0.00 + 本年结余 90,647.87 ≠ 结转下年 177,171.27."""
    build_demo_books(today=datetime.date(2026, 11, 23))
    figures = writing.audit_figures(2026)
    assert figures["opening_fund_balance"] == "86523.40"
    assert D(figures["opening_fund_balance"]) + D(figures["surplus"]) == D(figures["fund_balance"])
    assert figures["other_net_assets"] == "0.00"


def test_the_admin_offers_the_step_on_the_fiscal_year(treasurer, auditor, login):
    year = services.year_open(year=2027, actor=treasurer)
    client = login(treasurer, use_client=Client())
    url = f"/admin/finance/fiscalyear/{year.pk}/opening-balances/"
    assert url in client.get(f"/admin/finance/fiscalyear/{year.pk}/change/").content.decode()
    page = client.get(url).content.decode()
    assert 'name="account_102"' in page and 'name="account_301"' in page and 'name="account_401"' not in page
    response = client.post(url, once({"account_102": "1000.00", "account_201": "200.00", "account_301": "700.00"}))
    assert response.status_code == 200
    assert "the difference is 100.00" in response.content.decode()
    assert 'value="1000.00"' in response.content.decode()  # what was entered stays
    assert not Voucher.objects.exists()
    response = client.post(url, once({"account_102": "1000.00", "account_201": "200.00", "account_301": "800.00"}))
    assert response.status_code == 302
    assert FiscalYear.objects.get(pk=year.pk).opening_voucher.lines.count() == 3
    assert url not in client.get(f"/admin/finance/fiscalyear/{year.pk}/change/").content.decode()
    auditor_client = login(auditor, use_client=Client())
    assert auditor_client.get(url).status_code == 403


def test_the_migration_links_an_opening_voucher_the_books_already_hold(treasurer):
    """Books started before this step existed booked the opening balances as a plain voucher on 1 January (the
    demo did): the migration links it to its year, which changes no voucher, and the report brings it forward."""
    migration = importlib.import_module("finance.migrations.0008_books_occasion_opening")
    voucher = services.voucher_post(actor=treasurer, voucher=services.voucher_create(
        date=datetime.date(2026, 1, 1), summary="上年结转期初余额", actor=treasurer,
        lines=[LineInput("102", debit=D("86523.40")), LineInput("301", credit=D("86523.40"))]))
    services.voucher_post(actor=treasurer, voucher=services.voucher_create(
        date=datetime.date(2026, 1, 1), summary="期初 other", actor=treasurer,
        lines=[LineInput("102", debit=D("5.00")), LineInput("401", credit=D("5.00"))]))  # income: not an opening
    assert writing.audit_figures(2026)["opening_fund_balance"] == "0.00"  # the walk's finding
    migration.link_opening_vouchers(django_apps, None)
    assert FiscalYear.objects.get(year=2026).opening_voucher == voucher
    figures = writing.audit_figures(2026)
    assert figures["opening_fund_balance"] == "86523.40"
    assert D(figures["opening_fund_balance"]) + D(figures["surplus"]) == D(figures["fund_balance"])
