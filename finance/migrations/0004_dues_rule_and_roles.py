"""Seed the national dues rule (DOMAIN §2 [N]: 0.5% of the monthly wage, the part under 10 yuan not counted;
six months without dues → the chair is told) as editable data, and give the roles their dues permissions:
the treasurer imports and posts, the chair and the auditor read."""

import datetime
from decimal import Decimal

from django.db import migrations

from core.roles import ensure_permissions, grant

VIEW = ["finance.view_duesrule", "finance.view_duesimport", "finance.view_duesrecord",
        "finance.view_duesarrearsflag"]
TREASURER = VIEW + ["finance.add_duesrule", "finance.change_duesrule", "finance.import_dues"]


def seed(apps, schema_editor):
    ensure_permissions(apps)
    DuesRule = apps.get_model("finance", "DuesRule")
    DuesRule.objects.get_or_create(effective_from=datetime.date(2000, 1, 1), defaults={
        "rate": Decimal("0.00500"), "base_unit": Decimal("10.00"), "arrears_months": 6,
        "note": "中国工会章程 / 全总: 月工资收入的0.5%，不足10元部分不计 [N]"})
    grant(apps, "treasurer", TREASURER)
    grant(apps, "chair", VIEW)
    grant(apps, "auditor", VIEW)


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_dues_records"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
