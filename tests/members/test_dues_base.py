from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members import services
from members.models import MemberPayItem, PayItem
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _item(name):
    return PayItem.objects.get(name=name)


def test_it_sums_only_the_pay_items_the_union_counts(chair):
    member = MemberFactory()
    services.dues_base_set(member=member, actor=chair, amounts={
        _item("职务工资"): Decimal("3210.55"), _item("级别工资"): Decimal("2468.35"), _item("津贴补贴"): Decimal("1800")})
    member.refresh_from_db()
    assert member.dues_base == Decimal("5678.90")


def test_it_follows_the_union_changing_which_items_count(chair):
    member = MemberFactory()
    services.dues_base_set(member=member, actor=chair, amounts={
        _item("职务工资"): Decimal("3000"), _item("津贴补贴"): Decimal("1000")})
    allowance = _item("津贴补贴")
    allowance.counts_for_dues = True
    allowance.save()
    services.member_recompute_dues_base(member=member, actor=chair)
    member.refresh_from_db()
    assert member.dues_base == Decimal("4000.00")


def test_it_removes_an_item_given_as_none(chair):
    member = MemberFactory()
    services.dues_base_set(member=member, actor=chair, amounts={_item("职务工资"): Decimal("3000")})
    services.dues_base_set(member=member, actor=chair, amounts={_item("职务工资"): None})
    member.refresh_from_db()
    assert member.dues_base == Decimal("0.00")
    assert not MemberPayItem.objects.filter(member=member).exists()


def test_it_refuses_a_negative_amount_and_writes_nothing(chair):
    member = MemberFactory()
    with pytest.raises(ValidationError):
        services.dues_base_set(member=member, actor=chair, amounts={
            _item("职务工资"): Decimal("3000"), _item("级别工资"): Decimal("-1")})
    assert not MemberPayItem.objects.filter(member=member).exists()
