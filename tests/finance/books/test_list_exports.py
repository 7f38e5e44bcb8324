"""Budget vs actual and the voucher list as people work with them (issue 12 §1): amounts printed with thousands
separators, a totals row, used % in red past 90 %, and an .xlsx export that holds what the page lists, refused to
whoever may not read the list."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.test import Client
from openpyxl import load_workbook

from finance.books.selectors import budget_totals, budget_vs_actual
from finance.budgets.services import budget_advance, budget_create

from .helpers import draft, posted


def _sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _adopted_budget(treasurer, chair, lines):
    budget = budget_create(year=2027, title="预算", lines=lines, actor=treasurer)
    budget_advance(budget=budget, on=datetime.date(2027, 1, 5), reference="", actor=chair)
    budget_advance(budget=budget, on=datetime.date(2027, 1, 6), reference="经审会纪要", actor=chair)
    return budget


@pytest.mark.no_budget  # its own budget for 2027
def test_budget_totals_sum_the_top_lines_per_kind(treasurer, chair):
    _adopted_budget(treasurer, chair, {"50105": D("12000.00"), "50106": D("1000.00")})
    posted(treasurer, debit_code="50105", credit_code="102", amount="11000.00")
    totals = budget_totals(budget_vs_actual(year=2027))
    expense = next(total for total in totals if total.kind == "expense")
    assert expense.budget == D("13000.00") and expense.actual == D("11000.00")
    assert expense.remaining == D("2000.00") and expense.percent == D("84.6")


@pytest.mark.no_budget  # its own budget for 2027
def test_the_budget_page_prints_amounts_totals_and_red_past_90(treasurer, chair, login, english):
    _adopted_budget(treasurer, chair, {"50105": D("10000.00"), "50106": D("5000.00"), "402": D("100.00")})
    posted(treasurer, debit_code="50105", credit_code="102", amount="9500.00")
    posted(treasurer, debit_code="102", credit_code="402", amount="99.00")
    page = login(treasurer, use_client=Client()).get("/finance/budget/2027/").content.decode()
    assert 'class="num">99.0' in page  # income collected past 90 % is not a warning
    assert "10,000.00" in page and "9,500.00" in page and "15,000.00" in page
    assert 'class="total' in page
    assert 'class="num warn">95.0' in page  # 95 % used: red
    assert 'class="num">0.0' in page  # the untouched line is not red


@pytest.mark.no_budget  # its own budget for 2027
def test_the_budget_export_holds_the_page_rows_and_totals(treasurer, chair, login, member_user, english):
    _adopted_budget(treasurer, chair, {"50105": D("10000.00")})
    posted(treasurer, debit_code="50105", credit_code="102", amount="1234.50")
    client = login(treasurer, use_client=Client())
    rows = _sheet_rows(client.get("/finance/budget/2027/?export=xlsx"))
    page_rows = budget_vs_actual(year=2027)
    codes = [row[0] for row in rows[1:] if row[0]]
    assert codes == [row.account.code for row in page_rows]
    line = next(row for row in rows if row[0] == "50105")
    assert float(line[2]) == 10000 and float(line[3]) == 1234.5 and float(line[4]) == 8765.5
    assert any(row[1] and "Total" in str(row[1]) and float(row[3]) == 1234.5 for row in rows)
    assert login(member_user, use_client=Client()).get("/finance/budget/2027/?export=xlsx").status_code == 403


def test_the_voucher_export_holds_the_filtered_list(treasurer, member_user, login, english):
    posted(treasurer, debit_code="50105", credit_code="102", amount="1666.00")
    draft(treasurer)
    client = login(treasurer, use_client=Client())
    rows = _sheet_rows(client.get("/finance/vouchers/?state=posted&export=xlsx"))
    assert len(rows) == 2 and rows[1][0] == "2027-0001" and float(rows[1][4]) == 1666.0
    assert "50105" in rows[1][3]
    assert len(_sheet_rows(client.get("/finance/vouchers/?export=xlsx"))) == 3
    page = client.get("/finance/vouchers/").content.decode()
    assert "1,666.00" in page and "export=xlsx" in page
    assert login(member_user, use_client=Client()).get("/finance/vouchers/?export=xlsx").status_code == 403


def test_the_voucher_changelist_exports_its_filtered_rows(treasurer, member_user, login, english):
    posted(treasurer, debit_code="50105", credit_code="102", amount="2345.60")
    draft(treasurer)
    client = login(treasurer, use_client=Client())
    assert "/admin/finance/voucher/export/?state=posted" in client.get(
        "/admin/finance/voucher/?state=posted").content.decode()
    rows = _sheet_rows(client.get("/admin/finance/voucher/export/?state=posted"))
    assert len(rows) == 2 and rows[1][0] == "2027-0001" and float(rows[1][4]) == 2345.6
    assert len(_sheet_rows(client.get("/admin/finance/voucher/export/"))) == 3
    assert login(member_user, use_client=Client()).get("/admin/finance/voucher/export/").status_code in (302, 403)
