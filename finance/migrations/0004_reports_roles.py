"""Who may read the financial reports and write the audit report and the 财务公开.

The audit committee reads everything financial and changes nothing in the books: the auditor role may only write
the audit report (while it is a draft) and finalise it. The treasurer prepares disclosures, the chair publishes them.
"""

from django.db import migrations

from core.roles import ensure_permissions, grant

BOOKS_VIEW = [f"finance.view_{model}" for model in ("account", "fiscalyear", "period", "voucher", "voucherline",
                                                    "spending")]
READERS = BOOKS_VIEW + ["finance.view_financial_reports", "finance.view_reportdocument", "finance.view_auditreport",
                        "finance.view_disclosure"]
ROLES = {
    "auditor": READERS + ["finance.add_auditreport", "finance.change_auditreport", "finance.finalise_auditreport"],
    "treasurer": READERS + ["finance.add_disclosure", "finance.change_disclosure"],
    "chair": READERS + ["finance.publish_disclosure"],
}


def seed(apps, schema_editor):
    ensure_permissions(apps)
    for role, permissions in ROLES.items():
        grant(apps, role, permissions)


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_reports_models"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
