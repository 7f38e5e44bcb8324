"""Aid payments booked as spending (all or nothing), 金秋助学's season and standards, the 送温暖 batch, 医疗互助."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from finance.models import Spending
from finance.spending import spending_for
from tests.factories import MemberFactory
from welfare.hardship import aid
from welfare.hardship.services import case_close
from welfare.models import (
    AidKind,
    AidPayment,
    HardshipLevel,
    HardshipPolicy,
    MedicalAidEnrolment,
    MedicalAidPlan,
)

from .helpers import TODAY, approved_case, days_ago, kind, noticed_case, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_a_payment_is_booked_as_spending_with_a_masked_summary(welfare_officer):
    case = approved_case(welfare_officer)
    payment = aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("1500.00"), paid_on=days_ago(2),
                                     actor=welfare_officer)
    spending = spending_for(payment)
    assert (spending.amount, spending.account.code, spending.spent_on) == (Decimal("1500.00"), "50301", days_ago(2))
    assert "张*明" in spending.summary and case.number in spending.summary
    assert "张三明" not in spending.summary and case.member.id_number not in spending.summary
    assert spending.recorded_by == welfare_officer


def test_the_account_comes_from_the_aid_kind_data(welfare_officer):
    AidKind.objects.filter(code="medical").update(account_code="50302")
    case = approved_case(welfare_officer)
    payment = aid.aid_payment_record(case=case, kind=kind("medical"), amount=Decimal("800"), actor=welfare_officer)
    assert spending_for(payment).account.code == "50302"


def test_a_failing_spending_leaves_no_payment(welfare_officer):
    AidKind.objects.filter(code="living").update(account_code="99999")  # not in the chart of accounts
    case = approved_case(welfare_officer)
    with pytest.raises(ValidationError, match="no account 99999"):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("100"), actor=welfare_officer)
    assert not AidPayment.objects.exists() and not Spending.objects.exists()


def test_an_error_after_the_spending_leaves_neither(welfare_officer, monkeypatch):
    case = approved_case(welfare_officer)

    def broken(**kwargs):
        Spending.objects.create(source_type_id=1, source_id=1, account_id=1, amount=1, spent_on=TODAY(), summary="x")
        raise RuntimeError("books unavailable")

    monkeypatch.setattr(aid, "spending_record", broken)
    with pytest.raises(RuntimeError):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("100"), actor=welfare_officer)
    assert not AidPayment.objects.exists() and not Spending.objects.exists()


@pytest.mark.parametrize("build", [open_case, noticed_case])
def test_aid_is_paid_only_on_an_approved_case(welfare_officer, build):
    case = build(welfare_officer)
    with pytest.raises(ValidationError, match="only on an approved, open case"):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("100"), actor=welfare_officer)
    assert not Spending.objects.exists()


def test_no_aid_on_a_closed_case_or_before_approval(welfare_officer):
    case = approved_case(welfare_officer, approved=10)
    with pytest.raises(ValidationError, match="before the case was approved"):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("100"), paid_on=days_ago(11),
                               actor=welfare_officer)
    case_close(case=case, reason="left", actor=welfare_officer)
    with pytest.raises(ValidationError, match="only on an approved, open case"):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal("100"), actor=welfare_officer)


@pytest.mark.parametrize("amount", ["0", "-5", "10.005"])
def test_the_amount_must_be_positive_fen(welfare_officer, amount):
    case = approved_case(welfare_officer)
    with pytest.raises(ValidationError, match="more than zero"):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal(amount), actor=welfare_officer)


def _july(year):
    return datetime.date(year, 7, 15)


def test_education_aid_in_season_up_to_the_standard(welfare_officer):
    case = approved_case(welfare_officer)
    year = TODAY().year if TODAY() >= _july(TODAY().year) else TODAY().year - 1
    payment = aid.aid_payment_record(case=case, kind=kind("education"), amount=Decimal("5000.00"),
                                     applied_on=_july(year), education_stage="university", actor=welfare_officer)
    assert spending_for(payment).account.code == "50301"
    with pytest.raises(ValidationError, match="standard for .* is 3000.00"):
        aid.aid_payment_record(case=case, kind=kind("education"), amount=Decimal("3000.01"),
                               applied_on=_july(year), education_stage="senior_high", actor=welfare_officer)
    with pytest.raises(ValidationError, match="school stage"):
        aid.aid_payment_record(case=case, kind=kind("education"), amount=Decimal("100"), applied_on=_july(year),
                               actor=welfare_officer)


def test_education_aid_out_of_season_is_refused_and_the_season_is_data(welfare_officer):
    case = approved_case(welfare_officer)
    september = datetime.date(TODAY().year - 1, 9, 1)
    with pytest.raises(ValidationError, match="from month 7 to month 8"):
        aid.aid_payment_record(case=case, kind=kind("education"), amount=Decimal("1000"), applied_on=september,
                               education_stage="university", actor=welfare_officer)
    HardshipPolicy.objects.create(year=september.year, education_season_from=7, education_season_until=9)
    aid.aid_payment_record(case=case, kind=kind("education"), amount=Decimal("1000"), applied_on=september,
                           education_stage="university", actor=welfare_officer)


# 送温暖 -----------------------------------------------------------------------------------------------------------


def _two_approved(actor):
    deep = approved_case(actor)
    relative = approved_case(actor, member=MemberFactory(name="李小红"), income="50000", costs="0",
                             level=HardshipLevel.RELATIVE)
    noticed_case(actor, member=MemberFactory())  # not approved: not on the list
    return deep, relative


def test_the_warmth_list_takes_open_approved_cases_with_the_amount_per_level(welfare_officer):
    deep, relative = _two_approved(welfare_officer)
    lines = aid.warmth_candidates(year=2027, holiday="春节")
    assert {(line.case.pk, line.amount) for line in lines} == {(deep.pk, Decimal("1000.00")),
                                                               (relative.pk, Decimal("600.00"))}


def test_the_warmth_batch_records_every_visit_as_50302_spending(welfare_officer):
    deep, relative = _two_approved(welfare_officer)
    payments = aid.warmth_batch_record(year=2027, holiday="春节", actor=welfare_officer,
                                       lines=[(deep, Decimal("1000")), (relative, Decimal("500"))])
    assert len(payments) == 2
    assert set(Spending.objects.values_list("account__code", "amount", "occasion")) == {
        ("50302", Decimal("1000.00"), "2027 春节 送温暖"), ("50302", Decimal("500.00"), "2027 春节 送温暖")}
    assert aid.warmth_candidates(year=2027, holiday="春节") == []
    assert len(aid.warmth_candidates(year=2027, holiday="元旦")) == 2


def test_the_warmth_batch_is_all_or_nothing(welfare_officer):
    deep, relative = _two_approved(welfare_officer)
    with pytest.raises(ValidationError, match="李\\*红: .*nothing was recorded"):
        aid.warmth_batch_record(year=2027, holiday="春节", actor=welfare_officer,
                                lines=[(deep, Decimal("1000")), (relative, Decimal("-1"))])
    assert not AidPayment.objects.exists() and not Spending.objects.exists()


def test_the_warmth_batch_refuses_a_second_visit_for_the_same_holiday(welfare_officer):
    deep, relative = _two_approved(welfare_officer)
    aid.warmth_batch_record(year=2027, holiday="春节", lines=[(deep, Decimal("1000"))], actor=welfare_officer)
    with pytest.raises(ValidationError, match="already received 2027 春节 送温暖"):
        aid.warmth_batch_record(year=2027, holiday="春节", actor=welfare_officer,
                                lines=[(relative, Decimal("600")), (deep, Decimal("1000"))])
    assert AidPayment.objects.count() == 1


def test_the_warmth_batch_needs_an_amount(welfare_officer):
    deep, _relative = _two_approved(welfare_officer)
    with pytest.raises(ValidationError, match="at least one amount"):
        aid.warmth_batch_record(year=2027, holiday="春节", lines=[(deep, None)], actor=welfare_officer)


# 医疗互助 ----------------------------------------------------------------------------------------------------------


def test_one_enrolment_per_member_and_plan(welfare_officer):
    plan = MedicalAidPlan.objects.create(year=2027, name="住院医疗互助", contribution=Decimal("30.00"))
    member = MemberFactory()
    enrolment = aid.medical_enrol(plan=plan, member=member, actor=welfare_officer)
    assert enrolment.contribution == Decimal("30.00")
    with pytest.raises(ValidationError, match="already enrolled"):
        aid.medical_enrol(plan=plan, member=member, actor=welfare_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        MedicalAidEnrolment.objects.create(plan=plan, member=member, contribution=1, enrolled_by=welfare_officer)
    other_year = MedicalAidPlan.objects.create(year=2028, name="住院医疗互助", contribution=Decimal("35.00"))
    assert aid.medical_enrol(plan=other_year, member=member, actor=welfare_officer).contribution == Decimal("35.00")


def test_only_active_members_are_enrolled(welfare_officer):
    plan = MedicalAidPlan.objects.create(year=2027, name="重大疾病互助", contribution=Decimal("60.00"))
    with pytest.raises(ValidationError, match="not an active member"):
        aid.medical_enrol(plan=plan, member=MemberFactory(status="retired"), actor=welfare_officer)


def test_bulk_enrolment_adds_every_active_member_once(welfare_officer):
    plan = MedicalAidPlan.objects.create(year=2027, name="女职工特殊疾病互助", contribution=Decimal("15.00"))
    already = MemberFactory()
    aid.medical_enrol(plan=plan, member=already, actor=welfare_officer)
    MemberFactory.create_batch(4)
    MemberFactory(status="retired")
    active = welfare_officer.member.__class__.objects.filter(status="active").count()
    assert aid.medical_enrol_all_preview(plan=plan) == active - 1
    assert aid.medical_enrol_all(plan=plan, actor=welfare_officer) == active - 1
    assert plan.enrolments.count() == active
    assert aid.medical_enrol_all(plan=plan, actor=welfare_officer) == 0


def test_the_enrolment_list_exports_with_totals(client, login, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    plan = MedicalAidPlan.objects.create(year=2027, name="住院医疗互助", contribution=Decimal("30.00"))
    for member in MemberFactory.create_batch(3):
        aid.medical_enrol(plan=plan, member=member, actor=welfare_officer)
    login(welfare_officer)
    page = client.get(f"/welfare/cases/medical/{plan.pk}/")
    assert page.status_code == 200
    assert "3 enrolled × 30.00 yuan = 90.00 yuan" in page.content.decode()
    response = client.get(f"/welfare/cases/medical/{plan.pk}/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][1] == 3 and Decimal(str(rows[-1][3])) == Decimal("90.00")


def test_bulk_enrolment_asks_for_confirmation_first(client, login, chair):
    plan = MedicalAidPlan.objects.create(year=2027, name="住院医疗互助", contribution=Decimal("30.00"))
    MemberFactory.create_batch(2)
    login(chair)
    page = client.get(f"/welfare/cases/medical/{plan.pk}/enrol-all/")
    assert page.status_code == 200 and not plan.enrolments.exists()
    response = client.post(f"/welfare/cases/medical/{plan.pk}/enrol-all/")
    assert response.status_code == 302
    assert plan.enrolments.count() == 3  # the two and the chair


@pytest.mark.no_budget
def test_the_case_page_says_where_each_payment_stands_in_the_books_and_a_chairs_refusal(
        login, welfare_officer, treasurer, chair):
    """The welfare officer sees on the case what became of each payment (recorded, held and declined by the chair,
    posted), the way the visit page does — read for all the payments at once."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from finance.budgets.services import over_budget_decline
    from finance.spending import spending_hold

    case = approved_case(welfare_officer)
    first, second = (aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal(amount), actor=welfare_officer)
                     for amount in ("600", "700"))
    [held] = spending_hold(spendings=[spending_for(first)], date=timezone.localdate(), reason="无预算", actor=treasurer)
    over_budget_decline(approval=held, reason="请先报主席办公会", actor=chair)
    client = login(welfare_officer, use_client=Client())
    client.get(f"/welfare/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as few:
        page = client.get(f"/welfare/cases/{case.pk}/").content.decode()
    first_row = page.split(f'id="payment-{first.pk}"', 1)[1].split("</tr>", 1)[0]
    second_row = page.split(f'id="payment-{second.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "未同意记账" in first_row and "请先报主席办公会" in first_row
    assert "未同意记账" not in second_row and "已登记，未记账" in second_row
    for amount in ("100", "200", "300"):
        aid.aid_payment_record(case=case, kind=kind("living"), amount=Decimal(amount), actor=welfare_officer)
    with CaptureQueriesContext(connection) as more:
        assert client.get(f"/welfare/cases/{case.pk}/").status_code == 200
    assert len(more) == len(few)
