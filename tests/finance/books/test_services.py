import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from finance.books import selectors, services
from finance.books.services import LineInput
from finance.models import Account, Period, PeriodReopening, Voucher, VoucherState
from finance.spending import spending_post, spending_record

from .helpers import draft, lines, posted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]
D = Decimal


def test_it_reverses_a_posted_voucher_with_mirrored_lines(treasurer):
    original = posted(treasurer, debit_code="50105", credit_code="102", amount="80.00")
    reversal = services.voucher_reverse(voucher=original, date=datetime.date(2027, 3, 20), reason="重复记账",
                                        actor=treasurer)
    assert reversal.reverses == original and reversal.state == VoucherState.POSTED
    assert reversal.number == original.number + 1
    mirrored = {(line.account.code, line.debit, line.credit) for line in reversal.lines.all()}
    assert mirrored == {("50105", D("0"), D("80.00")), ("102", D("80.00"), D("0"))}
    balances = {row.account.code: row.closing for row in selectors.account_balances(
        date_from=datetime.date(2027, 1, 1), date_to=datetime.date(2027, 12, 31))}
    assert balances.get("50105", D("0")) == 0 and balances.get("102", D("0")) == 0
    with pytest.raises(ValidationError, match="reversed already"):
        services.voucher_reverse(voucher=original, date=datetime.date(2027, 3, 21), reason="x", actor=treasurer)
    with pytest.raises(ValidationError, match="itself a reversal"):
        services.voucher_reverse(voucher=reversal, date=datetime.date(2027, 3, 21), reason="x", actor=treasurer)
    assert LogEntry.objects.get_for_object(reversal).filter(actor=treasurer).exists()


def test_a_posted_voucher_cannot_be_edited_or_deleted_through_the_services(treasurer):
    voucher = posted(treasurer)
    with pytest.raises(ValidationError, match="never changed"):
        services.voucher_update_draft(voucher=voucher, date=voucher.date, summary="x", lines=lines(), actor=treasurer)
    with pytest.raises(ValidationError, match="never changed"):
        services.voucher_delete_draft(voucher=voucher, actor=treasurer)


def test_drafts_are_edited_and_deleted(treasurer):
    voucher = draft(treasurer)
    services.voucher_update_draft(voucher=voucher, date=datetime.date(2027, 5, 1), summary="改", actor=treasurer,
                                  lines=lines(amount="12.34"))
    voucher.refresh_from_db()
    assert voucher.date.month == 5 and sum(line.debit for line in voucher.lines.all()) == D("12.34")
    services.voucher_delete_draft(voucher=voucher, actor=treasurer)
    assert not Voucher.objects.filter(pk=voucher.pk).exists()


def test_the_chair_reviews_and_the_poster_cannot(treasurer, chair):
    voucher = posted(treasurer)
    with pytest.raises(PermissionDenied):
        services.voucher_review(voucher=voucher, actor=treasurer)
    reviewed = services.voucher_review(voucher=voucher, actor=chair)
    assert reviewed.state == VoucherState.REVIEWED and reviewed.reviewed_by == chair
    with pytest.raises(ValidationError):
        services.voucher_review(voucher=voucher, actor=chair)


def test_a_closed_period_refuses_posting_until_the_chair_reopens_it(treasurer, chair):
    services.year_open(year=2027, actor=treasurer)
    assert Period.objects.filter(fiscal_year__year=2027).count() == 12
    march = Period.objects.get(fiscal_year__year=2027, month=3)
    services.period_close(period=march, actor=treasurer)
    voucher = draft(treasurer)
    with pytest.raises(ValidationError, match="closed"):
        services.voucher_post(voucher=voucher, actor=treasurer)
    with pytest.raises(ValidationError, match="closed"):
        services.voucher_reverse(voucher=posted(treasurer, date=datetime.date(2027, 4, 1)),
                                 date=datetime.date(2027, 3, 31), reason="x", actor=treasurer)
    with pytest.raises(PermissionDenied):
        services.period_reopen(period=march, reason="补记", actor=treasurer)
    with pytest.raises(ValidationError, match="reason"):
        services.period_reopen(period=march, reason=" ", actor=chair)
    services.period_reopen(period=march, reason="补记漏记凭证", actor=chair)
    reopening = PeriodReopening.objects.get(period=march)
    assert reopening.reopened_by == chair and reopening.reason == "补记漏记凭证"
    assert services.voucher_post(voucher=voucher, actor=treasurer).number == 2


def test_spending_is_posted_in_one_voucher_linked_both_ways(treasurer, chair, welfare_officer):
    first = spending_record(source=chair, amount=D("300.00"), account_code="50105",
                            spent_on=datetime.date(2027, 2, 10), summary="春节慰问品", actor=welfare_officer)
    second = spending_record(source=treasurer, amount=D("200.50"), account_code="50105",
                             spent_on=datetime.date(2027, 2, 11), summary="春节慰问品", actor=welfare_officer)
    third = spending_record(source=welfare_officer, amount=D("1000.00"), account_code="50301",
                            spent_on=datetime.date(2027, 2, 12), summary="困难帮扶", actor=welfare_officer)
    voucher = spending_post(spendings=[first, second, third], date=datetime.date(2027, 2, 28), actor=treasurer)
    amounts = {(line.account.code, line.debit, line.credit) for line in voucher.lines.all()}
    assert amounts == {("50105", D("500.50"), D("0")), ("50301", D("1000.00"), D("0")),
                       ("102", D("0"), D("1500.50"))}
    assert set(voucher.spendings.all()) == {first, second, third}
    first.refresh_from_db()
    assert first.voucher == voucher and first.state == "posted"
    with pytest.raises(ValidationError, match="not yet in the books"):
        spending_post(spendings=[first], date=datetime.date(2027, 2, 28), actor=treasurer)


def test_it_refuses_a_line_on_an_unknown_or_inactive_account(treasurer):
    with pytest.raises(ValidationError, match="no account"):
        services.voucher_create(date=datetime.date(2027, 1, 1), summary="x", actor=treasurer,
                                lines=[LineInput("999", debit=D("1")), LineInput("401", credit=D("1"))])


def test_the_ledger_runs_a_balance_over_sub_accounts(treasurer, django_assert_num_queries):
    posted(treasurer, debit_code="50105", credit_code="102", amount="30.00", date=datetime.date(2026, 12, 1))
    posted(treasurer, debit_code="102", credit_code="402", amount="1000.00", date=datetime.date(2027, 1, 2))
    posted(treasurer, debit_code="50105", credit_code="102", amount="100.00", date=datetime.date(2027, 2, 1))
    posted(treasurer, debit_code="50102", credit_code="102", amount="50.00", date=datetime.date(2027, 2, 2))
    expense = Account.objects.get(code="501")
    with django_assert_num_queries(3):
        opening, lines = selectors.account_ledger(account=expense, date_from=datetime.date(2027, 1, 1),
                                                  date_to=datetime.date(2027, 12, 31))
    assert opening == 0  # an expense account opens each year at zero
    assert [(line.voucher_number, line.account_code, line.balance) for line in lines] == [
        ("2027-0002", "50105", D("100.00")), ("2027-0003", "50102", D("150.00"))]
    opening, lines = selectors.account_ledger(account=Account.objects.get(code="102"),
                                              date_from=datetime.date(2027, 2, 1), date_to=datetime.date(2027, 2, 28))
    assert opening == D("970.00") and [line.balance for line in lines] == [D("870.00"), D("820.00")]
