"""Voucher lines carry the occasion they pay for (辅助核算), and a fiscal year points at the voucher that booked the
opening balances when the books started (期初余额).

SQLite rebuilds finance_voucherline to add a column, which it cannot do while triggers name the table: those are
dropped first and created again after, as 0004_books_triggers wrote them. PostgreSQL adds the column in place and keeps them (its line guard refuses any
change to a posted voucher's lines, whatever the column, so the occasion is frozen with the rest).

Posted lines are never changed, so lines booked before this migration keep a blank occasion; the audit report
falls back to their spending records' occasion (finance.books.selectors.occasion_totals). An opening voucher the
books already hold (dated 1 January of the first year, summary with 期初, balance-sheet accounts only — as the demo
booked it) is linked to its year, which changes no voucher.
"""

import importlib
import re

from django.db import migrations, models

books_triggers = importlib.import_module("finance.migrations.0004_books_triggers")

# The triggers that name finance_voucherline (its own three, and the posting check that sums its lines): SQLite
# cannot rebuild a table that a trigger names, so they are dropped before and created again after.
SQLITE_LINE_TRIGGERS = [statement for statement in books_triggers.SQLITE if "finance_voucherline" in statement]
_TRIGGER_NAME = re.compile(r"CREATE TRIGGER (\w+)")
SQLITE_DROP_LINE_TRIGGERS = [f"DROP TRIGGER IF EXISTS {_TRIGGER_NAME.match(statement)[1]};"
                             for statement in SQLITE_LINE_TRIGGERS]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:  # no parameters: "%" in the SQL stays as it is
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


def link_opening_vouchers(apps, schema_editor):
    FiscalYear = apps.get_model("finance", "FiscalYear")
    Voucher = apps.get_model("finance", "Voucher")
    booked = Voucher.objects.filter(state__in=["posted", "reviewed"])
    first = booked.order_by("date").values_list("date", flat=True).first()
    if first is None or FiscalYear.objects.filter(opening_voucher__isnull=False).exists():
        return
    candidates = (booked.filter(date=first.replace(month=1, day=1), summary__contains="期初", reverses__isnull=True)
                  .exclude(lines__account__kind__in=["income", "expense"])
                  .order_by("number"))
    candidate = next((voucher for voucher in candidates
                      if not Voucher.objects.filter(reverses=voucher).exists()), None)
    if candidate is not None:
        FiscalYear.objects.filter(pk=candidate.fiscal_year_id).update(opening_voucher=candidate)


class Migration(migrations.Migration):
    dependencies = [("finance", "0007_spending_reversed")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_DROP_LINE_TRIGGERS}), _run({"sqlite": SQLITE_LINE_TRIGGERS})),
        migrations.AddField(
            model_name="voucherline", name="occasion",
            field=models.CharField(blank=True, max_length=50, verbose_name="occasion", help_text=(
                "An analysis item (辅助核算): the occasion the line pays for, e.g. 2027 春节; the audit report lists "
                "holiday gifts by it.")),
        ),
        migrations.AddField(
            model_name="fiscalyear", name="opening_voucher",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="opens_years",
                to="finance.voucher", verbose_name="opening balances voucher",
                help_text="The voucher that booked the balances brought forward when the books started (期初余额)."),
        ),
        migrations.RunPython(_run({"sqlite": SQLITE_LINE_TRIGGERS}), _run({"sqlite": SQLITE_DROP_LINE_TRIGGERS})),
        migrations.RunPython(link_opening_vouchers, migrations.RunPython.noop),
    ]
