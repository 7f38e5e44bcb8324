"""Arrears (who has paid nothing for how many months), the flag for the chair at six, and the collection figures."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from core.models import Notification
from finance.dues import selectors, services
from finance.models import DuesArrearsFlag, DuesRecord, DuesRule, VoucherLine
from tests.factories import MemberFactory, UnionGroupFactory

from .helpers import post_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def payer_and_debtor(db):
    group = UnionGroupFactory()
    return (MemberFactory(dues_base=Decimal("5678.90"), union_group=group),
            MemberFactory(dues_base=Decimal("4000.00"), union_group=group))


def test_five_months_are_arrears_but_not_yet_for_the_chair(payer_and_debtor, treasurer, chair):
    payer, debtor = payer_and_debtor
    for month in range(3, 8):
        post_month(2026, month, skip={debtor.pk}, actor=treasurer)
    [arrears] = selectors.dues_arrears()
    assert (arrears.member, arrears.months, arrears.since, arrears.owed) == (debtor, 5, (2026, 3), Decimal("100.00"))
    assert arrears.reached is False
    assert not DuesArrearsFlag.objects.exists()
    assert not Notification.objects.filter(user=chair).exists()


def test_six_months_flag_the_member_and_tell_the_chair_once(payer_and_debtor, treasurer, chair):
    payer, debtor = payer_and_debtor
    for month in range(3, 9):
        post_month(2026, month, skip={debtor.pk}, actor=treasurer)
    [arrears] = selectors.dues_arrears()
    assert arrears.months == 6 and arrears.reached and arrears.flagged
    flag = DuesArrearsFlag.objects.get()
    assert (flag.member, flag.since_year, flag.since_month, flag.months) == (debtor, 2026, 3, 6)
    [note] = Notification.objects.filter(user=chair)
    assert debtor.name in note.body and note.url == "/finance/dues/arrears/"
    assert services.dues_arrears_flag(actor=None) == []  # idempotent
    post_month(2026, 9, skip={debtor.pk}, actor=treasurer)  # seven months: the same run, no second notice
    assert DuesArrearsFlag.objects.count() == 1 and Notification.objects.filter(user=chair).count() == 1
    debtor.refresh_from_db()
    assert debtor.status == "active"  # the portal never applies the automatic-leave rule by itself


def test_a_rule_effective_next_year_does_not_change_todays_threshold(payer_and_debtor, treasurer, chair):
    payer, debtor = payer_and_debtor
    today = timezone.localdate()
    assert selectors.arrears_threshold() == 6
    DuesRule.objects.create(effective_from=datetime.date(today.year + 1, 1, 1), rate=Decimal("0.00500"),
                            arrears_months=3)
    assert selectors.arrears_threshold() == 6
    assert selectors.arrears_threshold(datetime.date(today.year + 1, 1, 1)) == 3
    for month in range(3, 7):
        post_month(2026, month, skip={debtor.pk}, actor=treasurer)
    [arrears] = selectors.dues_arrears()
    assert arrears.months == 4 and arrears.reached is False
    assert not DuesArrearsFlag.objects.exists() and not Notification.objects.filter(user=chair).exists()


def test_without_any_rule_the_threshold_is_six(db):
    DuesRule.objects.all().delete()
    assert selectors.arrears_threshold() == 6


def test_a_payment_in_person_ends_the_run(payer_and_debtor, treasurer):
    payer, debtor = payer_and_debtor
    for month in range(3, 6):
        post_month(2026, month, skip={debtor.pk}, actor=treasurer)
    record = services.dues_pay_in_person(member=debtor, year=2026, month=5, amount=Decimal("20.00"),
                                         received_on=datetime.date(2026, 6, 2), actor=treasurer)
    assert record.paid == Decimal("20.00") and record.source == "manual" and record.voucher.number == 4
    assert selectors.dues_arrears() == []
    assert {line.account.code for line in record.voucher.lines.all()} == {"101", "401"}


def test_a_month_without_a_posted_list_ends_the_count(payer_and_debtor, treasurer):
    payer, debtor = payer_and_debtor
    post_month(2026, 3, skip={debtor.pk}, actor=treasurer)
    post_month(2026, 5, skip={debtor.pk}, actor=treasurer)
    [arrears] = selectors.dues_arrears()
    assert arrears.months == 1 and arrears.since == (2026, 5)


def test_the_arrears_filter_by_group(payer_and_debtor, treasurer):
    payer, debtor = payer_and_debtor
    other = MemberFactory(dues_base=Decimal("3000.00"), union_group=UnionGroupFactory())
    post_month(2026, 3, skip={debtor.pk, other.pk}, actor=treasurer)
    assert {a.member for a in selectors.dues_arrears()} == {debtor, other}
    assert [a.member for a in selectors.dues_arrears(group=other.union_group)] == [other]


@pytest.mark.parametrize("size", [5, 40])
def test_the_arrears_query_count_does_not_grow_with_the_roll(size, treasurer, django_assert_num_queries):
    group = UnionGroupFactory()
    members = [MemberFactory(dues_base=Decimal("3000.00"), union_group=group) for _ in range(size)]
    for month in (3, 4, 5):
        post_month(2026, month, skip={m.pk for m in members[1:]}, actor=treasurer)
    with django_assert_num_queries(4):
        found = selectors.dues_arrears()
    assert len(found) == size - 1 and all(a.months == 3 for a in found)
    with django_assert_num_queries(4):
        selectors.dues_arrears(group=group)


def test_the_collection_figures_add_up_to_the_books(payer_and_debtor, treasurer):
    payer, debtor = payer_and_debtor
    loner = MemberFactory(dues_base=Decimal("2000.00"))  # no group
    post_month(2026, 3, skip={debtor.pk}, actor=treasurer, adjust={payer.pk: Decimal("30.00")})
    post_month(2026, 4, actor=treasurer)
    report = selectors.dues_collection(year=2026)
    march, april = report["months"]
    assert (march["month"], march["expected"], march["paid"]) == (3, Decimal("58.35"), Decimal("40.00"))
    assert (march["members"], march["payers"], march["in_arrears"]) == (3, 2, 1)
    assert march["voucher"] == "2026-0001"
    assert [g["group"] for g in march["groups"]] == [payer.union_group.name, ""]
    assert march["groups"][0]["in_arrears"] == 1 and march["groups"][1]["paid"] == Decimal("10.00")
    assert april["paid"] == april["expected"] == Decimal("58.35") and april["in_arrears"] == 0
    credited = VoucherLine.objects.filter(account__code="401").aggregate(total=Sum("credit"))["total"]
    assert report["totals"]["paid"] == credited == Decimal("98.35")
    assert selectors.dues_collection(year=2026, month=4)["months"] == [april]
    assert loner.pk in {r.member_id for r in DuesRecord.objects.filter(month=3)}
