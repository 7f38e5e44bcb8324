"""The row-printed reports read the real dues and budget figures once the finance app is ready."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from finance.models import AccountKind, BudgetLine, ReportKind, VoucherLine
from finance.reports import documents, jobs, sources
from tests.factories import MemberFactory, UnionGroupFactory
from tests.finance.books.helpers import posted
from tests.finance.budgets.helpers import approved_budget
from tests.finance.dues.helpers import post_month
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db


def test_dues_collection_is_registered_when_the_app_starts():
    assert jobs.ROW_SOURCES[ReportKind.DUES_COLLECTION] is sources.dues_rows
    assert ReportKind.DUES_COLLECTION in jobs.offered_kinds()


def test_the_dues_collection_report_adds_up_to_the_books(treasurer):
    first, second = UnionGroupFactory(name="机关一组"), UnionGroupFactory(name="机关二组")
    MemberFactory(dues_base=Decimal("5678.90"), union_group=first)  # 28.35 a month
    debtor = MemberFactory(dues_base=Decimal("3000.00"), union_group=first)  # 15.00
    MemberFactory(dues_base=Decimal("2000.00"), union_group=second)  # 10.00
    post_month(2026, 3, skip={debtor.pk}, actor=treasurer)
    post_month(2026, 4, actor=treasurer)

    rows = sources.dues_rows(year=2026)
    assert [(r.label, r.members, r.due, r.paid) for r in rows] == [
        ("机关一组", 2, Decimal("86.70"), Decimal("71.70")),
        ("机关二组", 1, Decimal("20.00"), Decimal("20.00")),
    ]
    credited = VoucherLine.objects.filter(account__code="401").aggregate(total=Sum("credit"))["total"]
    assert sum(r.paid for r in rows) == credited == Decimal("91.70")

    _name, _mimetype, data = documents.dues_collection_pdf(
        rows, year=2026, stamp=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC), by=treasurer)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert "91.70" in text and "106.70" in text and "机关二组" in text
    assert sources.dues_rows(year=2026, month=4)[0].paid == Decimal("43.35")


def test_budget_execution_is_registered_when_the_app_starts():
    assert jobs.ROW_SOURCES[ReportKind.BUDGET_EXECUTION] is sources.budget_rows
    assert ReportKind.BUDGET_EXECUTION in jobs.offered_kinds()


def _pdf_total(text, label):
    line = next(line for line in text.splitlines() if line.strip().startswith(f"Total {label}"))
    return line.split()[2:]


@pytest.mark.no_budget  # its own budget for 2027
def test_the_budget_execution_report_adds_up_to_the_budget_and_the_books(treasurer, chair, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"
    approved_budget(treasurer, chair)  # 501 1,000.00 · 50301 500.00 · 402 20,000.00, in force
    posted(treasurer, debit_code="50105", credit_code="102", amount="300.10", date=datetime.date(2027, 2, 3))
    posted(treasurer, debit_code="50102", credit_code="102", amount="199.45", date=datetime.date(2027, 3, 4))
    posted(treasurer, debit_code="50301", credit_code="102", amount="400.00", date=datetime.date(2027, 3, 5))
    posted(treasurer, debit_code="102", credit_code="402", amount="15000.00", date=datetime.date(2027, 3, 6))
    posted(treasurer, debit_code="50105", credit_code="102", amount="50.00", date=datetime.date(2027, 4, 1))

    rows = sources.budget_rows(year=2027)
    assert [(r.code, r.depth, r.budget, r.actual, r.income) for r in rows] == [
        ("402", 0, Decimal("20000.00"), Decimal("15000.00"), True),
        ("501", 0, Decimal("1000.00"), Decimal("549.55"), False),
        ("50102", 1, None, Decimal("199.45"), False),  # sub-accounts without a line of their own: actual only
        ("50105", 1, None, Decimal("350.10"), False),
        ("503", 0, Decimal("500.00"), Decimal("400.00"), False),
        ("50301", 1, Decimal("500.00"), Decimal("400.00"), False),
    ]
    # Independent sums: the approved lines and the posted lines, split into income and spending.
    budget = {kind: BudgetLine.objects.filter(account__kind=kind).aggregate(total=Sum("amount"))["total"]
              for kind in (AccountKind.INCOME, AccountKind.EXPENSE)}
    lines = VoucherLine.objects.filter(voucher__state="posted")
    spent = lines.filter(account__kind=AccountKind.EXPENSE).aggregate(total=Sum("debit"))["total"]
    received = lines.filter(account__kind=AccountKind.INCOME).aggregate(total=Sum("credit"))["total"]
    assert (budget[AccountKind.EXPENSE], spent) == (Decimal("1500.00"), Decimal("949.55"))

    _name, _mimetype, data = documents.budget_execution_pdf(
        rows, year=2027, stamp=datetime.datetime(2028, 1, 5, tzinfo=datetime.UTC), by=treasurer)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert _pdf_total(text, "Spending") == [f"{budget[AccountKind.EXPENSE]:,.2f}", f"{spent:,.2f}",
                                            f"{budget[AccountKind.EXPENSE] - spent:,.2f}", "63.30%"]
    assert _pdf_total(text, "Income") == [f"{budget[AccountKind.INCOME]:,.2f}", f"{received:,.2f}", "5,000.00",
                                          "75.00%"]
    assert "困难职工帮扶" in text and "Year 2027" in text

    # Through the report job for March: actual from 1 January to 31 March (the April gift is not counted).
    with django_capture_on_commit_callbacks(execute=True):
        document = jobs.report_document_start(kind="budget_execution", fmt="pdf", date_from=datetime.date(2027, 3, 1),
                                              date_to=datetime.date(2027, 3, 31), actor=treasurer)
    document.job.refresh_from_db()
    assert document.job.status == "done", document.job.message
    with document.job.output_file.open("rb") as handle:
        march = pdf_text(handle.read())
    assert _pdf_total(march, "Spending")[:2] == ["1,500.00", "899.55"]
    assert "2027-01-01 – 2027-03-31" in march
