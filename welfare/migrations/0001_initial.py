from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = [("members", "0003_verbose_names"), ("finance", "0002_chart_of_accounts")]
    operations = []
