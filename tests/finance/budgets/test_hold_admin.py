"""Spending held for the chair's budget confirmation, walked through the console: the treasurer is refused at
posting and holds it for the chair, the chair's workbench counts it and links to where the chair confirms, the
chair confirms, the treasurer posts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from core.workbench import tasks_for
from finance.books.services import LineInput, voucher_create
from finance.budgets.services import over_budget_approve, voucher_hold
from finance.models import Account, OverBudgetApproval, Spending, VoucherState
from finance.spending import spending_record
from tests.finance.books.helpers import draft
from tests.once import once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english"), pytest.mark.no_budget]
D = Decimal
HELD = "/admin/finance/overbudgetapproval/?state=pending"


def _tile(html):
    match = re.search(r'data-task="finance.over_budget">\s*<a href="([^"]*)"><span class="wb-count">(\d+)</span>', html)
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def _held_count(chair):
    return next(task["count"] for task in tasks_for(chair) if task["key"] == "finance.over_budget")


def test_a_voucher_with_no_budget_is_held_for_the_chair_who_confirms_then_it_posts(treasurer, chair, login):
    voucher = draft(treasurer, debit_code="50105", credit_code="102", amount="600.00")
    treasurer_client, chair_client = login(treasurer, use_client=Client()), login(chair, use_client=Client())
    url = f"/admin/finance/voucher/{voucher.pk}/post/"
    page = treasurer_client.post(url, once()).content.decode()
    assert 'id="budget-exceeded"' in page and "No budget is in force for this year yet" in page
    assert 'name="ask_chair"' in page and 'id="held-already"' not in page
    assert "/admin/finance/overbudgetapproval/add/" not in page  # the treasurer asks; only the chair approves
    assert _tile(chair_client.get("/admin/").content.decode()) == (HELD, 0)

    response = treasurer_client.post(url, once(ask_chair="1", chair_reason="春节慰问品，预算待经审会审查"))
    assert response.status_code == 302 and response["Location"] == f"/admin/finance/voucher/{voucher.pk}/change/"
    request = OverBudgetApproval.objects.get()
    assert (request.requested_by, request.is_pending, request.no_budget, request.amount) == (
        treasurer, True, True, D("600.00"))
    page = treasurer_client.post(url, once()).content.decode()  # refused again: says it waits, asks no more
    assert 'id="held-already"' in page and 'name="ask_chair"' not in page
    assert _tile(chair_client.get("/admin/").content.decode()) == (HELD, 1)
    held = chair_client.get(HELD).content.decode()
    confirm = f"/admin/finance/overbudgetapproval/{request.pk}/confirm/"
    assert confirm in held and "测试凭证" in held

    assert treasurer_client.get(confirm).status_code == 403
    page = chair_client.get(confirm).content.decode()
    assert 'id="held-spending"' in page and "600.00" in page and "春节慰问品" in page
    assert chair_client.post(confirm, once()).status_code == 302
    request.refresh_from_db()
    assert request.approved_by == chair and request.approved_at is not None
    assert _tile(chair_client.get("/admin/").content.decode()) == (HELD, 0)
    assert treasurer_client.post(url, once()).status_code == 302
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.POSTED and request.voucher_id is None
    request.refresh_from_db()
    assert request.voucher == voucher


def test_recorded_spending_is_held_from_the_posting_action(treasurer, chair, login):
    spending = spending_record(source=chair, amount=D("120.00"), account_code="50105",
                               spent_on=datetime.date(2027, 5, 1), summary="生日蛋糕券", actor=treasurer)
    client = login(treasurer, use_client=Client())
    answer = {"action": "post_selected", "_selected_action": [spending.pk], "confirmed": "yes",
              "date": "2027-05-02", "credit_account": "102"}
    page = client.post("/admin/finance/spending/", once(answer)).content.decode()
    assert 'id="budget-exceeded"' in page and 'name="ask_chair"' in page
    assert 'name="date" value="2027-05-02"' in page  # the hold form carries the posting's date
    response = client.post("/admin/finance/spending/", once(answer, ask_chair="1", chair_reason="会员生日"))
    assert response.status_code == 302
    request = OverBudgetApproval.objects.get()
    assert (request.subject, request.amount, request.requested_by) == ("生日蛋糕券", D("120.00"), treasurer)
    assert Spending.objects.get().state == "recorded"
    assert _held_count(chair) == 1


def test_the_workbench_counts_each_held_posting_once_and_not_what_the_chair_approved_ahead(treasurer, chair):
    two_lines = voucher_create(date=datetime.date(2027, 3, 5), summary="两个科目", actor=treasurer, lines=[
        LineInput("50105", debit=D("10.00")), LineInput("50301", debit=D("20.00")),
        LineInput("102", credit=D("30.00"))])
    assert len(voucher_hold(voucher=two_lines, reason="急需", actor=treasurer)) == 2
    over_budget_approve(year=2027, account=Account.objects.get(code="501"), amount=D("5.00"), reason="x",
                        no_budget=True, actor=chair)
    assert _held_count(chair) == 1
    voucher_hold(voucher=draft(treasurer, debit_code="50105", credit_code="102", amount="600.00"), reason="x",
                 actor=treasurer)
    assert _held_count(chair) == 2
