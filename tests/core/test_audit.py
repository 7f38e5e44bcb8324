"""The audit trail: every change says who made it, and nobody can edit or delete it."""


import pytest
from auditlog.models import LogEntry
from django.db import transaction

from core.audit import audit_access, audit_context
from core.masking import mask_id_number, mask_phone
from members import services
from tests.factories import MemberFactory, valid_id_number
from tests.members.admin_forms import admin_member_form

pytestmark = pytest.mark.django_db


def test_it_logs_a_change_with_actor_and_field_diff(chair):
    member = MemberFactory(position="科员")
    services.member_update(member=member, actor=chair, position="副处长")
    entry = LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == chair
    assert entry.changes_dict["position"] == ["科员", "副处长"]


def test_it_masks_id_and_phone_in_the_diff(chair):
    number = valid_id_number()
    member = services.member_create(actor=chair, name="孙八", id_number=number, phone="13912345678")
    entry = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.CREATE)
    logged = str(entry.changes)
    assert number not in logged
    assert "13912345678" not in logged



def test_the_diff_masks_a_phone_as_every_page_does_and_shows_only_the_birth_year(chair):
    """Two masks of one number (the diff's *****300567 and the page's 131****0567) together leave ~100 candidates;
    a full birth date beside a masked ID number leaves ~10. The audit trail uses the pages' masks."""
    member = MemberFactory(phone="13100300567")
    services.member_update(member=member, actor=chair, phone="13900451234")
    entry = LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.changes_dict["phone"] == [mask_phone("13100300567"), mask_phone("13900451234")]
    assert entry.changes_dict["phone"] == ["131****0567", "139****1234"]
    created = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.CREATE)
    assert created.changes_dict["birth_date"][1] == f"{member.birth_date.year}-**-**"
    assert member.id_number not in str(created.changes) and mask_id_number(member.id_number) in str(created.changes)


def test_it_restores_the_outer_actor_after_a_nested_context(chair, treasurer):
    member = MemberFactory()
    with audit_context(actor=chair):
        with audit_context(actor=treasurer, via="task:x"):
            services.member_update(member=member, actor=treasurer, via="task:x", ethnicity="回族")
        member.position = "处长"
        member.save()
    entries = LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).order_by("id")
    assert [(e.actor, e.additional_data) for e in entries] == [(treasurer, {"via": "task:x"}), (chair, None)]


def test_it_refuses_to_edit_an_entry(chair):
    member = MemberFactory()
    services.member_update(member=member, actor=chair, position="x")
    entry = LogEntry.objects.get_for_object(member).latest("timestamp")
    entry.changes = {}
    with pytest.raises(PermissionError):
        entry.save()


def test_it_refuses_to_delete_an_entry(chair):
    member = MemberFactory()
    services.member_update(member=member, actor=chair, position="x")
    entry = LogEntry.objects.get_for_object(member).latest("timestamp")
    with pytest.raises(PermissionError), transaction.atomic():
        entry.delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_it_records_a_sensitive_access(chair):
    member = MemberFactory()
    entry = audit_access(member, actor=chair, action_label="roster_export_full", details={"rows": 12})
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == chair
    assert entry.additional_data == {"access": "roster_export_full", "rows": 12}


def test_it_offers_no_edit_or_delete_in_the_admin(client, login, chair):
    member = MemberFactory()
    services.member_update(member=member, actor=chair, position="x")
    entry = LogEntry.objects.get_for_object(member).latest("timestamp")
    login(chair)
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_it_logs_admin_edits_with_the_logged_in_user(client, login, chair):
    member = MemberFactory(position="科员")
    login(chair)
    response = client.post(f"/admin/members/member/{member.pk}/change/", admin_member_form(member, position="调研员"))
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LogEntry.objects.get_for_object(member).latest("timestamp")
    assert entry.actor == chair
    assert entry.changes_dict["position"] == ["科员", "调研员"]


def test_it_logs_a_change_to_what_a_role_may_do(chair):
    from django.contrib.auth.models import Group, Permission

    from core.audit import audit_context

    group = Group.objects.get(role__code="member")
    with audit_context(actor=chair):
        group.permissions.add(Permission.objects.get(codename="view_department"))
    entry = LogEntry.objects.get_for_object(group).latest("timestamp")
    assert entry.actor == chair
    assert "permissions" in entry.changes_dict
