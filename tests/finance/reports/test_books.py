"""Figures from the books: trial balance, general ledger, income and spending statement — computed, printed as PDF
and .xlsx, and checked against sums worked out here from the lines the test booked."""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from benchmarks.finance import make_posted_vouchers
from finance.books import services
from finance.books.services import LineInput
from finance.models import Account, FiscalYear, Period
from finance.reports import books, documents, jobs
from finance.reports.jobs import report_document_start
from tests.pdfcheck import assert_cjk_font_embedded, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

YEAR = {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 12, 31)}
# (date, summary, [(account, debit, credit)]) — every one posted except DRAFT.
BOOKED = [
    (datetime.date(2024, 12, 20), "上年结余", [("102", "10000.00", None), ("302", None, "10000.00")]),
    (datetime.date(2024, 12, 21), "上年会费", [("102", "500.00", None), ("401", None, "500.00")]),
    (datetime.date(2025, 3, 1), "春节慰问", [("50105", "800.10", None), ("102", None, "800.10")]),
    (datetime.date(2025, 1, 10), "一月会费", [("102", "1234.56", None), ("401", None, "1234.56")]),
    (datetime.date(2025, 2, 15), "回拨经费", [("102", "3000.00", None), ("40301", None, "3000.00")]),
    (datetime.date(2025, 3, 5), "羽毛球赛", [("50102", "450.25", None), ("102", None, "450.25")]),
    (datetime.date(2025, 4, 1), "困难帮扶", [("50301", "600.00", None), ("102", None, "600.00")]),
]
DRAFT = (datetime.date(2025, 3, 10), "未过账", [("50106", "99.99", None), ("102", None, "99.99")])


def _book(entry, actor, post=True):
    date, summary, lines = entry
    voucher = services.voucher_create(date=date, summary=summary, actor=actor, lines=[
        LineInput(code, debit=Decimal(debit or 0), credit=Decimal(credit or 0)) for code, debit, credit in lines])
    return services.voucher_post(voucher=voucher, actor=actor) if post else voucher


@pytest.fixture
def booked(treasurer):
    for entry in BOOKED:
        _book(entry, treasurer)
    _book(DRAFT, treasurer, post=False)
    return treasurer


def _lines(start, end):
    return [(code, Decimal(debit or 0), Decimal(credit or 0)) for date, _summary, lines in BOOKED
            if start <= date <= end for code, debit, credit in lines]


def _money(amount):
    return f"{amount:,.2f}"


def test_it_balances_the_trial_balance_and_rolls_sub_accounts_up(booked):
    report = books.trial_balance(**YEAR)
    lines = _lines(**{"start": YEAR["date_from"], "end": YEAR["date_to"]})
    assert report.totals["debit"] == report.totals["credit"] == sum(debit for _c, debit, _cr in lines)
    assert report.totals["closing_debit"] == report.totals["closing_credit"]
    assert report.totals["opening_debit"] == report.totals["opening_credit"] == Decimal("10500.00")
    rows = {row.account.code: row for row in report.rows}
    assert rows["102"].opening == Decimal("10500.00")  # balance-sheet accounts carry forward
    assert rows["401"].opening == 0  # income starts the year at zero …
    assert rows["302"].opening == Decimal("10500.00")  # … last year's surplus is brought forward into the fund
    assert (rows["302"].opening_debit, rows["302"].opening_credit) == (0, Decimal("10500.00"))
    assert rows["403"].credit == rows["40301"].credit == Decimal("3000.00")
    assert rows["501"].debit == Decimal("800.10") + Decimal("450.25")
    assert rows["50106"].is_empty  # the draft is not in the books
    assert rows["102"].closing == Decimal("10500.00") + Decimal("4234.56") - Decimal("1850.35")


def test_it_prints_the_trial_balance_with_totals_that_match_the_books(booked, settings):
    settings.LANGUAGE_CODE = "en"
    _name, mimetype, data = documents.trial_balance_pdf(**YEAR, stamp=timezone.now(), by=booked)
    assert mimetype == "application/pdf"
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    total_line = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    total = sum(debit for _c, debit, _cr in _lines(YEAR["date_from"], YEAR["date_to"]))
    assert total_line.split()[1:] == [_money(Decimal("10500.00"))] * 2 + [_money(total)] * 2 + [
        _money(Decimal("14734.56"))] * 2
    assert settings.UNION_NAME in text and "Year 2025" in text and "第1页/共1页" in text, text
    assert booked.member.name in text


def test_it_keeps_the_general_ledger_in_date_order_with_a_running_balance(booked, settings):
    settings.LANGUAGE_CODE = "en"
    bank = Account.objects.get(code="102")
    [section] = books.general_ledger(**YEAR, account=bank)
    lines = [entry for entry in section.entries if entry["kind"] == "line"]
    assert [line["date"] for line in lines] == sorted(line["date"] for line in lines)
    assert [line["summary"] for line in lines] == ["一月会费", "回拨经费", "春节慰问", "羽毛球赛", "困难帮扶"]
    running = Decimal("10500.00")
    for line in lines:
        running += line["debit"] - line["credit"]
        assert line["balance"] == running
    months = [entry for entry in section.entries if entry["kind"] == "month"]
    assert [(entry["month"], entry["debit"], entry["credit"]) for entry in months] == [
        ((2025, 1), Decimal("1234.56"), 0), ((2025, 2), Decimal("3000.00"), 0),
        ((2025, 3), 0, Decimal("1250.35")), ((2025, 4), 0, Decimal("600.00"))]
    _name, _mimetype, data = documents.ledger_pdf(**YEAR, stamp=timezone.now(), by=booked, account=bank)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    period_line = next(line for line in text.splitlines() if "Total for the period" in line)
    assert period_line.split()[-4:] == ["4,234.56", "1,850.35", "借", _money(running)]


def test_it_prints_a_ledger_section_for_every_account_with_lines(booked):
    sections = books.general_ledger(**YEAR)
    assert [section.account.code for section in sections] == ["102", "302", "401", "40301", "50102", "50105",
                                                              "50301"]
    assert next(s for s in sections if s.account.code == "302").line_count == 0  # a balance, no lines this year


def test_it_gives_income_and_spending_shares_to_a_hundredth_of_a_percent(booked, settings):
    settings.LANGUAGE_CODE = "en"
    statement = books.income_statement(**YEAR)
    income = Decimal("1234.56") + Decimal("3000.00")
    spending = Decimal("800.10") + Decimal("450.25") + Decimal("600.00")
    assert (statement.income.total, statement.spending.total) == (income, spending)
    shares = {row.account.code: rate for row, _amount, rate in statement.income.rows + statement.spending.rows}
    expected = (Decimal("1234.56") * 100 / income).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert shares["401"] == expected == Decimal("29.15")
    assert shares["501"] == (Decimal("1250.35") * 100 / spending).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert statement.surplus == income - spending
    assert statement.opening_fund_balance == Decimal("10500.00")
    assert statement.fund_balance == Decimal("10500.00") + income - spending
    _name, _mimetype, data = documents.income_statement_pdf(**YEAR, stamp=timezone.now(), by=booked)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert f"Total income {_money(income)}" in " ".join(text.split())
    assert f"Total spending {_money(spending)}" in " ".join(text.split())
    assert "29.15%" in text and "会费收入" in text


def test_it_writes_workbooks_with_the_same_totals(booked):
    _name, _mimetype, data = documents.trial_balance_xlsx(**YEAR, stamp=timezone.now(), by=booked)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    total = next(row for row in rows if row[1] == "Total" or row[1] == "合计")
    booked_total = sum(debit for _c, debit, _cr in _lines(YEAR["date_from"], YEAR["date_to"]))
    assert Decimal(str(total[4])) == Decimal(str(total[5])) == booked_total
    for maker in (documents.ledger_xlsx, documents.income_statement_xlsx):
        _name, _mimetype, data = maker(**YEAR, stamp=timezone.now(), by=booked)
        assert load_workbook(io.BytesIO(data)).active.max_row > 3


def test_it_runs_the_same_number_of_queries_for_200_and_2000_lines(treasurer):
    counts = []
    for year, vouchers in ((2031, 100), (2032, 1000)):
        make_posted_vouchers(year=year, vouchers=vouchers)
        with CaptureQueriesContext(connection) as queries:
            report = books.trial_balance(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
        assert report.totals["debit"] == report.totals["credit"] > 0
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2
    with CaptureQueriesContext(connection) as small:
        books.general_ledger(date_from=datetime.date(2031, 1, 1), date_to=datetime.date(2031, 12, 31))
    with CaptureQueriesContext(connection) as large:
        books.general_ledger(date_from=datetime.date(2032, 1, 1), date_to=datetime.date(2032, 12, 31))
    assert len(small) == len(large) == 3


def job_file(job):
    with job.output_file.open("rb") as handle:
        return handle.read()


def close_year(year, when):
    fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
    for month in range(1, 13):
        Period.objects.update_or_create(fiscal_year=fiscal_year, month=month, defaults={"closed_at": when})


def test_it_prints_a_closed_period_the_same_every_time(booked, chair, django_capture_on_commit_callbacks):
    closed_at = timezone.make_aware(datetime.datetime(2026, 1, 15, 9, 30))
    close_year(2025, closed_at)
    with django_capture_on_commit_callbacks(execute=True):
        first = report_document_start(kind="trial_balance", fmt="pdf", **YEAR, actor=booked)
    with django_capture_on_commit_callbacks(execute=True):
        second = report_document_start(kind="trial_balance", fmt="pdf", **YEAR, actor=chair)
    assert first.stamp == second.stamp == closed_at and second.stamp_by == booked
    first.job.refresh_from_db()
    second.job.refresh_from_db()
    assert first.job.status == second.job.status == "done"
    one, two = job_file(first.job), job_file(second.job)
    assert one == two
    assert "2026-01-15 09:30" in pdf_text(one)
    # An open period prints the time it was asked for.
    open_document = report_document_start(kind="trial_balance", fmt="pdf", date_from=datetime.date(2026, 1, 1),
                                          date_to=datetime.date(2026, 6, 30), actor=chair)
    assert open_document.stamp > closed_at and open_document.stamp_by == chair


def test_it_prints_budget_execution_and_dues_collection_from_rows(treasurer, settings):
    settings.LANGUAGE_CODE = "en"
    budget = [documents.BudgetRow("50105", "会员活动", Decimal("20000.00"), Decimal("15234.50")),
              documents.BudgetRow("50102", "文体活动", Decimal("8000.00"), Decimal("8120.00"))]
    _name, _mimetype, data = documents.budget_execution_pdf(budget, year=2025, stamp=timezone.now(), by=treasurer)
    assert_cjk_font_embedded(data)
    total_line = next(line for line in pdf_text(data).splitlines() if line.strip().startswith("Total Spending"))
    assert total_line.split()[2:] == ["28,000.00", "23,354.50", "4,645.50", "83.41%"]
    dues = [documents.DuesRow("机关一组", 12, Decimal("1440.00"), Decimal("1320.00")),
            documents.DuesRow("机关二组", 8, Decimal("960.00"), Decimal("960.00"))]
    _name, _mimetype, data = documents.dues_collection_pdf(dues, year=2025, month=3, stamp=timezone.now(),
                                                           by=treasurer)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    total_line = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert total_line.split()[1:] == ["20", "2,400.00", "2,280.00", "120.00", "95.00%"]
    assert "2025-03-01 – 2025-03-31" in text and pdf_pages(data) == 1
    for maker, rows, extra in ((documents.budget_execution_xlsx, budget, {}),
                               (documents.dues_collection_xlsx, dues, {"month": 3})):
        _name, mimetype, data = maker(rows, year=2025, stamp=timezone.now(), by=treasurer, **extra)
        assert data[:2] == b"PK"


def test_dues_collection_is_offered_once_a_source_is_registered(treasurer, monkeypatch, settings,
                                                                 django_capture_on_commit_callbacks):

    settings.LANGUAGE_CODE = "en"
    march = {"date_from": datetime.date(2025, 3, 1), "date_to": datetime.date(2025, 3, 31)}
    monkeypatch.setattr(jobs, "ROW_SOURCES", {})
    with pytest.raises(ValidationError):
        jobs.report_document_start(kind="dues_collection", fmt="pdf", **march, actor=treasurer)
    asked = []

    def dues_rows(*, year, month=None):
        asked.append((year, month))
        return [documents.DuesRow("机关一组", 3, Decimal("360.00"), Decimal("240.00"))]

    jobs.register_row_source("dues_collection", dues_rows)
    with django_capture_on_commit_callbacks(execute=True):
        document = jobs.report_document_start(kind="dues_collection", fmt="pdf", **march, actor=treasurer)
    document.job.refresh_from_db()
    assert asked == [(2025, 3)] and document.job.status == "done", document.job.message
    text = pdf_text(job_file(document.job))
    assert "360.00" in text and "66.67%" in text


def test_the_ledgers_bench_floor_is_a_bare_table_of_the_same_rows(treasurer):
    """benchmarks/finance.py judges the ledger PDF beside a bare WeasyPrint table: it must hold what the ledger holds."""
    from benchmarks.finance import bare_table_html

    make_posted_vouchers(year=2033, vouchers=40)
    sections = books.general_ledger(date_from=datetime.date(2033, 1, 1), date_to=datetime.date(2033, 12, 31),
                                    account=Account.objects.get(code="102"))
    html = bare_table_html(sections)
    body = html.split("<tbody>", 1)[1]
    assert body.count("<tr>") == sum(len(s.entries) for s in sections) > 40
    numbers = [e["number"] for s in sections for e in s.entries if e["kind"] == "line"]
    assert len(numbers) == 40 and all(f"<td>{n}</td>" in body for n in numbers)
