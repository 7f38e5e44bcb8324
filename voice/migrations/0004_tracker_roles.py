"""Give the chair the tracker's permissions: handling items, reviewing proposals (the chair sits on the 提案审查
committee until the union hands the permission to the committee's members), and reading 谈心 records. Data the chair
may hand on to other roles in the admin — except view_talk, which is meant for the chair alone."""

from django.db import migrations

from core.roles import ensure_permissions, grant

MODELS = ["item", "trackercategory", "congress"]
CHAIR = [f"voice.{verb}_{model}" for model in MODELS for verb in ("add", "change", "view")] + [
    "voice.handle_item", "voice.review_proposal", "voice.view_talk"]


def roles(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, "chair", CHAIR)


class Migration(migrations.Migration):
    dependencies = [("voice", "0003_tracker"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
