"""Who may do what in the books: the treasurer records (vouchers, posting, spending, budget drafts), the chair
approves (voucher review, reopening periods, budget steps, spending above the budget) and keeps the chart of
accounts, the auditor (经审会) reads everything and changes nothing."""

from django.db import migrations

from core.roles import ensure_permissions, grant

MODELS = ["account", "fiscalyear", "period", "periodreopening", "voucher", "voucherline", "spending", "budget",
          "budgetline", "overbudgetapproval"]
VIEW = [f"finance.view_{model}" for model in MODELS]
TREASURER = VIEW + [
    "finance.add_voucher", "finance.change_voucher", "finance.delete_voucher", "finance.add_voucherline",
    "finance.change_voucherline", "finance.delete_voucherline", "finance.post_voucher", "finance.reverse_voucher",
    "finance.add_fiscalyear", "finance.close_period", "finance.post_spending", "finance.record_spending",
    "finance.add_budget", "finance.change_budget", "finance.delete_budget", "finance.add_budgetline",
    "finance.change_budgetline", "finance.delete_budgetline",
]
CHAIR = VIEW + [
    "finance.add_account", "finance.change_account", "finance.delete_account", "finance.review_voucher",
    "finance.add_fiscalyear", "finance.close_period", "finance.reopen_period", "finance.record_spending",
    "finance.add_budget", "finance.change_budget", "finance.delete_budget", "finance.add_budgetline",
    "finance.change_budgetline", "finance.delete_budgetline", "finance.approve_budget",
    "finance.add_overbudgetapproval", "finance.approve_over_budget",
]


def seed(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, "treasurer", TREASURER)
    grant(apps, "chair", CHAIR)
    grant(apps, "auditor", VIEW)


class Migration(migrations.Migration):
    dependencies = [("finance", "0004_books_triggers"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
