"""The national values (《工会基层组织选举工作条例》, 全总 2016), each flagged to check against the text; and the
chair may run elections."""

from decimal import Decimal

from django.db import migrations

from core.roles import ensure_permissions, grant

SEED = {
    "committee": (Decimal("0.05"), Decimal("0.50")),
    "audit_committee": (Decimal("0.05"), None),
    "officers": (Decimal("0"), None),
    "by_election": (Decimal("0.05"), None),
    "group_leader": (Decimal("0"), None),
    "representatives": (Decimal("0.05"), Decimal("0.50")),
}


def seed(apps, schema_editor):
    rules = apps.get_model("elections", "ElectionRules")
    for kind, (margin, women) in SEED.items():
        rules.objects.get_or_create(kind=kind, defaults={"margin_ratio": margin, "women_share_target": women})
    ensure_permissions(apps)
    grant(apps, "chair", ["elections.manage_election"])


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
