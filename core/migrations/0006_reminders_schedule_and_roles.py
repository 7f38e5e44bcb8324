"""Schedule the daily reminder job in beat (editable in the admin: 周期性任务) and say who may do what with it."""

from django.db import migrations

from core.roles import ensure_permissions, grant

TASK = "welfare.send_reminders"
LEDGER_VIEW = ["core.view_reminderrun", "core.view_reminderdelivery", "core.view_reminderdispatch",
               "core.run_reminders"]
CHAIR = LEDGER_VIEW + ["core.view_remindersettings", "core.change_remindersettings",
                       "core.view_workchatwebhook", "core.add_workchatwebhook", "core.change_workchatwebhook",
                       "core.delete_workchatwebhook"]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.get_or_create(
        name="每日提醒 / daily reminders", defaults={"task": TASK, "crontab": crontab, "enabled": True})
    apps.get_model("core", "ReminderSettings").objects.get_or_create(pk=1)
    ensure_permissions(apps)
    grant(apps, "chair", CHAIR)
    grant(apps, "welfare", LEDGER_VIEW + ["core.view_remindersettings"])


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_reminders_ledger_and_channels"), ("accounts", "0002_roles"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(seed, unseed)]
