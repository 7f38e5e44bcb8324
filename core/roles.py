"""Helpers for data migrations that create roles and grant them permissions (used by every app's migrations;
the Role rows are read by name through the migration state, so core imports no app).

Role definitions live in migrations (data), so a union can change them in the admin afterwards and
later features add their own permissions with their own migrations via ``grant``.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps):
    """Permissions are normally created after migrate; data migrations need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, role_code, perm_labels):
    """Give the role's group each permission named "app_label.codename"."""
    Role = apps.get_model("accounts", "Role")
    Permission = apps.get_model("auth", "Permission")
    group = Role.objects.get(code=role_code).group
    for label in perm_labels:
        app_label, codename = label.split(".", 1)
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


def require_mfa_for(apps, perm_labels):
    """Every role whose group holds one of these permissions ("app_label.codename") needs two-factor login."""
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.select_related("group"):
        held = {f"{p.content_type.app_label}.{p.codename}" for p in role.group.permissions.select_related("content_type")}
        if held & set(perm_labels) and not role.requires_mfa:
            role.requires_mfa = True
            role.save(update_fields=["requires_mfa"])
