"""小组长 set through a service: the leader field, the group leader role (given, and taken from a former leader who
leads no other group), on the audit trail with the actor."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from accounts.models import Role
from members import services
from members.models import MemberStatus
from tests.factories import MemberFactory, UnionGroupFactory

pytestmark = pytest.mark.django_db


def test_a_new_leader_takes_the_group_and_the_role(chair, make_persona):
    group = UnionGroupFactory()
    old = make_persona("old_leader", Role.GROUP_LEADER, union_group=group)
    new = make_persona("new_leader", union_group=group)
    group.leader = old.member
    group.save()
    services.group_leader_set(union_group=group, member=new.member, actor=chair)
    group.refresh_from_db()
    assert group.leader == new.member
    assert new.has_role(Role.GROUP_LEADER) and not type(old).objects.get(pk=old.pk).has_role(Role.GROUP_LEADER)
    assert type(old).objects.get(pk=old.pk).has_role(Role.MEMBER)  # other roles kept
    entry = LogEntry.objects.get_for_object(group).latest("timestamp")
    assert entry.actor == chair and "leader" in entry.changes_dict


def test_a_leader_of_another_group_keeps_the_role(chair, make_persona):
    first, second = UnionGroupFactory(), UnionGroupFactory()
    leader = make_persona("leader2", Role.GROUP_LEADER, union_group=first)
    first.leader = second.leader = leader.member
    first.save()
    second.save()
    services.group_leader_set(union_group=second, member=MemberFactory(union_group=second), actor=chair)
    assert type(leader).objects.get(pk=leader.pk).has_role(Role.GROUP_LEADER)


def test_the_leader_comes_from_the_group_and_is_in_service(chair):
    group = UnionGroupFactory()
    with pytest.raises(ValidationError):
        services.group_leader_set(union_group=group, member=MemberFactory(), actor=chair)
    with pytest.raises(ValidationError):
        services.group_leader_set(union_group=group, member=MemberFactory(union_group=group,
                                                                          status=MemberStatus.RETIRED), actor=chair)
