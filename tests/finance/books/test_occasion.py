"""Holiday gifts are classified in the books: a voucher line carries the occasion it pays for (辅助核算), and the
audit report lists each holiday's gifts from the ledger (issue 10, finding 7a)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from finance.books import selectors, services
from finance.books.demo import build_demo_books
from finance.books.services import LineInput
from finance.models import Account, Spending, SpendingState, VoucherLine
from finance.reports import books, writing
from finance.spending import spending_post, spending_record

from .test_admin import voucher_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal


def hand_voucher(actor, date, amount, occasion, *, account="50105"):
    voucher = services.voucher_create(date=date, summary="慰问品", actor=actor, lines=[
        LineInput(account, debit=D(amount), occasion=occasion), LineInput("102", credit=D(amount))])
    return services.voucher_post(voucher=voucher, actor=actor)


def test_posting_spending_puts_each_occasion_on_its_own_debit_line(treasurer, chair, auditor, welfare_officer):
    day = datetime.date(2026, 9, 25)
    spendings = [spending_record(source=person.member, amount=D(amount), account_code="50105", spent_on=day,
                                 summary="慰问品", actor=welfare_officer, occasion=occasion)
                 for person, amount, occasion in ((chair, "200.00", "2026 中秋"), (auditor, "150.35", "2026 中秋"),
                                                  (treasurer, "99.00", "2026 国庆"))]
    voucher = spending_post(spendings=spendings, date=day, actor=treasurer)
    debits = sorted(VoucherLine.objects.filter(voucher=voucher, debit__gt=0).values_list("occasion", "debit"))
    assert debits == [("2026 中秋", D("350.35")), ("2026 国庆", D("99.00"))]


def test_the_report_lists_a_hand_entered_holiday_voucher_from_the_ledger(treasurer):
    """No spending record at all: the gift was booked by hand with the occasion on its line. Before, the report
    read only spending records and said no holiday gifts were booked."""
    hand_voucher(treasurer, datetime.date(2026, 2, 6), "18600.00", "2026 春节")
    hand_voucher(treasurer, datetime.date(2026, 6, 12), "9300.00", "2026 端午")
    hand_voucher(treasurer, datetime.date(2026, 3, 1), "500.00", "")  # 50105 without an occasion: not a holiday
    hand_voucher(treasurer, datetime.date(2026, 4, 1), "70.00", "2026 春节", account="50102")  # another account
    assert books.holiday_gifts(year=2026) == [("2026 春节", 1, D("18600.00")), ("2026 端午", 1, D("9300.00"))]
    assert books.holiday_gifts(year=2025) == []


def test_a_reversal_carries_the_occasion_and_takes_the_gift_out_of_its_year(treasurer):
    voucher = hand_voucher(treasurer, datetime.date(2026, 2, 6), "600.00", "2026 春节")
    hand_voucher(treasurer, datetime.date(2026, 2, 8), "400.00", "2026 春节")
    reversal = services.voucher_reverse(voucher=voucher, date=datetime.date(2026, 2, 10), reason="录错",
                                        actor=treasurer)
    assert reversal.lines.get(account__code="50105").occasion == "2026 春节"
    assert books.holiday_gifts(year=2026) == [("2026 春节", 1, D("400.00"))]


def test_lines_booked_before_they_carried_an_occasion_fall_back_to_their_spending(treasurer, chair, auditor):
    """Posted lines are never changed, so a voucher booked before this change has blank occasions: its spending
    records still say what the gifts were for."""
    day = datetime.date(2025, 9, 20)
    spendings = [spending_record(source=person.member, amount=D(amount), account_code="50105", spent_on=day,
                                 summary="中秋慰问品", actor=treasurer, occasion="2025 中秋")
                 for person, amount in ((chair, "200.00"), (auditor, "300.00"))]
    old = hand_voucher(treasurer, day, "500.00", "")  # as spending_post booked it before: no occasion on the line
    Spending.objects.filter(pk__in=[s.pk for s in spendings]).update(voucher=old, state=SpendingState.POSTED)
    hand_voucher(treasurer, datetime.date(2025, 9, 21), "100.00", "2025 中秋")
    assert books.holiday_gifts(year=2025) == [("2025 中秋", 3, D("600.00"))]


def test_a_posted_lines_occasion_is_frozen_with_the_rest(treasurer):
    line = hand_voucher(treasurer, datetime.date(2026, 2, 6), "600.00", "2026 春节").lines.get(debit__gt=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherLine.objects.filter(pk=line.pk).update(occasion="2026 端午")
    line.refresh_from_db()
    assert line.occasion == "2026 春节"


def test_a_voucher_entered_in_the_admin_sets_the_occasion_of_its_line(treasurer, login):
    client = login(treasurer, use_client=Client())
    page = client.get("/admin/finance/voucher/add/").content.decode()
    assert 'name="lines-0-occasion"' in page
    data = voucher_form([("50105", "100.00", "0"), ("102", "0", "100.00")], **{"lines-0-occasion": "2027 春节"})
    response = client.post("/admin/finance/voucher/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert VoucherLine.objects.get(account=Account.objects.get(code="50105")).occasion == "2027 春节"


@pytest.mark.no_budget  # the demo passes its own budget
def test_the_demo_years_holiday_gifts_are_in_the_audit_report(chair, treasurer):
    """The walk's finding: the demo's 经审报告 said 本年度未列支节日慰问 though 50105 held the three holidays."""
    build_demo_books(today=datetime.date(2026, 11, 23))
    figures = writing.audit_figures(2026)
    assert figures["holiday_gifts"] == [  # in the order of the year
        {"occasion": "2026 春节", "count": 1, "amount": "18600.00"},
        {"occasion": "2026 端午", "count": 1, "amount": "9300.00"},
        {"occasion": "2026 中秋", "count": 1, "amount": "12400.00"}]
    gifts = sum(D(gift["amount"]) for gift in figures["holiday_gifts"])
    on_account = next(row for row in selectors.account_balances(date_from=datetime.date(2026, 1, 1),
                                                                date_to=datetime.date(2026, 12, 31))
                      if row.account.code == "50105").movement
    assert gifts == on_account
