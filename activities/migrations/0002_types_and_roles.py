"""Seed the activity types (data, editable) and give the roles their activity permissions."""

from django.db import migrations

from core.roles import ensure_permissions, grant

TYPES = [
    ("study", "学习教育", 10), ("sports", "文体活动", 20), ("spring_outing", "春游", 30), ("autumn_outing", "秋游", 40),
    ("contest", "技能竞赛", 50), ("rest_trip", "疗休养", 60), ("birthday", "季度生日会", 70),
    ("volunteer", "志愿服务", 80), ("womens_day", "三八妇女节活动", 90), ("other", "其他", 100),
]

MODELS = ["activity", "activitytype", "registrationquestion", "interestgroup", "interestgroupmembership",
          "interestgroupplan", "workplan", "workplansection", "workplanitem"]
CHAIR = [f"activities.{verb}_{model}" for model in MODELS for verb in ("add", "change", "delete", "view")] + [
    "activities.view_registration", "activities.change_registration", "activities.view_registrationevent",
    "activities.manage_registrations", "activities.check_in",
]
VIEWERS = ["activities.view_activity", "activities.view_activitytype", "activities.view_workplan",
           "activities.view_workplansection", "activities.view_workplanitem"]


def seed(apps, schema_editor):
    ensure_permissions(apps)
    ActivityType = apps.get_model("activities", "ActivityType")
    for code, name, order in TYPES:
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    grant(apps, "chair", CHAIR)
    for role in ("treasurer", "auditor", "welfare"):
        grant(apps, role, VIEWERS + ["activities.view_registration"])


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
