"""The treasurer's and chair's console for the books (finance/books/admin.py, finance/budgets/admin.py)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.books import selectors, services
from finance.books.admin_links import admin_change_url
from finance.books.services import LineInput
from finance.budgets.services import budget_advance, budget_create
from finance.models import Account, Budget, Period, Spending, Voucher, VoucherLine, VoucherState
from finance.spending import spending_record
from tests.activities.factories import ActivityFactory
from tests.once import once

from .helpers import draft, lines, posted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal


def voucher_form(lines, **fields):
    data = {"date": "2027-03-05", "summary": "办公用品", "attachments": "2", "lines-TOTAL_FORMS": str(len(lines)),
            "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "2", "lines-MAX_NUM_FORMS": "1000", **fields}
    for index, (code, debit, credit) in enumerate(lines):
        account = Account.objects.get(code=code)
        data.update({f"lines-{index}-account": account.pk, f"lines-{index}-summary": "",
                     f"lines-{index}-debit": debit, f"lines-{index}-credit": credit})
    return data


def test_it_enters_a_draft_in_the_admin_and_refuses_an_unbalanced_one(treasurer, login):
    client = login(treasurer, use_client=Client())
    response = client.post("/admin/finance/voucher/add/", voucher_form([("50105", "100.00", "0"),
                                                                         ("102", "0", "90.00")]))
    assert response.status_code == 200
    assert "The voucher does not balance: debits 100.00, credits 90.00." in response.content.decode()
    assert not Voucher.objects.exists()
    page = client.get("/admin/finance/voucher/add/").content.decode()
    assert 'id="voucher-totals"' in page and "voucher_totals.js" in page
    assert "50301 困难职工帮扶 [?]" in page and "50105 会员活动 [?]" not in page
    response = client.post("/admin/finance/voucher/add/", voucher_form([("50105", "100.00", "0"),
                                                                         ("102", "0", "100.00")]))
    assert response.status_code == 302
    voucher = Voucher.objects.get()
    assert voucher.state == VoucherState.DRAFT and voucher.attachments == 2 and voucher.lines.count() == 2


def test_it_posts_then_shows_the_voucher_read_only_without_delete(treasurer, login):
    client = login(treasurer, use_client=Client())
    voucher = draft(treasurer)
    assert 'id="tool-post"' in client.get(f"/admin/finance/voucher/{voucher.pk}/change/").content.decode()
    assert client.get(f"/admin/finance/voucher/{voucher.pk}/post/").status_code == 200
    assert client.post(f"/admin/finance/voucher/{voucher.pk}/post/", once()).status_code == 302
    voucher.refresh_from_db()
    assert voucher.number == 1
    page = client.get(f"/admin/finance/voucher/{voucher.pk}/change/").content.decode()
    assert "deletelink" not in page and 'id="tool-reverse"' in page and 'name="_save"' not in page
    assert client.post(f"/admin/finance/voucher/{voucher.pk}/change/", voucher_form(
        [("50105", "1.00", "0"), ("102", "0", "1.00")])).status_code == 403
    assert client.post(f"/admin/finance/voucher/{voucher.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(f"/admin/finance/voucher/{voucher.pk}/reverse/",
                           once({"date": "2027-03-31", "reason": "金额错误"}))
    assert response.status_code == 302
    assert Voucher.objects.get(reverses=voucher).number == 2


def test_a_draft_is_deleted_with_its_lines(treasurer, login):
    client = login(treasurer, use_client=Client())
    voucher = draft(treasurer)
    assert client.post(f"/admin/finance/voucher/{voucher.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Voucher.objects.exists()


@pytest.mark.no_budget  # its own budget for 2027
def test_the_post_page_shows_the_budget_figures_and_refuses(treasurer, chair, login):
    budget = budget_create(year=2027, title="预算", lines={"501": D("100.00")}, actor=treasurer)
    budget_advance(budget=budget, on=datetime.date(2027, 1, 5), reference="", actor=chair)
    budget_advance(budget=budget, on=datetime.date(2027, 1, 6), reference="经审会纪要", actor=chair)
    voucher = draft(treasurer, debit_code="50105", credit_code="102", amount="150.00")
    client = login(treasurer, use_client=Client())
    page = client.post(f"/admin/finance/voucher/{voucher.pk}/post/", once()).content.decode()
    assert 'id="budget-exceeded"' in page and "over by 50.00" in page
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.DRAFT


def test_the_treasurer_posts_selected_spending_after_confirming(treasurer, chair, login):
    first = spending_record(source=chair, amount=D("120.00"), account_code="50105",
                            spent_on=datetime.date(2027, 5, 1), summary="生日蛋糕券", actor=treasurer)
    client = login(treasurer, use_client=Client())
    selection = {"action": "post_selected", "_selected_action": [first.pk]}
    page = client.post("/admin/finance/spending/", selection)
    assert page.status_code == 200 and "120.00" in page.content.decode()
    assert Spending.objects.get().state == "recorded"
    response = client.post("/admin/finance/spending/", once({**selection, "confirmed": "yes", "date": "2027-05-02",
                                                             "credit_account": "102"}))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "posted" and first.voucher.number == 1
    page = client.get(f"/admin/finance/voucher/{first.voucher.pk}/change/").content.decode()
    assert "生日蛋糕券" in page


def test_activity_spending_is_recorded_once(treasurer, login):
    activity = ActivityFactory()
    client = login(treasurer, use_client=Client())
    data = {"activity": activity.pk, "account": "50102", "amount": "880.00", "spent_on": "2027-04-20",
            "summary": "春游大巴"}
    assert client.post("/admin/finance/spending/record-activity/", once(data)).status_code == 302
    spending = Spending.objects.get()
    assert spending.source == activity and spending.account.code == "50102"
    assert "recorded already" in client.post("/admin/finance/spending/record-activity/",
                                             once(data)).content.decode()


def test_only_the_chair_reopens_a_period(treasurer, chair, login):
    services.year_open(year=2027, actor=treasurer)
    march = Period.objects.get(fiscal_year__year=2027, month=3)
    treasurer_client = login(treasurer, use_client=Client())
    treasurer_client.post("/admin/finance/period/", {"action": "close_selected", "_selected_action": [march.pk],
                                                     "confirmed": "yes"})
    march.refresh_from_db()
    assert march.is_closed
    assert treasurer_client.get(f"/admin/finance/period/{march.pk}/reopen/").status_code == 403
    chair_client = login(chair, use_client=Client())
    assert 'id="tool-reopen"' in chair_client.get(f"/admin/finance/period/{march.pk}/change/").content.decode()
    assert chair_client.post(f"/admin/finance/period/{march.pk}/reopen/", {"reason": "补记"}).status_code == 302
    march.refresh_from_db()
    assert not march.is_closed and march.reopenings.get().reason == "补记"


def test_an_account_with_lines_cannot_be_deleted_and_unverified_codes_are_flagged(treasurer, chair, login):
    posted(treasurer)
    client = login(chair, use_client=Client())
    bank = Account.objects.get(code="102")
    assert client.post(f"/admin/finance/account/{bank.pk}/delete/", {"post": "yes"}).status_code == 403
    assert "[?]" in client.get("/admin/finance/account/?unverified__exact=1").content.decode()
    response = client.post("/admin/finance/account/add/", {"code": "50107", "name": "读书活动", "kind": "expense",
                                                           "parent": Account.objects.get(code="501").pk,
                                                           "is_active": "on"})
    assert response.status_code == 302 and Account.objects.get(code="50107").parent.code == "501"


@pytest.mark.no_budget  # its own budget for 2027
def test_the_chair_records_budget_steps_in_the_admin(treasurer, chair, login):
    budget = budget_create(year=2027, title="预算", lines={"501": D("100.00")}, actor=treasurer)
    assert login(treasurer, use_client=Client()).get(f"/admin/finance/budget/{budget.pk}/advance/").status_code == 403
    client = login(chair, use_client=Client())
    assert client.post(f"/admin/finance/budget/{budget.pk}/advance/", {"on": "2027-01-05",
                                                                      "reference": ""}).status_code == 302
    assert Budget.objects.get().state == "committee"
    assert client.get(f"/admin/finance/budget/{budget.pk}/execution/").status_code == 200


def test_the_voucher_pages_list_filter_and_show(treasurer, member_user, login):
    voucher = posted(treasurer, debit_code="50105", credit_code="102", amount="66.00")
    draft(treasurer)
    client = login(treasurer, use_client=Client())
    page = client.get("/finance/vouchers/?state=posted&account=501").content.decode()
    assert "2027-0001" in page and page.count("测试凭证") == 1
    assert "66.00" in client.get(f"/finance/vouchers/{voucher.pk}/").content.decode()
    assert client.get("/finance/budget/2027/").status_code == 200
    assert login(member_user, use_client=Client()).get("/finance/vouchers/").status_code == 403


def test_opening_a_year_creates_its_periods(treasurer, login):
    client = login(treasurer, use_client=Client())
    assert client.post("/admin/finance/fiscalyear/open/", {"year": "2036"}).status_code == 302
    assert Period.objects.filter(fiscal_year__year=2036).count() == 12


@pytest.mark.no_budget  # its own budget for 2027
def test_the_treasurer_drafts_a_budget_in_the_admin(treasurer, login):
    client = login(treasurer, use_client=Client())
    year = services.year_open(year=2027, actor=treasurer)

    def form(amount):
        return {"fiscal_year": year.pk, "adjusts": "", "title": "2027年度预算", "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000",
                "lines-0-account": Account.objects.get(code="50105").pk, "lines-0-amount": amount,
                "lines-0-note": ""}

    assert "cannot be negative" in client.post("/admin/finance/budget/add/", form("-5.00")).content.decode()
    assert client.post("/admin/finance/budget/add/", form("70000.00")).status_code == 302
    budget = Budget.objects.get()
    assert budget.state == "draft" and budget.created_by == treasurer and budget.lines.get().amount == D("70000.00")


def test_the_voucher_list_filters_by_account_without_doubling_amounts(treasurer, login):
    services.voucher_post(voucher=services.voucher_create(
        date=datetime.date(2027, 3, 5), summary="两项活动", actor=treasurer, lines=[
            LineInput("50105", debit=D("30.00")), LineInput("50102", debit=D("20.00")),
            LineInput("102", credit=D("50.00"))]), actor=treasurer)
    posted(treasurer, debit_code="504", credit_code="102", amount="7.00")
    client = login(treasurer, use_client=Client())
    page = client.get("/admin/finance/voucher/?account=501").content.decode()
    assert "两项活动" in page and "50.00" in page and "100.00" not in page and "测试凭证" not in page


def test_the_account_filters_find_sub_accounts_at_any_depth(treasurer, login):
    parent = Account.objects.get(code="50105")
    deep = Account.objects.create(code="5010501", name="三级科目", kind=parent.kind, parent=parent)
    services.voucher_post(voucher=services.voucher_create(
        date=datetime.date(2027, 3, 5), summary="三级科目凭证", actor=treasurer,
        lines=lines(debit_code=deep.code, credit_code="102", amount="12.00")), actor=treasurer)
    posted(treasurer, debit_code="504", credit_code="102", amount="7.00")
    for code in ("501", "50105", "5010501"):
        assert [v.summary for v in selectors.voucher_list(account_code=code)] == ["三级科目凭证"]
    assert list(selectors.voucher_list(account_code="50102")) == []
    assert list(selectors.voucher_list(account_code="nope")) == []
    client = login(treasurer, use_client=Client())
    page = client.get("/admin/finance/voucher/?account=501").content.decode()
    assert "三级科目凭证" in page and "测试凭证" not in page
    [ledger] = selectors.ledgers(date_from=datetime.date(2027, 1, 1), date_to=datetime.date(2027, 12, 31),
                                 account=Account.objects.get(code="501"))
    assert [line.debit for line in ledger.lines] == [Decimal("12.00")]


def test_admin_change_url_points_at_the_console_page_or_none(treasurer):
    voucher = posted(treasurer)
    assert admin_change_url(voucher) == f"/admin/finance/voucher/{voucher.pk}/change/"
    assert admin_change_url(VoucherLine.objects.filter(voucher=voucher).first()) is None  # shown inline only


def test_a_posted_voucher_shows_its_totals_from_the_books_not_a_false_imbalance(treasurer, login):
    """A read-only page has no line inputs: the running-totals script would sum nothing and cry "does not balance,
    debits 0.00, credits 0.00". The totals of a posted voucher (and of its reversal) come from its lines."""
    client = login(treasurer, use_client=Client())
    voucher = posted(treasurer, debit_code="50105", credit_code="102", amount="66.00")
    page = client.get(f"/admin/finance/voucher/{voucher.pk}/change/").content.decode()
    assert "balanced: debits 66.00, credits 66.00" in page
    assert "does not balance" not in page and "voucher_totals.js" not in page
    client.post(f"/admin/finance/voucher/{voucher.pk}/reverse/", once(date=voucher.date.isoformat(), reason="重复"))
    reversal = Voucher.objects.get(reverses=voucher)
    page = client.get(f"/admin/finance/voucher/{reversal.pk}/change/").content.decode()
    assert "balanced: debits 66.00, credits 66.00" in page and "does not balance" not in page
    draft_page = client.get(f"/admin/finance/voucher/{draft(treasurer).pk}/change/").content.decode()
    assert "voucher_totals.js" in draft_page


def test_a_reversal_sends_its_spending_back_to_be_posted_with_the_right_account(treasurer, chair, login):
    """Paid from 101 库存现金 by mistake: the treasurer reverses the voucher, and the payout waits again in the
    spending list, to be posted from 102 银行存款 — no dead end."""
    gift = spending_record(source=chair, amount=D("120.00"), account_code="50105",
                           spent_on=datetime.date(2027, 5, 1), summary="生日蛋糕券", actor=treasurer)
    client = login(treasurer, use_client=Client())
    post = {"action": "post_selected", "confirmed": "yes", "date": "2027-05-02"}
    client.post("/admin/finance/spending/", once({**post, "_selected_action": [gift.pk], "credit_account": "101"}))
    gift.refresh_from_db()
    wrong = gift.voucher
    assert client.post(f"/admin/finance/voucher/{wrong.pk}/reverse/",
                       once(date="2027-05-03", reason="应从银行存款支付")).status_code == 302

    gift.refresh_from_db()
    again = Spending.objects.get(state="recorded")
    assert gift.state == "reversed" and gift.voucher == wrong  # the trail stays: which voucher booked it first
    assert (again.source, again.amount, again.account.code, again.summary) == (chair, D("120.00"), "50105",
                                                                               "生日蛋糕券")
    listing = client.get("/admin/finance/spending/").content.decode()
    assert "posted, then reversed" in listing and "recorded, not yet in the books" in listing

    client.post("/admin/finance/spending/", once({**post, "_selected_action": [again.pk], "credit_account": "102",
                                                  "date": "2027-05-04"}))
    again.refresh_from_db()
    assert again.state == "posted" and again.voucher.number == 3
    credits = {line.account.code: line.credit for line in again.voucher.lines.all() if line.credit}
    assert credits == {"102": D("120.00")}
    cash = VoucherLine.objects.filter(account__code="101", voucher__date__year=2027)
    assert sum(line.debit - line.credit for line in cash) == 0  # the mistaken cash payment is undone


def test_paying_from_an_empty_cash_box_warns_the_treasurer(treasurer, chair, login):
    gift = spending_record(source=chair, amount=D("120.00"), account_code="50105",
                           spent_on=datetime.date(2027, 5, 1), summary="生日蛋糕券", actor=treasurer)
    client = login(treasurer, use_client=Client())
    response = client.post("/admin/finance/spending/", once({
        "action": "post_selected", "confirmed": "yes", "date": "2027-05-02", "_selected_action": [gift.pk],
        "credit_account": "101"}), follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "-120.00" in warnings[0] and "101" in warnings[0]

    voucher = draft(treasurer, debit_code="50105", credit_code="102", amount="300.00")  # the bank holds nothing
    page = client.get(f"/admin/finance/voucher/{voucher.pk}/post/").content.decode()
    assert 'id="overdrawn-102"' in page and 'id="overdrawn-101"' not in page
    funded = posted(treasurer, debit_code="102", credit_code="401", amount="5000.00")
    assert funded.number and 'id="overdrawn-102"' not in client.get(
        f"/admin/finance/voucher/{voucher.pk}/post/").content.decode()
