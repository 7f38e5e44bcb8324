import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from finance.books import selectors
from finance.books.services import voucher_post
from finance.budgets.services import (
    BudgetExceeded,
    budget_advance,
    budget_create,
    over_budget_approve,
    over_budget_confirm,
    voucher_hold,
)
from finance.models import Account, BudgetState, OverBudgetApproval
from finance.spending import spending_hold, spending_post, spending_record
from tests.finance.books.helpers import draft, posted

from .helpers import DAY, approved_budget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages"),
              pytest.mark.no_budget]  # each test puts in force the budget it checks against, or none
D = Decimal


def test_the_steps_are_recorded_by_the_chair_with_who_and_when(treasurer, chair, auditor):
    budget = budget_create(year=2027, title="预算", lines={"501": D("100.00")}, actor=treasurer)
    for outsider in (treasurer, auditor):
        with pytest.raises(PermissionDenied):
            budget_advance(budget=budget, on=DAY, reference="x", actor=outsider)
    budget_advance(budget=budget, on=DAY, reference="", actor=chair)
    with pytest.raises(ValidationError, match="reference"):
        budget_advance(budget=budget, on=DAY, reference=" ", actor=chair)
    budget_advance(budget=budget, on=DAY, reference="经审会纪要", actor=chair)
    budget = budget_advance(budget=budget, on=datetime.date(2027, 2, 1), reference="上级工会批复〔2027〕3号",
                            actor=chair)
    assert budget.state == BudgetState.HIGHER
    assert (budget.committee_by, budget.audit_by, budget.higher_by) == (chair, chair, chair)
    assert budget.audit_reference == "经审会纪要" and budget.higher_on == datetime.date(2027, 2, 1)
    with pytest.raises(ValidationError):
        budget_advance(budget=budget, on=DAY, reference="x", actor=chair)


def test_budget_vs_actual_rolls_up_and_counts_adjustments_in_force(treasurer, chair, django_assert_num_queries):
    budget = approved_budget(treasurer, chair)
    posted(treasurer, debit_code="50105", credit_code="102", amount="300.00")
    posted(treasurer, debit_code="50102", credit_code="102", amount="200.00")
    adjustment = budget_create(year=2027, title="调整", lines={"501": D("500.00")}, actor=treasurer, adjusts=budget)
    with django_assert_num_queries(3):
        rows = {row.account.code: row for row in selectors.budget_vs_actual(year=2027)}
    assert rows["501"].budget == D("1000.00") and rows["501"].actual == D("500.00")
    assert rows["501"].percent == D("50.0") and rows["50105"].budget is None
    assert rows["503"].budget == D("500.00") and rows["402"].actual == 0
    budget_advance(budget=adjustment, on=DAY, reference="", actor=chair)
    budget_advance(budget=adjustment, on=DAY, reference="经审会", actor=chair)
    rows = {row.account.code: row for row in selectors.budget_vs_actual(year=2027)}
    assert rows["501"].budget == D("1500.00") and rows["501"].remaining == D("1000.00")


def test_spending_with_no_budget_in_force_is_held_until_the_chair_confirms_it(treasurer, chair, auditor):
    voucher = draft(treasurer, debit_code="50105", credit_code="102", amount="600.00")
    with pytest.raises(BudgetExceeded) as refusal:
        voucher_post(voucher=voucher, actor=treasurer)
    finding = refusal.value.excesses[0]
    assert (finding.account.code, finding.no_budget, finding.over) == ("50105", True, D("600.00"))
    assert "No budget is in force for this year yet" in refusal.value.messages[0]
    voucher.refresh_from_db()
    assert voucher.state == "draft" and voucher.number is None
    with pytest.raises(PermissionDenied):  # the auditor changes nothing
        voucher_hold(voucher=voucher, reason="春节慰问", actor=auditor)
    with pytest.raises(ValidationError, match="why"):
        voucher_hold(voucher=voucher, reason=" ", actor=treasurer)
    [request] = voucher_hold(voucher=voucher, reason="春节慰问品，预算待经审会审查", actor=treasurer)
    assert voucher_hold(voucher=voucher, reason="again", actor=treasurer) == [request]  # not asked twice
    assert (request.requested_by, request.no_budget, request.amount) == (treasurer, True, D("600.00"))
    assert request.is_pending and request.requested_at and request.subject == "2027-03-05 测试凭证"
    with pytest.raises(BudgetExceeded):  # a request is not a confirmation
        voucher_post(voucher=voucher, actor=treasurer)
    for outsider in (treasurer, auditor):
        with pytest.raises(PermissionDenied):
            over_budget_confirm(approval=request, actor=outsider)
    confirmed = over_budget_confirm(approval=request, actor=chair)
    assert (confirmed.approved_by, confirmed.is_pending) == (chair, False) and confirmed.approved_at
    with pytest.raises(ValidationError, match="confirmed already"):
        over_budget_confirm(approval=request, actor=chair)
    assert voucher_post(voucher=voucher, actor=treasurer).number == 1
    request.refresh_from_db()
    assert request.voucher == voucher
    entries = LogEntry.objects.get_for_object(request).order_by("timestamp", "pk")
    assert [entry.actor for entry in entries] == [treasurer, chair, treasurer]  # asked, confirmed, used
    with pytest.raises(BudgetExceeded):  # a confirmation covers one posting
        posted(treasurer, debit_code="50105", credit_code="102", amount="1.00")


def test_no_budget_message_is_in_chinese(treasurer):
    voucher = draft(treasurer, debit_code="50105", credit_code="102", amount="600.00")
    with translation.override("zh-hans"), pytest.raises(BudgetExceeded) as refusal:
        voucher_post(voucher=voucher, actor=treasurer)
    assert "本年度预算尚未生效，此笔支出须经主席确认" in refusal.value.messages[0]


def test_a_budget_not_yet_agreed_is_no_budget_and_income_needs_no_confirmation(treasurer, chair):
    budget = budget_create(year=2027, title="预算", lines={"501": D("100000.00")}, actor=treasurer)
    budget_advance(budget=budget, on=DAY, reference="", actor=chair)  # the committee only: not in force
    posted(treasurer, debit_code="102", credit_code="402", amount="9800.00")  # income: no spending
    with pytest.raises(BudgetExceeded) as refusal:
        posted(treasurer, debit_code="50105", credit_code="102", amount="10.00")
    assert refusal.value.no_budget


def test_a_no_budget_confirmation_does_not_cover_spending_above_the_line(treasurer, chair):
    account = Account.objects.get(code="501")
    over_budget_approve(year=2027, account=account, amount=D("500.00"), reason="预算未批", no_budget=True,
                        actor=chair)
    approved_budget(treasurer, chair)  # 501: 1,000.00
    with pytest.raises(BudgetExceeded) as refusal:
        posted(treasurer, debit_code="50105", credit_code="102", amount="1200.00")
    assert [(excess.no_budget, excess.over) for excess in refusal.value.excesses] == [(False, D("200.00"))]


def test_recorded_spending_with_no_budget_is_held_then_posted(treasurer, chair):
    spending = spending_record(source=chair, amount=D("300.00"), account_code="50301",
                               spent_on=datetime.date(2027, 2, 1), summary="困难职工帮扶", actor=treasurer)
    with pytest.raises(BudgetExceeded, match="No budget"):
        spending_post(spendings=[spending], date=datetime.date(2027, 2, 3), actor=treasurer)
    [request] = spending_hold(spendings=[spending], date=datetime.date(2027, 2, 3), reason="急需", actor=treasurer)
    assert (request.account.code, request.amount, request.subject) == ("50301", D("300.00"), "困难职工帮扶")
    spending.refresh_from_db()
    assert spending.state == "recorded"
    over_budget_confirm(approval=request, actor=chair)
    voucher = spending_post(spendings=[spending], date=datetime.date(2027, 2, 3), actor=treasurer)
    spending.refresh_from_db()
    assert spending.voucher == voucher and voucher.over_budget_approvals.get() == request


def test_spending_above_the_line_needs_the_chairs_approval_which_is_logged(treasurer, chair):
    approved_budget(treasurer, chair)
    posted(treasurer, debit_code="50105", credit_code="102", amount="900.00")
    voucher = draft(treasurer, debit_code="50102", credit_code="102", amount="150.00")
    with pytest.raises(BudgetExceeded) as refusal:
        voucher_post(voucher=voucher, actor=treasurer)
    excess = refusal.value.excesses[0]
    assert (excess.account.code, excess.budget, excess.actual, excess.adding, excess.over) == (
        "501", D("1000.00"), D("900.00"), D("150.00"), D("50.00"))
    assert "over by 50.00" in str(refusal.value.messages[0])
    account = Account.objects.get(code="501")
    with pytest.raises(PermissionDenied):
        over_budget_approve(year=2027, account=account, amount=D("50.00"), reason="x", actor=treasurer)
    over_budget_approve(year=2027, account=account, amount=D("40.00"), reason="不够", actor=chair)
    with pytest.raises(BudgetExceeded):
        voucher_post(voucher=voucher, actor=treasurer)
    approval = over_budget_approve(year=2027, account=account, amount=D("50.00"), reason="工会会员活动增加",
                                   actor=chair)
    assert voucher_post(voucher=voucher, actor=treasurer).state == "posted"
    approval.refresh_from_db()
    assert approval.voucher == voucher and approval.approved_by == chair
    with pytest.raises(BudgetExceeded):  # an approval is used once
        posted(treasurer, debit_code="50102", credit_code="102", amount="1.00")


def test_spending_post_is_checked_against_an_account_with_no_budget(treasurer, chair):
    approved_budget(treasurer, chair)
    spending = spending_record(source=chair, amount=D("600.00"), account_code="50301",
                               spent_on=datetime.date(2027, 2, 1), summary="帮扶", actor=treasurer)
    with pytest.raises(BudgetExceeded, match="over by 100.00"):
        spending_post(spendings=[spending], date=datetime.date(2027, 2, 1), actor=treasurer)
    spending.refresh_from_db()
    assert spending.state == "recorded" and not OverBudgetApproval.objects.exists()
    unbudgeted = spending_record(source=treasurer, amount=D("10.00"), account_code="50401",
                                 spent_on=datetime.date(2027, 2, 1), summary="培训", actor=treasurer)
    with pytest.raises(BudgetExceeded, match="budget 0"):
        spending_post(spendings=[unbudgeted], date=datetime.date(2027, 2, 1), actor=treasurer)


def test_a_second_budget_for_a_year_is_refused(treasurer, chair):
    approved_budget(treasurer, chair)
    with pytest.raises(ValidationError, match="already has a budget"):
        budget_create(year=2027, title="again", lines={"501": D("1")}, actor=treasurer)
