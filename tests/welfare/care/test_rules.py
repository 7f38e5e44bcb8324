"""Every cap and form rule of the benefit policy, at the limit and one fen over (welfare/care/rules.py)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from finance.books import services as books
from finance.models import Account, Spending
from finance.spending import spending_for, spending_post
from members.models import MemberStatus
from tests.factories import MemberFactory, UserFactory
from welfare.care.services import visit_record, visit_withdraw
from welfare.models import BenefitPolicy, GiftForm, Occasion, OccasionRule, Visit

from .factories import YEAR, D, day, make_policy, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]



@pytest.fixture
def officer(db):
    return UserFactory(username="officer")


def record(member, code, amount, *, form=GiftForm.GOODS, date=None, actor=None, **kw):
    return visit_record(member=member, occasion=occasion(code), date=date or day(3, 1), form=form,
                        amount=D(amount), actor=actor or UserFactory(username="rec"), **kw)


def refusal(member, code, amount, **kw):
    with pytest.raises(ValidationError) as caught:
        record(member, code, amount, **kw)
    return " ".join(caught.value.messages)


def test_it_records_a_gift_at_the_per_event_cap_and_refuses_one_fen_more(policy):
    member = MemberFactory(name="王伟")
    visit = record(member, "birthday", "300.00")
    assert visit.amount == D("300.00")
    other = MemberFactory(name="李娜")
    assert refusal(other, "birthday", "300.01").startswith("生日 cap is 300.00 per event; this gift is 300.01.")
    assert not Visit.objects.filter(member=other).exists()


def test_hospital_cap_at_the_limit_and_one_fen_over(policy):
    member = MemberFactory()
    record(member, "hospital", "1000.00", form=GiftForm.CASH)
    assert "生病住院 cap is 1,000.00 per event; this gift is 1,000.01." in refusal(
        member, "hospital", "1000.01", form=GiftForm.CASH)


def test_cash_is_refused_for_a_birthday_and_allowed_for_hospital(policy):
    member = MemberFactory()
    message = refusal(member, "birthday", "100.00", form=GiftForm.CASH)
    assert "生日 may not be given as cash (慰问金)" in message
    assert "goods (实物)" in message and "voucher for named goods" in message
    assert record(member, "hospital", "100.00", form=GiftForm.CASH).form == GiftForm.CASH


def test_the_per_year_cap_of_an_occasion_counts_earlier_gifts(policy):
    member = MemberFactory(name="张敏")
    record(member, "birthday", "200.00")
    record(member, "birthday", "100.00", date=day(6, 1))  # exactly 300 in the year
    assert refusal(member, "birthday", "0.01", date=day(7, 1)) == (
        "生日 cap is 300.00 per year; 张敏 has received 300.00 in 2030, and this gift of 0.01 would make 300.01.")


def test_a_per_holiday_cap_guizhou_style(policy):
    member = MemberFactory(name="赵强")
    record(member, "spring_festival", "500.00", date=day(2, 1))
    assert "春节 cap is 500.00 per year; 赵强 has received 500.00" in refusal(
        member, "spring_festival", "0.01", date=day(2, 2))


def test_the_yearly_holiday_total_at_the_limit_and_one_fen_over(policy):
    member = MemberFactory(name="陈静")
    record(member, "spring_festival", "500.00", date=day(2, 1))
    record(member, "mid_autumn", "700.00", date=day(9, 10))
    record(member, "dragon_boat", "300.00", date=day(6, 1))  # 1500.00 exactly
    message = refusal(member, "national_day", "0.01", date=day(9, 30))
    assert message == ("The yearly holiday total is 1,500.00; 陈静 has received 1,500.00 in holiday gifts in 2030, "
                       "and this gift of 0.01 would make 1,500.01.")


def test_a_withdrawn_gift_no_longer_counts_against_the_caps(policy):
    member = MemberFactory()
    visit = record(member, "birthday", "300.00")

    visit_withdraw(visit=visit, reason="录错了", actor=UserFactory(username="w"))
    assert record(member, "birthday", "300.00").amount == D("300.00")


def test_retired_members_only_where_the_policy_allows(policy):
    retired = MemberFactory(name="孙平", status=MemberStatus.RETIRED)
    assert refusal(retired, "birthday", "100.00") == (
        "生日 is not given to retired members under the 2030 policy; 孙平 is retired.")
    assert record(retired, "hospital", "100.00", form=GiftForm.CASH).pk


def test_members_off_the_roll_are_refused_and_the_deceased_only_for_a_death(policy):
    gone = MemberFactory(name="周涛", status=MemberStatus.TRANSFERRED_OUT)
    assert "周涛 is not eligible for 生病住院: membership status is “transferred out”." in refusal(
        gone, "hospital", "100.00")
    dead = MemberFactory(status=MemberStatus.DECEASED)
    assert "not eligible" in refusal(dead, "hospital", "100.00")
    assert record(dead, "member_death", "2000.00", form=GiftForm.CASH).pk


def test_an_occasion_the_policy_does_not_cover_and_a_year_without_policy(policy):
    member = MemberFactory()
    assert refusal(member, "retirement", "100.00") == (
        "退休 is not covered by the benefit policy for 2030 (测试 2030).")
    assert refusal(member, "hospital", "100.00", date=day(3, 1, year=2041)) == (
        "There is no benefit policy in use for 2041; the chair sets one up in the admin.")


def test_every_broken_rule_is_listed_at_once(policy):
    retired = MemberFactory(status=MemberStatus.RETIRED)
    with pytest.raises(ValidationError) as caught:
        record(retired, "birthday", "300.01", form=GiftForm.CASH)
    assert len(caught.value.messages) == 4  # retired, cash, per event, per year


def test_a_recorded_gift_is_a_spending_on_the_occasions_account(policy):
    member = MemberFactory(name="吴芳")
    visit = record(member, "spring_festival", "400.00", date=day(2, 3))
    spending = spending_for(visit)
    assert (spending.amount, spending.account.code, spending.spent_on, spending.occasion) == (
        D("400.00"), "50105", day(2, 3), "2030 春节")
    assert "吴芳" in spending.summary


def test_a_visit_without_a_gift_records_no_spending(policy):
    visit = record(MemberFactory(), "hospital", "0.00")
    assert spending_for(visit) is None


def test_nothing_is_saved_when_the_spending_cannot_be_recorded(policy):
    Account.objects.filter(code="50105").update(is_active=False)
    member = MemberFactory()
    with pytest.raises(ValidationError, match="There is no account 50105 in use"):
        record(member, "hospital", "100.00", form=GiftForm.CASH)
    assert not Visit.objects.exists() and not Spending.objects.exists()


def test_a_policy_change_never_alters_what_was_recorded(policy):
    member = MemberFactory()
    visit = record(member, "birthday", "300.00")
    rule = policy.rules.get(occasion__code="birthday")
    rule.cap_per_event, rule.cap_per_year, rule.allow_cash = D("100.00"), D("100.00"), True
    rule.save()
    policy.holiday_yearly_cap = D("1.00")
    policy.save()
    visit.refresh_from_db()
    assert (visit.amount, visit.checked_cap_per_event, visit.checked_cap_per_year, visit.checked_forms) == (
        D("300.00"), D("300.00"), D("300.00"), "goods,voucher")
    assert visit.status == Visit.Status.RECORDED
    # New gifts are checked against the new figures.
    assert "cap is 100.00 per event" in refusal(MemberFactory(), "birthday", "100.01")


def test_a_holiday_gift_keeps_the_yearly_total_it_was_checked_against(policy):
    visit = record(MemberFactory(), "mid_autumn", "300.00", date=day(9, 10))
    assert visit.checked_holiday_cap == D("1500.00") and visit.year == YEAR


def test_a_negative_or_sub_fen_amount_is_refused(policy):
    member = MemberFactory()
    assert "not negative" in refusal(member, "hospital", "-1.00", form=GiftForm.CASH)
    assert "not negative" in refusal(member, "hospital", "1.001", form=GiftForm.CASH)


def test_only_one_policy_is_in_use_per_year(db):
    make_policy(region="甲省")
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitPolicy.objects.create(year=YEAR, region="乙省", name="x", in_use=True)
    BenefitPolicy.objects.create(year=YEAR, region="乙省", name="x", in_use=False)


def test_visitors_may_be_members_or_names_and_the_visit_is_audited_with_its_actor(policy):
    chair_member = MemberFactory(name="主席")
    actor = UserFactory(username="auditme")
    visit = record(MemberFactory(), "hospital", "500.00", form=GiftForm.CASH, actor=actor,
                   visitors=[chair_member, "工会干事小陈"], signed_by="配偶", notes="带了水果")
    assert list(visit.visitor_members.all()) == [chair_member]
    assert visit.visitors == "主席、工会干事小陈" and visit.signed_by == "配偶"
    entry = LogEntry.objects.get_for_object(visit).get(action=LogEntry.Action.CREATE)
    assert entry.actor == actor


def test_the_same_holiday_gift_cannot_be_recorded_twice_one_by_one(policy):
    member = MemberFactory(name="赵敏")
    record(member, "mid_autumn", "100.00")
    assert "赵敏 has already received the 2030 中秋 gift." in refusal(member, "mid_autumn", "100.00")
    assert Visit.objects.filter(member=member).count() == 1


def test_a_new_year_gift_handed_out_in_late_december_counts_for_the_coming_year(policy):
    for each in (policy, make_policy(YEAR + 1)):
        OccasionRule.objects.create(policy=each, occasion=occasion("new_year"), account=Account.objects.get(
            code="50105"), standard_amount=D("200.00"), allow_cash=False)
    member = MemberFactory(name="钱多")
    visit = record(member, "national_day", "100.00", date=day(9, 28))
    assert visit.year == YEAR  # 国庆 is nearest in the same year
    early = record(member, "new_year", "100.00", date=datetime.date(YEAR, 12, 28))
    assert early.year == YEAR + 1
    assert "钱多 has already received the 2031 元旦 gift." in refusal(
        member, "new_year", "100.00", date=datetime.date(YEAR + 1, 1, 2))


def test_an_occasion_with_recorded_gifts_keeps_its_kind_and_date(policy, rf, chair):
    model_admin = site._registry[Occasion]
    request = rf.get("/")
    request.user = chair
    assert "kind" not in model_admin.get_readonly_fields(request, occasion("mid_autumn"))
    record(MemberFactory(), "mid_autumn", "100.00")
    assert {"kind", "calendar", "month", "day"} <= set(model_admin.get_readonly_fields(request, occasion("mid_autumn")))


def test_a_posted_gift_is_withdrawn_once_the_treasurer_has_reversed_its_voucher(policy, treasurer):

    member = MemberFactory()
    visit = record(member, "mid_autumn", "300.00")
    voucher = spending_post(spendings=[spending_for(visit)], date=visit.date, actor=treasurer)
    with pytest.raises(ValidationError, match="already in the books"):
        visit_withdraw(visit=visit, reason="录错了", actor=treasurer)
    books.voucher_reverse(voucher=voucher, date=visit.date, reason="录错了", actor=treasurer)
    visit_withdraw(visit=visit, reason="录错了", actor=treasurer)
    assert record(member, "mid_autumn", "300.00").amount == D("300.00")
