"""Give the chair the 工作简报's permissions: writing issues and publishing them. Data the chair may hand on to
other roles in the admin (a committee member who edits the bulletin)."""

from django.db import migrations

from core.roles import ensure_permissions, grant

CHAIR = [f"voice.{verb}_bulletin" for verb in ("add", "change", "delete", "view")] + ["voice.publish_bulletin"]


def roles(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, "chair", CHAIR)


class Migration(migrations.Migration):
    dependencies = [("voice", "0005_bulletin"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
