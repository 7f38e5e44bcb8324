"""Roles are data: Django groups + permissions created by a migration, with flags for two-factor and admin."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Role
from accounts.services import user_set_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    # code: (group name, requires two-factor, works in the admin)
    Role.CHAIR: ("工会主席/副主席", True, True),
    Role.TREASURER: ("经费管理", True, True),
    Role.AUDITOR: ("经审委员", True, True),
    Role.WELFARE: ("福利委员", True, True),  # sees full ID numbers and hardship cases
    Role.GROUP_LEADER: ("小组长", False, False),
    Role.MEMBER: ("会员", False, False),
    "committee": ("工会委员会委员", False, False),  # elections' migration 0007: held by the elected committee
}


def _roles(*codes):
    return list(Role.objects.filter(code__in=codes))


def test_it_creates_the_unions_roles_as_groups():
    found = {role.code: (role.group.name, role.requires_mfa, role.staff) for role in Role.objects.select_related("group")}
    assert found == EXPECTED_ROLES
    assert set(Group.objects.values_list("name", flat=True)) >= {name for name, *_ in EXPECTED_ROLES.values()}


@pytest.mark.parametrize("persona, perm, expected", [
    ("chair", "members.change_member", True),
    ("chair", "members.view_sensitive_member", True),
    ("chair", "members.create_member_account", True),
    ("chair", "members.change_member_status", True),
    ("chair", "auditlog.view_logentry", True),
    ("chair", "members.delete_member", False),
    ("treasurer", "members.view_member", True),
    ("treasurer", "members.view_memberpayitem", True),
    ("treasurer", "members.view_sensitive_member", False),
    ("treasurer", "members.change_member", False),
    ("treasurer", "auditlog.view_logentry", False),
    ("auditor", "auditlog.view_logentry", True),
    ("auditor", "members.view_member", True),
    ("auditor", "members.view_sensitive_member", False),
    ("welfare_officer", "members.view_sensitive_member", True),
    ("welfare_officer", "members.change_member", False),
    ("welfare_officer", "auditlog.view_logentry", False),
    ("group_leader", "members.view_member", False),
    ("member_user", "members.view_member", False),
    ("outsider", "members.view_member", False),
])
def test_it_grants_each_role_its_permissions(request, persona, perm, expected):
    user = request.getfixturevalue(persona)
    assert user.has_perm(perm) is expected


def test_it_keeps_the_auditor_read_only():
    auditor_perms = Role.objects.get(code=Role.AUDITOR).group.permissions.values_list("codename", flat=True)
    assert auditor_perms
    # The one thing the audit committee writes is its own 经审报告 (finance/migrations/0004_reports_roles.py).
    audit_report = {"add_auditreport", "change_auditreport", "finalise_auditreport"}
    assert all(codename.startswith("view_") or codename in audit_report for codename in auditor_perms), \
        list(auditor_perms)


def test_it_gives_a_person_with_several_roles_the_union_of_their_permissions(make_persona):
    user = make_persona("both", Role.TREASURER, Role.WELFARE)
    assert user.has_perm("members.view_memberpayitem")  # from 经费管理
    assert user.has_perm("members.view_sensitive_member")  # from 福利委员
    assert not user.has_perm("members.change_member")  # from neither
    assert user.has_role(Role.TREASURER) and user.has_role(Role.WELFARE) and user.has_role(Role.MEMBER)
    assert not user.has_role(Role.CHAIR)


def test_it_gives_admin_access_with_a_staff_role_and_takes_it_away_with_it(db):
    user = UserFactory(username="someone", roles=[Role.MEMBER])
    assert not user.is_staff
    user_set_roles(user=user, roles=_roles(Role.MEMBER, Role.WELFARE), actor=None)
    user.refresh_from_db()
    assert user.is_staff
    user_set_roles(user=user, roles=_roles(Role.MEMBER), actor=None)
    user.refresh_from_db()
    assert not user.is_staff


def test_it_follows_roles_assigned_directly_to_the_groups(db):
    user = UserFactory(username="someone", roles=[Role.MEMBER])
    user.groups.add(Role.objects.get(code=Role.AUDITOR).group)
    user.refresh_from_db()
    assert user.is_staff
    user.groups.remove(Role.objects.get(code=Role.AUDITOR).group)
    user.refresh_from_db()
    assert not user.is_staff


def test_it_keeps_a_superuser_in_the_admin_without_roles(db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True, roles=[Role.MEMBER])
    user_set_roles(user=user, roles=[], actor=None)
    user.refresh_from_db()
    assert user.is_staff


def test_it_takes_two_factor_rules_from_the_role_data(client, login, make_persona):
    leader = make_persona("leader", Role.GROUP_LEADER)
    role = Role.objects.get(code=Role.GROUP_LEADER)
    role.requires_mfa = True
    role.save()
    client.post("/accounts/login/", {"login": leader.username, "password": "Secret-pass-123"})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_it_lets_the_group_leader_see_only_their_own_group(client, login, group_leader):
    from tests.factories import MemberFactory

    mine = MemberFactory(name="组内人", union_group=group_leader.member.union_group)
    other = MemberFactory(name="组外人")
    login(group_leader)
    response = client.get("/members/group/")
    assert response.status_code == 200
    assert mine.name in response.content.decode()
    assert other.name not in response.content.decode()


def test_every_role_that_sees_personal_data_or_hardship_cases_needs_two_factor_login():
    for role in Role.objects.select_related("group"):
        held = {f"{p.content_type.app_label}.{p.codename}" for p in role.group.permissions.select_related("content_type")}
        if held & set(Role.MFA_PERMISSIONS):
            assert role.requires_mfa, f"{role.code} sees personal data or hardship cases without two-factor login"
    assert Role.objects.filter(code__in=[Role.CHAIR, Role.WELFARE], requires_mfa=True).count() == 2


def test_the_migration_names_the_same_permissions_as_the_model():
    import importlib

    migration = importlib.import_module("welfare.migrations.0005_mfa_for_personal_data")
    assert migration.MFA_PERMISSIONS == Role.MFA_PERMISSIONS
