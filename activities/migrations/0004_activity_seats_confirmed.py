from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def count_seats(apps, schema_editor):
    """The counter starts as what the registrations say: seats of confirmed registrations, families included."""
    Activity = apps.get_model("activities", "Activity")
    Registration = apps.get_model("activities", "Registration")
    confirmed = (Registration.objects.filter(activity=OuterRef("pk"), status="confirmed")
                 .order_by().values("activity").annotate(n=Sum("seats")).values("n"))
    Activity.objects.update(seats_confirmed=Coalesce(Subquery(confirmed), 0))


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0003_registrationevent_check_in_undone"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="seats_confirmed",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="seats confirmed"),
        ),
        migrations.RunPython(count_seats, migrations.RunPython.noop),
    ]
