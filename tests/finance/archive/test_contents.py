"""What a closed year's archive holds, every document built by the report builders, and its totals the books'."""

import datetime
from decimal import Decimal

import pytest

from accounts.names import display_name
from core.money import money
from finance.models import Voucher
from finance.reports import archive, books, documents
from tests.pdfcheck import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

YEAR_FILES = ["01-vouchers.pdf", "02-summary-ledger.pdf", "03-ledger.pdf", "04-trial-balance.pdf",
              "05-income-statement.pdf", "06-budget-execution.pdf", "07-audit-report.pdf", "08-disclosures.pdf",
              "manifest.json"]


def _flat(text):
    return " ".join(text.split())


def test_it_holds_every_document_the_rules_name_with_the_books_totals(full_year):
    """One render for every check: the archive takes seconds to make."""
    year_files = archive.year_archive_render(full_year)
    assert sorted(year_files) == YEAR_FILES
    _vouchers_are_printed_with_their_lines_and_people(year_files)
    _the_summary_ledger_adds_up_to_the_trial_balance(year_files)
    _the_statements_and_the_disclosures_carry_the_books_totals(year_files)


def _vouchers_are_printed_with_their_lines_and_people(year_files):
    text = _flat(pdf_text(year_files["01-vouchers.pdf"]))  # in the union's language (zh-hans), whoever asks
    vouchers = Voucher.objects.filter(fiscal_year__year=2025).select_related("created_by", "reviewed_by")
    assert vouchers.count() == 4
    for voucher in vouchers:
        assert f"{voucher.number:04d}" in text
    assert text.count("记 账 凭 证") == 4 and text.count("附件") == 4
    assert "300.50" in text and "99.99" in text and "1,200.00" in text
    assert text.count("制单人") == text.count("记账人") == text.count("审核人") == 4
    assert f"审核人：{display_name(vouchers[0].reviewed_by)}" in text


def _the_summary_ledger_adds_up_to_the_trial_balance(year_files):
    balance = {row.account.code: row for row in books.trial_balance(
        date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31)).roots()}
    sections = {section.account.code: section for section in books.summary_ledger(year=2025)}
    assert set(sections) == {"102", "401", "501"}
    for code, section in sections.items():
        assert sum((debit for _month, debit, _credit, _balance in section.months), Decimal(0)) == balance[code].debit
        assert sum((credit for _month, _debit, credit, _balance in section.months), Decimal(0)) == \
            balance[code].credit
        assert section.closing == balance[code].closing
        assert section.months[-1][3] == section.closing  # the last month's balance is the year's
    assert [month for month, *_rest in sections["102"].months] == [3, 5, 9, 11]
    assert sections["102"].closing == Decimal("1599.51")  # 800 - 300.50 + 1200 - 99.99
    text = _flat(pdf_text(year_files["02-summary-ledger.pdf"]))
    assert "总账" in text and "本年累计" in text and "1,599.51" in text and "2,000.00" in text


def _the_statements_and_the_disclosures_carry_the_books_totals(year_files):
    figures = documents.statement_figures(date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31))
    assert figures["income"]["total"] == "2000.00" and figures["spending"]["total"] == "400.49"
    statement = _flat(pdf_text(year_files["05-income-statement.pdf"]))
    assert money(figures["income"]["total"]) in statement and money(figures["spending"]["total"]) in statement
    assert "1,599.51" in _flat(pdf_text(year_files["04-trial-balance.pdf"]))
    disclosures = _flat(pdf_text(year_files["08-disclosures.pdf"]))
    for half, (date_from, date_to) in ((1, ("2025-01-01", "2025-06-30")), (2, ("2025-07-01", "2025-12-31"))):
        part = documents.statement_figures(date_from=datetime.date.fromisoformat(date_from),
                                           date_to=datetime.date.fromisoformat(date_to))
        assert money(part["income"]["total"]) in disclosures and money(part["spending"]["total"]) in disclosures
        assert f"第{half}次公开" in disclosures and f"2025年第{half}期财务公开" in disclosures
    audit = _flat(pdf_text(year_files["07-audit-report.pdf"]))
    assert "2,000.00" in audit and "400.49" in audit and "账目清楚" in audit


def test_an_unpublished_disclosure_is_not_in_the_archive(closed_year):
    text = _flat(pdf_text(archive.year_archive_render(closed_year)["08-disclosures.pdf"]))
    assert "本年度没有发布财务公开。" in text
