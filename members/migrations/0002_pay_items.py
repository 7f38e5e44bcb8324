"""Seed the pay items. Which count towards the dues base is the union's choice (DOMAIN §2) — editable."""

from django.db import migrations

PAY_ITEMS = [
    ("职务工资", True, 10), ("级别工资", True, 20), ("岗位工资", True, 30), ("薪级工资", True, 40),
    ("津贴补贴", False, 50), ("奖金", False, 60),
]


def seed(apps, schema_editor):
    PayItem = apps.get_model("members", "PayItem")
    for name, counts, order in PAY_ITEMS:
        PayItem.objects.get_or_create(name=name, defaults={"counts_for_dues": counts, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
