"""The auditor (经审会) reads everything in the books and changes nothing: every write answers 403."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.books import services
from finance.budgets.services import budget_create, over_budget_approve
from finance.models import (
    Account,
    Budget,
    FiscalYear,
    OverBudgetApproval,
    Period,
    PeriodReopening,
    Spending,
    Voucher,
)
from finance.spending import spending_record

from .helpers import draft, posted

pytestmark = [pytest.mark.django_db, pytest.mark.no_budget]  # one budget, the fixture's draft
D = Decimal
MODELS = ["account", "fiscalyear", "period", "periodreopening", "voucher", "spending", "budget",
          "overbudgetapproval"]


@pytest.fixture
def books(treasurer, chair):
    """One of everything: a posted and a draft voucher (the posted one spent with the chair's confirmation, no
    budget being in force), spending, a budget, a closed and a reopened period."""
    approval = over_budget_approve(year=2027, account=Account.objects.get(code="50105"), amount=D("100.00"),
                                   reason="x", no_budget=True, actor=chair)
    voucher = posted(treasurer, debit_code="50105", credit_code="102")
    services.year_open(year=2027, actor=treasurer)
    period = Period.objects.get(fiscal_year__year=2027, month=6)
    services.period_close(period=period, actor=treasurer)
    services.period_reopen(period=period, reason="补记", actor=chair)
    services.period_close(period=Period.objects.get(fiscal_year__year=2027, month=1), actor=treasurer)
    return {
        "account": Account.objects.get(code="102"), "fiscalyear": FiscalYear.objects.get(year=2027),
        "period": period, "periodreopening": PeriodReopening.objects.get(),
        "voucher": voucher, "draft": draft(treasurer),
        "spending": spending_record(source=chair, amount=D("10.00"), account_code="50105",
                                    spent_on=datetime.date(2027, 3, 1), summary="x", actor=treasurer),
        "budget": budget_create(year=2027, title="预算", lines={"501": D("100.00")}, actor=treasurer),
        "overbudgetapproval": approval,
    }


@pytest.fixture
def auditor_client(auditor, login):
    return login(auditor, use_client=Client())


def test_the_auditor_reads_every_books_page(auditor_client, books):
    pages = [f"/admin/finance/{model}/" for model in MODELS]
    pages += [f"/admin/finance/{model}/{books[model].pk}/change/" for model in MODELS]
    pages += [f"/admin/finance/voucher/{books['draft'].pk}/change/", "/finance/vouchers/",
              f"/finance/vouchers/{books['voucher'].pk}/", "/finance/budget/2027/",
              f"/admin/finance/budget/{books['budget'].pk}/execution/"]
    for page in pages:
        assert auditor_client.get(page).status_code == 200, page


def write_urls(books):
    voucher, draft_voucher = books["voucher"].pk, books["draft"].pk
    urls = [f"/admin/finance/{model}/add/" for model in MODELS]
    urls += [f"/admin/finance/{model}/{books[model].pk}/delete/" for model in MODELS]
    urls += [f"/admin/finance/voucher/{draft_voucher}/delete/", f"/admin/finance/voucher/{draft_voucher}/post/",
             f"/admin/finance/voucher/{voucher}/review/", f"/admin/finance/voucher/{voucher}/reverse/",
             f"/admin/finance/period/{Period.objects.get(fiscal_year__year=2027, month=1).pk}/reopen/",
             f"/admin/finance/budget/{books['budget'].pk}/advance/", "/admin/finance/spending/record-activity/",
             f"/admin/finance/overbudgetapproval/{books['overbudgetapproval'].pk}/confirm/",
             "/admin/finance/fiscalyear/open/"]
    return urls


def test_every_write_url_is_refused_to_the_auditor(auditor_client, books):
    for url in write_urls(books):
        assert auditor_client.get(url).status_code == 403, url
        assert auditor_client.post(url, {"post": "yes", "reason": "x", "date": "2027-03-31", "on": "2027-01-01",
                                         "reference": "x"}).status_code == 403, url


def test_every_change_and_action_is_refused_to_the_auditor(auditor_client, books):
    for model in MODELS + ["draft"]:
        obj = books[model]
        url = f"/admin/finance/{obj._meta.model_name}/{obj.pk}/change/"
        assert auditor_client.post(url, {"summary": "changed", "name": "changed", "title": "changed"}).status_code \
            == 403, url
    actions = {"spending": "post_selected", "period": "close_selected", "voucher": "delete_selected",
               "account": "delete_selected", "budget": "delete_selected"}
    for model, action in actions.items():
        response = auditor_client.post(f"/admin/finance/{model}/", {
            "action": action, "_selected_action": [books[model].pk], "confirmed": "yes", "post": "yes",
            "date": "2027-03-31", "credit_account": "102"})
        assert response.status_code == 403, model


def test_nothing_changed_after_the_auditors_attempts(auditor_client, books):
    before = (Voucher.objects.count(), Spending.objects.filter(state="recorded").count(),
              Budget.objects.get().state, OverBudgetApproval.objects.count(),
              Period.objects.filter(closed_at__isnull=False).count())
    test_every_write_url_is_refused_to_the_auditor(auditor_client, books)
    test_every_change_and_action_is_refused_to_the_auditor(auditor_client, books)
    after = (Voucher.objects.count(), Spending.objects.filter(state="recorded").count(),
             Budget.objects.get().state, OverBudgetApproval.objects.count(),
             Period.objects.filter(closed_at__isnull=False).count())
    assert before == after
