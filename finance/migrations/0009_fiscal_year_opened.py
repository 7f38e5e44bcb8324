"""A fiscal year is opened on purpose (finance.books.services.year_open records who and when); only an open year
takes postings. Before this migration years were created on the fly by the first voucher or period dated in them:
every year that already holds vouchers or periods is taken as opened (when its first voucher was prepared), so the
books in use go on as they are. A year that holds only a budget (drafted ahead) stays unopened."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def open_years_in_use(apps, schema_editor):
    FiscalYear = apps.get_model("finance", "FiscalYear")
    for year in FiscalYear.objects.annotate(first_voucher=Min("vouchers__created_at")):
        if year.first_voucher is not None or year.periods.exists():
            year.opened_at = year.first_voucher or timezone.now()
            year.save(update_fields=["opened_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0008_books_occasion_opening'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='fiscalyear',
            name='opened_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='opened at'),
        ),
        migrations.AddField(
            model_name='fiscalyear',
            name='opened_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by'),
        ),
        migrations.RunPython(open_years_in_use, migrations.RunPython.noop),
    ]
