"""The union's roles as data: groups, what each may do, and whether it needs two-factor login.

Later features grant their own permissions to these roles in their own migrations (core.roles.grant).
"""

from django.db import migrations

from core.roles import ensure_permissions

ROLES = [
    # code, group name, requires MFA, works in admin, description, permissions
    ("chair", "工会主席/副主席", True, True, "主持工会工作：名册、活动、慰问、预算。",
     ["members.add_department", "members.change_department", "members.delete_department", "members.view_department",
      "members.add_uniongroup", "members.change_uniongroup", "members.delete_uniongroup", "members.view_uniongroup",
      "members.add_member", "members.change_member", "members.view_member",
      "members.view_sensitive_member", "members.export_sensitive_member", "members.change_member_status",
      "members.create_member_account", "members.import_member",
      "members.view_membershipevent", "members.add_payitem", "members.change_payitem", "members.view_payitem",
      "members.add_memberpayitem", "members.change_memberpayitem", "members.delete_memberpayitem",
      "members.view_memberpayitem",
      "accounts.view_user", "accounts.change_user", "accounts.view_role", "accounts.view_accountinvitation",
      "auditlog.view_logentry", "core.view_job",
      "django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
      "django_celery_beat.view_crontabschedule", "django_celery_beat.add_crontabschedule",
      "django_celery_beat.change_crontabschedule"]),
    ("treasurer", "经费管理", True, True, "记账、会费、预算执行。",
     ["members.view_member", "members.view_department", "members.view_uniongroup", "members.view_payitem",
      "members.view_memberpayitem", "members.view_membershipevent"]),
    ("auditor", "经审委员", True, True, "经费审查：只读账簿，查阅操作日志。",
     ["members.view_member", "members.view_department", "members.view_uniongroup", "members.view_membershipevent",
      "auditlog.view_logentry"]),
    ("welfare", "福利委员", False, True, "关爱慰问与困难帮扶。",
     ["members.view_member", "members.view_sensitive_member", "members.view_department", "members.view_uniongroup",
      "members.view_membershipevent"]),
    ("group_leader", "小组长", False, False, "本小组会员的联系与活动组织。", []),
    ("member", "会员", False, False, "查看本人记录、报名活动。", []),
]


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Role = apps.get_model("accounts", "Role")
    Permission = apps.get_model("auth", "Permission")
    for code, name, requires_mfa, staff, description, perms in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        Role.objects.update_or_create(
            code=code, defaults={"group": group, "requires_mfa": requires_mfa, "staff": staff, "description": description}
        )
        for label in perms:
            app_label, codename = label.split(".", 1)
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Group = apps.get_model("auth", "Group")
    for code, name, *_ in ROLES:
        Role.objects.filter(code=code).delete()
        Group.objects.filter(name=name).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("members", "0001_initial"),
        ("core", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
