"""The selectors the reminders engine uses (welfare.care.selectors): holiday dates from each year's policy, who has
not had a holiday's gift, open care reports — each in a fixed number of queries whatever the member count."""

import datetime

import pytest

from accounts.models import Role
from finance.models import Account
from members.models import MemberStatus
from tests.factories import MemberFactory, UnionGroupFactory, UserFactory
from welfare.care import selectors as care_selectors
from welfare.care.services import care_report_create, holiday_year, visit_record, visit_withdraw
from welfare.models import BenefitPolicy, GiftForm, Occasion, OccasionKind, OccasionRule

from .factories import YEAR, D, day, make_policy, occasion

pytestmark = pytest.mark.django_db

LUNAR_DATES = {  # DOMAIN.md §3, and borax for 2028–2030
    2026: {"spring_festival": (2, 17), "dragon_boat": (6, 19), "mid_autumn": (9, 25), "qingming": (4, 5)},
    2027: {"spring_festival": (2, 6), "dragon_boat": (6, 9), "mid_autumn": (9, 15), "qingming": (4, 5)},
    2028: {"spring_festival": (1, 26), "dragon_boat": (5, 28), "mid_autumn": (10, 3), "qingming": (4, 4)},
    2030: {"spring_festival": (2, 3), "dragon_boat": (6, 5), "mid_autumn": (9, 12), "qingming": (4, 5)},
}


@pytest.mark.parametrize("year", sorted(LUNAR_DATES))
def test_holidays_between_gives_the_computed_dates_of_each_years_holidays(year):
    if not BenefitPolicy.objects.filter(year=year, in_use=True).exists():
        make_policy(year)
    BenefitPolicy.objects.filter(year=year).exclude(in_use=True).delete()
    found = dict((o.code, d) for o, d in care_selectors.holidays_between(
        start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)))
    for code, (month, dd) in LUNAR_DATES[year].items():
        if code in found:
            assert found[code] == datetime.date(year, month, dd), code
    assert "spring_festival" in found and "mid_autumn" in found


def test_holidays_between_uses_the_policy_of_the_dates_year_and_the_window(policy):
    found = care_selectors.holidays_between(start=day(6, 1), end=day(9, 30))
    assert [(o.code, d) for o, d in found] == [("dragon_boat", day(6, 5)), ("mid_autumn", day(9, 12))]
    # 国庆 is in the 2030 test policy, 劳动节 is not: only covered holidays count.
    found = care_selectors.holidays_between(start=day(4, 30), end=day(10, 2))
    assert "labour_day" not in [o.code for o, _d in found] and "national_day" in [o.code for o, _d in found]
    # A window spanning two years, the second without a policy.
    found = care_selectors.holidays_between(start=day(12, 1), end=datetime.date(YEAR + 1, 3, 1))
    assert found == []
    make_policy(YEAR + 1)
    found = care_selectors.holidays_between(start=day(12, 1), end=datetime.date(YEAR + 1, 3, 1))
    assert [(o.code, d) for o, d in found] == [("spring_festival", datetime.date(2031, 1, 23))]


def test_members_without_holiday_gift(policy):
    given, waiting = MemberFactory(), MemberFactory()
    MemberFactory(status=MemberStatus.RETIRED)  # the test policy gives holidays to working members only
    MemberFactory(status=MemberStatus.TRANSFERRED_OUT)
    withdrawn = MemberFactory()
    actor = UserFactory(username="w")
    visit_record(member=given, occasion=occasion("mid_autumn"), date=day(9, 10), form=GiftForm.GOODS,
                 amount=D("300"), actor=actor)

    visit_withdraw(visit=visit_record(member=withdrawn, occasion=occasion("mid_autumn"), date=day(9, 10),
                                      form=GiftForm.GOODS, amount=D("300"), actor=actor), reason="错", actor=actor)
    result = set(care_selectors.members_without_holiday_gift(occasion=occasion("mid_autumn"), year=YEAR))
    assert result == {waiting, withdrawn}
    # Another year, or a holiday the policy does not cover: nobody / everybody is not the answer — the rule decides.
    assert len(care_selectors.members_without_holiday_gift(occasion=occasion("mid_autumn"), year=YEAR + 5)) == 0
    assert len(care_selectors.members_without_holiday_gift(occasion=occasion("labour_day"), year=YEAR)) == 0


def test_retirees_are_included_where_the_policy_allows(policy):
    retired = MemberFactory(status=MemberStatus.RETIRED)
    rule = policy.rules.get(occasion__code="mid_autumn")
    rule.retirees_eligible = True
    rule.save()
    assert retired in care_selectors.members_without_holiday_gift(occasion=occasion("mid_autumn"), year=YEAR)


@pytest.mark.parametrize("size", [3, 40])
def test_the_selectors_use_a_fixed_number_of_queries(policy, size, django_assert_num_queries):
    leader_user = UserFactory(username="leader1")
    group = UnionGroupFactory(leader=MemberFactory(user=leader_user))
    actor = UserFactory(username="w")
    actor.groups.add(Role.objects.get(code="welfare").group)
    mid_autumn = occasion("mid_autumn")
    for index in range(size):
        member = MemberFactory(union_group=group)
        care_report_create(member=member, occasion=occasion("hospital"), date=day(3, 1), note="", actor=actor)
        if index % 2:
            visit_record(member=member, occasion=occasion("mid_autumn"), date=day(9, 10), form=GiftForm.GOODS,
                         amount=D("300"), actor=actor)
    with django_assert_num_queries(2):  # the rule (policy joined), then the members
        members = list(care_selectors.members_without_holiday_gift(occasion=mid_autumn, year=YEAR))
        assert len(members) == size - size // 2 + 1  # the leader too
        assert all(m.union_group.leader.name for m in members if m.union_group)
    with django_assert_num_queries(1):
        reports = list(care_selectors.open_reports(occasion_codes=["hospital"]))
        assert len(reports) == size and all(r.member.union_group.leader.user_id == leader_user.pk for r in reports)
    with django_assert_num_queries(1):
        care_selectors.holidays_between(start=day(1, 1), end=day(12, 31))


def test_open_reports_filter_by_occasion_and_leave_out_closed_ones(policy):
    actor = UserFactory(username="w2")
    actor.groups.add(Role.objects.get(code="welfare").group)
    member = MemberFactory()
    hospital = care_report_create(member=member, occasion=occasion("hospital"), date=day(3, 1), actor=actor)
    wedding = care_report_create(member=member, occasion=occasion("wedding"), date=day(3, 2), actor=actor)
    assert set(care_selectors.open_reports()) == {hospital, wedding}
    assert list(care_selectors.open_reports(occasion_codes=["hospital"])) == [hospital]
    visit_record(member=member, occasion=occasion("hospital"), date=day(3, 3), form=GiftForm.CASH, amount=D("500"),
                 actor=actor, report=hospital)
    assert list(care_selectors.open_reports()) == [wedding]


def test_a_lunar_twelfth_month_holiday_is_found_in_the_next_january(policy):
    eve = Occasion.objects.create(code="new_year_eve", name="除夕", kind=OccasionKind.HOLIDAY, calendar="lunar",
                                  month=12, day=29)
    OccasionRule.objects.create(policy=policy, occasion=eve, account=Account.objects.get(code="50105"))
    date = eve.date_in(YEAR)
    assert date.year == YEAR + 1  # lunar 2030-12-29 falls in 2031
    found = care_selectors.holidays_between(start=datetime.date(YEAR + 1, 1, 1), end=datetime.date(YEAR + 1, 2, 28))
    assert [(o.code, d) for o, d in found] == [("new_year_eve", date)]
    assert holiday_year(eve, date) == YEAR
