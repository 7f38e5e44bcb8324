"""The chair declines spending held for a budget confirmation (issue 11 #3): nothing is posted, the treasurer who
asked and whoever recorded the spending are told why, the refusal is audited and read by the auditor, and the
posting can be corrected and held again (or cancelled) — no dead end. Held requests are told apart by what they
are for (the voucher or the spending), not by their summary text."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from core.models import Notification
from core.workbench import tasks_for
from finance.books.services import LineInput, voucher_create, voucher_delete_draft, voucher_post
from finance.budgets.services import (
    BudgetExceeded,
    over_budget_confirm,
    over_budget_decline,
    voucher_hold,
)
from finance.models import OverBudgetApproval, SpendingState, VoucherState
from finance.spending import spending_cancel, spending_hold, spending_post, spending_record
from tests.finance.books.helpers import draft
from tests.once import once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english"), pytest.mark.no_budget]
D = Decimal
DAY = datetime.date(2027, 3, 5)


def _held_count(chair):
    return next(task["count"] for task in tasks_for(chair) if task["key"] == "finance.over_budget")


def _two_accounts(treasurer, summary="两个科目"):
    return voucher_create(date=DAY, summary=summary, actor=treasurer, lines=[
        LineInput("50105", debit=D("10.00")), LineInput("50301", debit=D("20.00")), LineInput("102", credit=D("30.00"))])


def test_declining_posts_nothing_tells_the_treasurer_is_audited_and_the_voucher_can_be_held_again(treasurer, chair):
    voucher = _two_accounts(treasurer)
    first, second = voucher_hold(voucher=voucher, reason="春节慰问", actor=treasurer)
    assert _held_count(chair) == 1

    with pytest.raises(ValidationError, match="why"):
        over_budget_decline(approval=first, reason="  ", actor=chair)
    declined = over_budget_decline(approval=first, reason="超出年度慰问标准", actor=chair)
    assert {request.pk for request in declined} == {first.pk, second.pk}  # the posting is declined as a whole
    for request in (first, second):
        request.refresh_from_db()
        assert (request.is_pending, request.is_declined, request.declined_by, request.decline_reason) == (
            False, True, chair, "超出年度慰问标准")
        assert request.approved_at is None and request.voucher_id is None
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.DRAFT and voucher.number is None  # not posted
    with pytest.raises(BudgetExceeded):  # a refusal is no confirmation
        voucher_post(voucher=voucher, actor=treasurer)
    assert _held_count(chair) == 0

    [told] = Notification.objects.filter(user=treasurer)
    assert "2027-03-05 两个科目" in told.title and "超出年度慰问标准" in told.body
    assert told.url == f"/admin/finance/voucher/{voucher.pk}/change/"
    assert not Notification.objects.filter(user=chair).exists()
    entry = LogEntry.objects.get_for_object(first).order_by("-timestamp", "-pk").first()
    assert entry.actor == chair and entry.changes_dict["decline_reason"] == ["", "超出年度慰问标准"]
    assert "declined_at" in entry.changes_dict and "declined_by" in entry.changes_dict

    with pytest.raises(ValidationError, match="declined already"):
        over_budget_decline(approval=second, reason="again", actor=chair)
    with pytest.raises(ValidationError, match="declined already"):
        over_budget_confirm(approval=first, actor=chair)

    # corrected (one account less) and held again: a new request, which the chair confirms, then it posts
    voucher.lines.filter(account__code="50301").delete()
    voucher.lines.filter(account__code="102").update(credit=D("10.00"))
    [again] = voucher_hold(voucher=voucher, reason="已按标准调整", actor=treasurer)
    assert again.pk not in (first.pk, second.pk) and again.is_pending and _held_count(chair) == 1
    over_budget_confirm(approval=again, actor=chair)
    assert voucher_post(voucher=voucher, actor=treasurer).state == VoucherState.POSTED


@pytest.mark.parametrize("persona", ["treasurer", "auditor", "welfare_officer", "outsider"])
def test_only_the_chairs_permission_declines(request, treasurer, persona):
    [held] = voucher_hold(voucher=draft(treasurer, debit_code="50105", credit_code="102", amount="600.00"),
                          reason="x", actor=treasurer)
    with pytest.raises(PermissionDenied):
        over_budget_decline(approval=held, reason="不同意", actor=request.getfixturevalue(persona))
    held.refresh_from_db()
    assert held.is_pending and not Notification.objects.exists()


def test_held_spending_declined_tells_whoever_recorded_it_and_can_be_held_again_or_cancelled(
        treasurer, chair, welfare_officer):
    first = spending_record(source=chair, amount=D("300.00"), account_code="50105", spent_on=DAY,
                            summary="住院慰问", actor=welfare_officer)
    second = spending_record(source=welfare_officer, amount=D("200.00"), account_code="50105", spent_on=DAY,
                             summary="住院慰问", actor=welfare_officer)
    [held] = spending_hold(spendings=[first], date=DAY, reason="急需", actor=treasurer)
    assert set(held.held_spendings.all()) == {first}
    over_budget_decline(approval=held, reason="请先确认标准", actor=chair)
    assert Notification.objects.filter(user=treasurer).count() == 1
    [told] = Notification.objects.filter(user=welfare_officer)
    assert "住院慰问" in told.title and "请先确认标准" in told.body
    first.refresh_from_db()
    assert first.state == SpendingState.RECORDED and first.voucher_id is None
    [again] = spending_hold(spendings=[first], date=DAY, reason="标准已确认", actor=treasurer)
    assert again.pk != held.pk and again.is_pending
    # …or the payout is withdrawn: the spending is cancelled, nothing stays stuck
    assert spending_cancel(spending=second, actor=welfare_officer).state == SpendingState.CANCELLED
    over_budget_confirm(approval=again, actor=chair)
    assert spending_post(spendings=[first], date=DAY, actor=treasurer).state == VoucherState.POSTED


def test_two_postings_with_the_same_summary_are_two_requests(treasurer, chair):
    one, other = _two_accounts(treasurer, "慰问品"), _two_accounts(treasurer, "慰问品")
    held_one, held_other = (voucher_hold(voucher=voucher, reason="x", actor=treasurer) for voucher in (one, other))
    assert {request.subject for request in held_one + held_other} == {"2027-03-05 慰问品"}
    assert {request.pk for request in held_one}.isdisjoint(request.pk for request in held_other)
    assert voucher_hold(voucher=one, reason="again", actor=treasurer) == held_one  # the same posting: not twice
    assert _held_count(chair) == 2
    over_budget_decline(approval=held_one[0], reason="重复", actor=chair)  # declines the first posting only
    assert all(request.is_pending for request in OverBudgetApproval.objects.filter(held_voucher=other))
    assert _held_count(chair) == 1

    a, b = (spending_record(source=source, amount=D("50.00"), account_code="50105", spent_on=DAY, summary="生日蛋糕券",
                            actor=treasurer) for source in (chair, treasurer))
    [held_a] = spending_hold(spendings=[a], date=DAY, reason="x", actor=treasurer)
    [held_b] = spending_hold(spendings=[b], date=DAY, reason="x", actor=treasurer)
    assert held_a.subject == held_b.subject and held_a.pk != held_b.pk
    assert spending_hold(spendings=[a], date=DAY, reason="x", actor=treasurer) == [held_a]
    assert _held_count(chair) == 3


def test_the_chair_declines_on_a_confirmation_page_once_and_the_auditor_reads_it(treasurer, chair, auditor, login):
    voucher = draft(treasurer, debit_code="50105", credit_code="102", amount="600.00")
    [held] = voucher_hold(voucher=voucher, reason="春节慰问品", actor=treasurer)
    chair_client, treasurer_client, auditor_client = (login(user, use_client=Client())
                                                      for user in (chair, treasurer, auditor))
    url = f"/admin/finance/overbudgetapproval/{held.pk}/decline/"
    listing = chair_client.get("/admin/finance/overbudgetapproval/?state=pending").content.decode()
    assert url in listing
    for client in (treasurer_client, auditor_client):
        assert client.get(url).status_code == 403 and client.post(url, once(reason="x")).status_code == 403
        assert url not in client.get("/admin/finance/overbudgetapproval/").content.decode()
    page = chair_client.get(url).content.decode()
    assert 'id="decline-effect"' in page and "600.00" in page and "春节慰问品" in page and 'name="reason"' in page
    assert "This field is required" in chair_client.post(url, once()).content.decode()
    held.refresh_from_db()
    assert held.is_pending

    answer = once(reason="预算未经审会审查，暂缓")
    response = chair_client.post(url, answer)
    assert response.status_code == 302 and response["Location"].endswith("?state=declined")
    declined_at = OverBudgetApproval.objects.get().declined_at
    again = chair_client.post(url, answer, follow=True)  # a double submit: nothing is written twice
    assert "submitted already" in again.content.decode()
    assert OverBudgetApproval.objects.get().declined_at == declined_at
    assert Notification.objects.filter(user=treasurer).count() == 1

    listing = auditor_client.get("/admin/finance/overbudgetapproval/?state=declined").content.decode()
    assert "预算未经审会审查，暂缓" in listing and "declined by" in listing
    detail = auditor_client.get(f"/admin/finance/overbudgetapproval/{held.pk}/change/").content.decode()
    assert "预算未经审会审查，暂缓" in detail and 'id="tool-decline"' not in detail

    # the treasurer, posting again, reads why, and may hold it for the chair again
    page = treasurer_client.post(f"/admin/finance/voucher/{voucher.pk}/post/", once()).content.decode()
    assert 'id="declined-before"' in page and "预算未经审会审查，暂缓" in page and 'name="ask_chair"' in page


def test_deleting_a_held_draft_or_cancelling_held_spending_withdraws_what_waits_for_the_chair(treasurer, chair,
                                                                                            welfare_officer):
    """No question about nothing on the chair's workbench: the held posting is gone, so is its request (and the
    audit trail says who withdrew it). A decided request stays as the record of the decision."""
    voucher = _two_accounts(treasurer, "已作废的草稿")
    first, second = voucher_hold(voucher=voucher, reason="春节慰问", actor=treasurer)
    kept = _two_accounts(treasurer, "另一张")
    [waiting, _other] = voucher_hold(voucher=kept, reason="另一张", actor=treasurer)
    assert _held_count(chair) == 2
    voucher_delete_draft(voucher=voucher, actor=treasurer)
    assert not OverBudgetApproval.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert OverBudgetApproval.objects.filter(held_voucher=kept).count() == 2 and _held_count(chair) == 1
    gone = LogEntry.objects.filter(object_pk=str(first.pk), action=LogEntry.Action.DELETE,
                                   content_type__model="overbudgetapproval").get()
    assert gone.actor == treasurer

    gift, other_gift = (spending_record(source=source, amount=D("300.00"), account_code="50105", spent_on=DAY,
                                        summary="住院慰问", actor=welfare_officer) for source in (chair, treasurer))
    [held] = spending_hold(spendings=[gift, other_gift], date=DAY, reason="急需", actor=treasurer)
    over_budget_decline(approval=waiting, reason="不同意", actor=chair)
    spending_cancel(spending=gift, actor=welfare_officer)
    assert not OverBudgetApproval.objects.filter(pk=held.pk).exists()  # the posting asked for cannot be made
    assert _held_count(chair) == 0
    assert OverBudgetApproval.objects.filter(pk=waiting.pk, declined_by=chair).exists()  # decided: kept


def test_the_delete_page_of_a_held_draft_says_what_it_withdraws_from_the_chair(treasurer, login):
    voucher = _two_accounts(treasurer, "将删除的草稿")
    voucher_hold(voucher=voucher, reason="春节慰问", actor=treasurer)
    page = login(treasurer, use_client=Client()).get(f"/admin/finance/voucher/{voucher.pk}/delete/").content.decode()
    assert page.count("Request waiting for the chair, withdrawn with it: ") == 2
    assert "10.00" in page and "20.00" in page
