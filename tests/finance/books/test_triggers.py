"""The database refuses what the services never do: each trigger is tested by going around finance.books.services
with the ORM or raw SQL (finance/migrations/0004_books_triggers.py)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from finance.books.services import period_for, voucher_reverse
from finance.models import Account, FiscalYear, Spending, SpendingState, Voucher, VoucherLine, VoucherState
from finance.spending import spending_post, spending_record

from .helpers import draft, posted

pytestmark = pytest.mark.django_db
REFUSED = "books:"


def refused(callable_):
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        callable_()


def test_it_refuses_posting_an_unbalanced_voucher_around_the_service(treasurer):
    voucher = draft(treasurer)
    VoucherLine.objects.filter(voucher=voucher, credit__gt=0).update(credit=Decimal("99.99"))
    year = voucher.fiscal_year
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(
        state=VoucherState.POSTED, number=year.last_voucher_number + 1, posted_at=timezone.now()))


def test_it_refuses_posting_a_voucher_with_one_line(treasurer):
    voucher = draft(treasurer)
    VoucherLine.objects.filter(voucher=voucher, credit__gt=0).delete()
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(
        state=VoucherState.POSTED, number=1, posted_at=timezone.now()))


def test_it_refuses_a_gap_or_a_repeated_number(treasurer):
    posted(treasurer)
    voucher = draft(treasurer)
    for number in (3, 1):
        refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(
            state=VoucherState.POSTED, number=number, posted_at=timezone.now()))
    Voucher.objects.filter(pk=voucher.pk).update(state=VoucherState.POSTED, number=2, posted_at=timezone.now())


def test_it_refuses_posting_into_a_closed_period_or_another_year(treasurer):
    voucher = draft(treasurer)
    period = period_for(voucher.date)
    period.closed_at = timezone.now()
    period.save()
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(
        state=VoucherState.POSTED, number=1, posted_at=timezone.now()))
    other = draft(treasurer, date=datetime.date(2027, 4, 1))
    refused(lambda: Voucher.objects.filter(pk=other.pk).update(
        date=datetime.date(2028, 4, 1), state=VoucherState.POSTED, number=1, posted_at=timezone.now()))


def test_it_refuses_creating_a_voucher_that_is_not_a_draft(treasurer):
    year = FiscalYear.objects.create(year=2040)
    refused(lambda: Voucher.objects.create(fiscal_year=year, date=datetime.date(2030, 1, 1), summary="x",
                                           state=VoucherState.POSTED, number=1, posted_at=timezone.now()))


@pytest.mark.parametrize("change", [
    {"summary": "changed"}, {"date": datetime.date(2027, 3, 6)}, {"number": 7}, {"attachments": 3},
    {"state": VoucherState.DRAFT, "number": None, "posted_at": None},
])
def test_it_refuses_changing_a_posted_voucher(treasurer, change):
    voucher = posted(treasurer)
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(**change))


def test_it_allows_only_the_review_step_and_then_nothing(treasurer, chair):
    voucher = posted(treasurer)
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(state=VoucherState.REVIEWED))  # without reviewer
    Voucher.objects.filter(pk=voucher.pk).update(state=VoucherState.REVIEWED, reviewed_by=chair,
                                                 reviewed_at=timezone.now())
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(reviewed_at=timezone.now()))
    refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(
        state=VoucherState.POSTED, reviewed_by=None, reviewed_at=None))


def test_it_refuses_deleting_a_posted_voucher_with_raw_sql(treasurer):
    voucher = posted(treasurer)

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM finance_voucher WHERE id = %s", [voucher.pk])

    refused(delete)


def test_it_refuses_touching_the_lines_of_a_posted_voucher(treasurer):
    voucher = posted(treasurer)
    line = voucher.lines.first()
    refused(lambda: VoucherLine.objects.filter(pk=line.pk).update(debit=Decimal("1.00")))
    refused(lambda: VoucherLine.objects.filter(pk=line.pk).delete())
    refused(lambda: VoucherLine.objects.create(voucher=voucher, account=Account.objects.get(code="101"),
                                               debit=Decimal("5.00")))
    other_draft = draft(treasurer)
    refused(lambda: VoucherLine.objects.filter(voucher=other_draft).update(voucher=voucher))

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE finance_voucherline SET credit = credit + 1 WHERE voucher_id = %s", [voucher.pk])

    refused(raw_update)


def test_draft_lines_stay_editable(treasurer):
    voucher = draft(treasurer)
    VoucherLine.objects.filter(voucher=voucher).update(summary="ok")
    VoucherLine.objects.filter(voucher=voucher).delete()
    Voucher.objects.filter(pk=voucher.pk).delete()


def test_the_counter_never_goes_back(treasurer):
    voucher = posted(treasurer)
    refused(lambda: FiscalYear.objects.filter(pk=voucher.fiscal_year_id).update(last_voucher_number=0))


def test_posted_spending_is_frozen(treasurer, chair):
    spending = spending_record(source=chair, amount=Decimal("50.00"), account_code="50105",
                               spent_on=datetime.date(2027, 3, 1), summary="生日蛋糕券", actor=treasurer)
    spending_post(spendings=[spending], date=datetime.date(2027, 3, 2), actor=treasurer)
    spending.refresh_from_db()
    assert spending.state == SpendingState.POSTED
    refused(lambda: Spending.objects.filter(pk=spending.pk).update(amount=Decimal("5.00")))
    refused(lambda: Spending.objects.filter(pk=spending.pk).delete())
    # posted -> reversed is the one step left, and only once the voucher that booked it has been reversed
    refused(lambda: Spending.objects.filter(pk=spending.pk).update(state=SpendingState.REVERSED))


def test_reversed_spending_is_frozen_too_and_only_its_state_moved(treasurer, chair):
    spending = spending_record(source=chair, amount=Decimal("50.00"), account_code="50105",
                               spent_on=datetime.date(2027, 3, 1), summary="生日蛋糕券", actor=treasurer)
    voucher = spending_post(spendings=[spending], date=datetime.date(2027, 3, 2), actor=treasurer)
    voucher_reverse(voucher=voucher, date=datetime.date(2027, 3, 3), reason="科目错误", actor=treasurer)
    spending.refresh_from_db()
    assert spending.state == SpendingState.REVERSED and spending.voucher_id == voucher.pk
    for change in ({"state": SpendingState.RECORDED, "voucher": None}, {"amount": Decimal("5.00")},
                   {"state": SpendingState.POSTED}):
        refused(lambda change=change: Spending.objects.filter(pk=spending.pk).update(**change))
    refused(lambda: Spending.objects.filter(pk=spending.pk).delete())


def test_the_sqlite_column_list_covers_every_voucher_column():
    """PostgreSQL compares whole rows; SQLite's trigger lists the columns, so a new column must be added there."""
    migration = importlib.import_module("finance.migrations.0004_books_triggers")
    columns = {field.column for field in Voucher._meta.concrete_fields}
    assert columns - {"state", "reviewed_by_id", "reviewed_at"} == set(migration.SQLITE_FROZEN_VOUCHER_COLUMNS)
    assert {field.column for field in Spending._meta.concrete_fields} == set(
        migration.SQLITE_FROZEN_SPENDING_COLUMNS)
