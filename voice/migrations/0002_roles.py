"""Give the chair the voice's permissions: writing and publishing notices, surveys and their questions, following
who has read a notice, reading survey results. Data the chair may hand on to other roles in the admin."""

from django.db import migrations

from core.roles import ensure_permissions, grant

MODELS = ["notice", "noticeattachment", "survey", "question"]
CHAIR = [f"voice.{verb}_{model}" for model in MODELS for verb in ("add", "change", "delete", "view")] + [
    "voice.publish_notice", "voice.view_notice_figures", "voice.view_survey_results"]


def roles(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, "chair", CHAIR)


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
