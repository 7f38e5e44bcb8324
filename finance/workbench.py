"""The funds' part of the console's workbench (core.workbench): this month's deduction list, spending to post,
vouchers to review, over-budget approvals waiting for their voucher; dues by month and budget execution."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import Chart, Row, number
from core.workbench import register_chart, register_task

from .books.selectors import budget_vs_actual
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

#: A budget line is drawn red once this share of it is used (DOMAIN: warn before the line is exhausted).
BUDGET_ALERT_PERCENT = Decimal("90")


def _changelist(model, query=""):
    return lambda *, today: reverse(f"admin:finance_{model}_changelist") + query


def _dues_missing(*, today):
    return 0 if DuesImport.objects.filter(year=today.year, month=today.month).exists() else 1


def _spending(*, today):
    return Spending.objects.filter(state=SpendingState.RECORDED).count()


def _vouchers(*, today):
    return Voucher.objects.filter(state=VoucherState.POSTED).count()


def _approvals(*, today):
    return OverBudgetApproval.objects.filter(voucher__isnull=True).count()


def dues_by_month_chart(year, *, figures=None):
    """Dues expected and paid per month (the dues collection report's figures)."""
    figures = figures or dues_collection(year=year)
    return Chart(title=_("Dues collected against expected, by month"), series=[_("Expected"), _("Paid")],
                 rows=[Row(label=_("Month %(month)s") % {"month": month["month"]},
                           values=[month["expected"], month["paid"]]) for month in figures["months"]])


def budget_lines(year, *, rows=None):
    """The top-level spending lines with a budget, from budget vs actual (the execution report's rows)."""
    rows = budget_vs_actual(year=year) if rows is None else rows
    return [row for row in rows if row.depth == 0 and row.budget and row.account.kind == AccountKind.EXPENSE]


def budget_chart(year, *, rows=None):
    """Budget against actual per spending line; a line past 90 % used is red."""
    return Chart(title=_("Budget execution by line"), series=[_("Budget"), _("Actual")],
                 note=_("Red: more than 90 per cent of the line used."),
                 rows=[Row(label=row.account.name, values=[row.budget, row.actual],
                           texts=[number(row.budget), f"{number(row.actual)} ({row.percent} %)"],
                           alert=row.percent is not None and row.percent > BUDGET_ALERT_PERCENT)
                       for row in budget_lines(year, rows=rows)])


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
    register_task(key="finance.over_budget", label=gettext_lazy("Over-budget approvals not yet used"), order=70,
                  permission="finance.approve_over_budget", count=_approvals, url=_changelist("overbudgetapproval"))
    register_chart(key="finance.dues", order=20, permission="finance.view_duesrecord",
                   build=lambda *, year, today: dues_by_month_chart(year))
    register_chart(key="finance.budget", order=30, permission="finance.view_budget",
                   build=lambda *, year, today: budget_chart(year))
