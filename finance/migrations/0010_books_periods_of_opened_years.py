"""Periods are no longer created on the fly (finance.books.services.period_for): every opened year gets its twelve
periods now, as year_open gives a year it opens."""

from django.db import migrations


def periods_of_opened_years(apps, schema_editor):
    FiscalYear = apps.get_model("finance", "FiscalYear")
    Period = apps.get_model("finance", "Period")
    for year in FiscalYear.objects.filter(opened_at__isnull=False):
        have = set(Period.objects.filter(fiscal_year=year).values_list("month", flat=True))
        Period.objects.bulk_create(Period(fiscal_year=year, month=month) for month in range(1, 13)
                                   if month not in have)


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0009_fiscal_year_opened'),
    ]

    operations = [
        migrations.RunPython(periods_of_opened_years, migrations.RunPython.noop),
    ]
