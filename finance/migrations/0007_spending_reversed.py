"""A reversed voucher releases the spending it booked: the spending becomes `reversed` (it keeps its link to the
voucher that booked it, and never changes again) and a copy of it is recorded again, waiting for the treasurer to
post it with the right account. So the one spending per source rule counts spending that is not reversed, and the
database guard lets posted spending take exactly one more step, posted -> reversed, once its voucher has a reversal.
Spending whose voucher was reversed before this step is released the same way.
"""

import importlib

from django.db import migrations, models
from django.db.models import Q

books_triggers = importlib.import_module("finance.migrations.0004_books_triggers")

POSTGRESQL_GUARD = r"""
CREATE OR REPLACE FUNCTION finance_spending_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state IN ('posted', 'reversed') THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'books: posted spending is never changed' USING ERRCODE = 'check_violation';
        END IF;
        IF to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) AND NOT (
                OLD.state = 'posted' AND NEW.state = 'reversed'
                AND (to_jsonb(NEW) - 'state') = (to_jsonb(OLD) - 'state')
                AND EXISTS (SELECT 1 FROM finance_voucher WHERE reverses_id = OLD.voucher_id)) THEN
            RAISE EXCEPTION 'books: posted spending is never changed' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
"""
POSTGRESQL_GUARD_BEFORE = books_triggers.POSTGRESQL[-2]

_columns_but_state = [c for c in books_triggers.SQLITE_FROZEN_SPENDING_COLUMNS if c != "state"]
_FROZEN = books_triggers._FROZEN_SPENDING
SQLITE_GUARD = [
    "DROP TRIGGER IF EXISTS finance_spending_frozen;",
    "DROP TRIGGER IF EXISTS finance_spending_no_delete;",
    books_triggers._sqlite_trigger(
        "finance_spending_frozen", "UPDATE ON finance_spending",
        f"OLD.state IN ('posted', 'reversed') AND ({books_triggers._changed(books_triggers.SQLITE_FROZEN_SPENDING_COLUMNS)})"
        f" AND NOT (OLD.state = 'posted' AND NEW.state = 'reversed'"
        f" AND NOT ({books_triggers._changed(_columns_but_state)})"
        f" AND EXISTS (SELECT 1 FROM finance_voucher WHERE reverses_id = OLD.voucher_id))",
        _FROZEN),
    books_triggers._sqlite_trigger("finance_spending_no_delete", "DELETE ON finance_spending",
                                   "OLD.state IN ('posted', 'reversed')", _FROZEN),
]
SQLITE_GUARD_BEFORE = [
    "DROP TRIGGER IF EXISTS finance_spending_frozen;",
    "DROP TRIGGER IF EXISTS finance_spending_no_delete;",
    *[statement for statement in books_triggers.SQLITE if "finance_spending_" in statement],
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


def release_reversed(apps, schema_editor):
    Spending = apps.get_model("finance", "Spending")
    Voucher = apps.get_model("finance", "Voucher")
    reversed_vouchers = Voucher.objects.filter(reverses__isnull=False).values("reverses_id")
    for spending in Spending.objects.filter(state="posted", voucher_id__in=reversed_vouchers):
        Spending.objects.filter(pk=spending.pk).update(state="reversed")
        Spending.objects.create(source_type_id=spending.source_type_id, source_id=spending.source_id,
                                account_id=spending.account_id, amount=spending.amount, spent_on=spending.spent_on,
                                summary=spending.summary, occasion=spending.occasion,
                                recorded_by_id=spending.recorded_by_id)


class Migration(migrations.Migration):
    dependencies = [("finance", "0006_merge_books_dues_reports")]

    operations = [
        migrations.AlterField(
            model_name="spending", name="state",
            field=models.CharField(choices=[("recorded", "recorded, not yet in the books"), ("posted", "posted"),
                                            ("reversed", "posted, then reversed"), ("cancelled", "cancelled")],
                                   default="recorded", max_length=10, verbose_name="state"),
        ),
        migrations.RemoveConstraint(model_name="spending", name="spending_one_per_source"),
        migrations.RemoveConstraint(model_name="spending", name="spending_voucher_when_posted"),
        migrations.AddConstraint(
            model_name="spending",
            constraint=models.UniqueConstraint(condition=~Q(state="reversed"), fields=("source_type", "source_id"),
                                               name="spending_one_per_source"),
        ),
        migrations.AddConstraint(
            model_name="spending",
            constraint=models.CheckConstraint(
                condition=Q(state__in=["posted", "reversed"], voucher__isnull=False)
                | (~Q(state__in=["posted", "reversed"]) & Q(voucher__isnull=True)),
                name="spending_voucher_when_posted"),
        ),
        migrations.RunPython(_run({"postgresql": [POSTGRESQL_GUARD], "sqlite": SQLITE_GUARD}),
                             _run({"postgresql": [POSTGRESQL_GUARD_BEFORE], "sqlite": SQLITE_GUARD_BEFORE})),
        migrations.RunPython(release_reversed, migrations.RunPython.noop),
    ]
