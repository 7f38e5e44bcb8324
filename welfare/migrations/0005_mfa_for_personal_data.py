"""Every role that sees full ID and phone numbers or hardship cases needs two-factor login: the welfare officer
(福利委员) logged in with a password alone (accounts.models.Role.MFA_PERMISSIONS names the permissions)."""

from django.db import migrations

from core.roles import require_mfa_for

MFA_PERMISSIONS = ["members.view_sensitive_member", "members.export_sensitive_member", "welfare.handle_hardship_case"]


def forwards(apps, schema_editor):
    require_mfa_for(apps, MFA_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("welfare", "0004_merge_care_hardship"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
