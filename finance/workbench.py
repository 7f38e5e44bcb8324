"""The funds' part of the console's workbench (core.workbench): this month's deduction list, spending to post,
vouchers to review, spending held for the chair's budget confirmation; dues by month and budget execution."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.workbench import register_chart, register_task

from .books.selectors import budget_vs_actual
from .budgets.selectors import PENDING
from .charts import budget_chart, dues_by_month_chart
from .dues.selectors import dues_collection
from .models import (
    AccountKind,
    DuesImport,
    OverBudgetApproval,
    Spending,
    SpendingState,
    Voucher,
    VoucherState,
)


def _changelist(model, query=""):
    return lambda *, today: reverse(f"admin:finance_{model}_changelist") + query


def _dues_missing(*, today):
    return 0 if DuesImport.objects.filter(year=today.year, month=today.month).exists() else 1


def _spending(*, today):
    return Spending.objects.filter(state=SpendingState.RECORDED).count()


def _vouchers(*, today):
    return Voucher.objects.filter(state=VoucherState.POSTED).count()


def _held_for_the_chair(*, today):
    """Vouchers and spending held for the chair's confirmation (over the budget, or no budget in force): each held
    posting once, however many of its accounts need confirming. One query."""
    return OverBudgetApproval.objects.pending().values("fiscal_year_id", "held_key").distinct().count()


def budget_lines(rows):
    """The top-level spending lines with a budget among budget vs actual's rows, as (name, budget, actual)."""
    return [(row.account.name, row.budget, row.actual) for row in rows
            if row.depth == 0 and row.budget and row.account.kind == AccountKind.EXPENSE]


def register():
    register_task(key="finance.dues_import", label=gettext_lazy("This month's deduction list not yet imported"),
                  order=40, permission="finance.import_dues", count=_dues_missing,
                  url=lambda *, today: reverse("finance:dues_import"))
    register_task(key="finance.spending", label=gettext_lazy("Spending waiting to be posted"), order=50,
                  permission="finance.post_spending", count=_spending,
                  url=_changelist("spending", f"?state__exact={SpendingState.RECORDED}"))
    register_task(key="finance.vouchers", label=gettext_lazy("Vouchers waiting for review"), order=60,
                  permission="finance.review_voucher", count=_vouchers,
                  url=_changelist("voucher", f"?state__exact={VoucherState.POSTED}"))
    register_task(key="finance.over_budget", label=gettext_lazy("Spending held for the chair's budget confirmation"),
                  order=70, permission="finance.approve_over_budget", count=_held_for_the_chair,
                  url=_changelist("overbudgetapproval", f"?state={PENDING}"))
    register_chart(key="finance.dues", order=20, permission="finance.view_duesrecord",
                   build=lambda *, year, today: dues_by_month_chart(dues_collection(year=year)))
    register_chart(key="finance.budget", order=30, permission="finance.view_budget",
                   build=lambda *, year, today: budget_chart(budget_lines(budget_vs_actual(year=year))))
