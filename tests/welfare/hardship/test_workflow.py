"""The case workflow: every step, every refused skip, who and when in the step log, one open case per member."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Notification
from tests.factories import MemberFactory
from welfare.hardship import services
from welfare.hardship.selectors import case_handlers, cases_due_for_review
from welfare.models import CaseState, CaseStep, HardshipCase, HardshipLevel, HardshipPolicy

from .helpers import (
    TODAY,
    approved_case,
    days_ago,
    noticed_case,
    open_case,
    poverty_line,
    visited_case,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_it_opens_a_case_with_the_figures_and_a_numbered_file(welfare_officer):
    case = open_case(welfare_officer)
    assert case.state == CaseState.APPLIED
    assert case.number == f"KB{days_ago(40).year}-001"
    assert case.per_capita_monthly == Decimal("666.67")
    assert case.suggested_level == HardshipLevel.DEEP
    assert case.poverty_line_amount == Decimal("1000.00")
    step = case.steps.get()
    assert (step.step, step.actor, step.done_on) == (CaseStep.APPLY, welfare_officer, days_ago(40))
    assert step.details["per_capita_monthly"] == "666.67"
    assert open_case(welfare_officer, member=MemberFactory()).number.endswith("-002")


def test_a_level_other_than_the_suggestion_needs_a_reason(welfare_officer):
    with pytest.raises(ValidationError, match="give the reason"):
        open_case(welfare_officer, level=HardshipLevel.RELATIVE)
    case = open_case(welfare_officer, level=HardshipLevel.RELATIVE, level_reason="走访后发现有稳定的亲属资助")
    assert (case.level, case.suggested_level) == (HardshipLevel.RELATIVE, HardshipLevel.DEEP)


def test_one_open_case_per_member(welfare_officer):
    member = MemberFactory()
    case = open_case(welfare_officer, member=member)
    with pytest.raises(ValidationError, match="already has an open case"):
        open_case(welfare_officer, member=member)
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        HardshipCase.objects.create(
            number="X-1", member=member, level="deep", household_size=1, household_income=0, unavoidable_costs=0,
            poverty_line=case.poverty_line, poverty_line_amount=1, per_capita_monthly=0, applied_on=TODAY())
    services.case_close(case=case, reason="not_approved", actor=welfare_officer)
    assert open_case(welfare_officer, member=member).state == CaseState.APPLIED


def test_a_member_off_the_roll_cannot_apply(welfare_officer):
    with pytest.raises(ValidationError, match="not on the roll"):
        open_case(welfare_officer, member=MemberFactory(status="withdrawn"))


def test_the_whole_workflow_in_order(chair, welfare_officer):
    case = open_case(welfare_officer)
    services.case_visit(case=case, visited_on=days_ago(35), visitors="李四", findings="属实", actor=welfare_officer)
    assert (case.state, case.visitors, case.visited_on) == (CaseState.VISITED, "李四", days_ago(35))
    services.case_notice(case=case, start=days_ago(30), proposed_aid=Decimal("2000"), actor=welfare_officer)
    assert case.state == CaseState.NOTICE
    assert (case.notice_start, case.notice_end) == (days_ago(30), days_ago(24))  # 7 days by default (data)
    services.case_approve(case=case, approved_on=days_ago(20), actor=chair)
    assert (case.state, case.approved_on) == (CaseState.APPROVED, days_ago(20))
    assert case.review_due_on == days_ago(20).replace(year=days_ago(20).year + 1)
    services.case_review(case=case, household_income=Decimal("30000"), unavoidable_costs=Decimal("3000"),
                         household_size=3, poverty_line=poverty_line(), level=HardshipLevel.DEEP,
                         reviewed_on=days_ago(5), actor=welfare_officer)
    assert (case.state, case.last_reviewed_on, case.per_capita_monthly) == (
        CaseState.APPROVED, days_ago(5), Decimal("750.00"))
    services.case_close(case=case, reason="out_of_hardship", closed_on=TODAY(), actor=chair)
    assert (case.state, case.close_reason, case.review_due_on) == (CaseState.CLOSED, "out_of_hardship", None)
    log = list(case.steps.values_list("step", "actor__username"))
    assert log == [("apply", "welfare"), ("visit", "welfare"), ("notice", "welfare"), ("approve", "chair"),
                   ("review", "welfare"), ("close", "chair")]


@pytest.mark.parametrize(("build", "step", "expected_next"), [
    (open_case, "notice", "home visit"),
    (open_case, "approve", "home visit"),
    (open_case, "review", "home visit"),
    (visited_case, "visit", "public notice"),
    (visited_case, "approve", "public notice"),
    (noticed_case, "visit", "approval"),
    (noticed_case, "notice", "approval"),
    (approved_case, "approve", "yearly review"),
    (approved_case, "notice", "yearly review"),
])
def test_a_skipped_or_repeated_step_is_refused_with_the_next_step_named(welfare_officer, settings, build, step,
                                                                        expected_next):
    settings.LANGUAGE_CODE = "en"
    case = build(welfare_officer)
    before = case.steps.count()
    calls = {
        "visit": lambda: services.case_visit(case=case, visited_on=TODAY(), visitors="x", findings="y",
                                             actor=welfare_officer),
        "notice": lambda: services.case_notice(case=case, start=TODAY(), actor=welfare_officer),
        "approve": lambda: services.case_approve(case=case, actor=welfare_officer),
        "review": lambda: services.case_review(
            case=case, household_income=Decimal("30000"), unavoidable_costs=Decimal("6000"), household_size=3,
            poverty_line=poverty_line(), level=HardshipLevel.DEEP, actor=welfare_officer),
    }
    with pytest.raises(ValidationError, match=f"The next step is “{expected_next}") as error:
        calls[step]()
    assert error.value.code == "illegal_step"
    assert case.steps.count() == before


def test_a_closed_case_takes_no_more_steps(welfare_officer):
    case = open_case(welfare_officer)
    services.case_close(case=case, reason="not_approved", actor=welfare_officer)
    with pytest.raises(ValidationError, match="is not possible"):
        services.case_visit(case=case, visited_on=TODAY(), visitors="x", findings="y", actor=welfare_officer)
    with pytest.raises(ValidationError, match="is not possible"):
        services.case_close(case=case, reason="died", actor=welfare_officer)


def test_approval_waits_for_the_end_of_the_objection_window(chair, welfare_officer):
    case = noticed_case(welfare_officer, start=3)  # 7-day window still open
    with pytest.raises(ValidationError, match="objection window runs until") as error:
        services.case_approve(case=case, approved_on=TODAY(), actor=chair)
    assert error.value.code == "window_open"
    assert case.state == CaseState.NOTICE


def test_approval_on_the_last_day_of_the_window_is_refused_and_the_day_after_allowed(chair, welfare_officer):
    case = noticed_case(welfare_officer, start=8)  # window: 8 days ago … 2 days ago
    with pytest.raises(ValidationError, match="objection window"):
        services.case_approve(case=case, approved_on=days_ago(2), actor=chair)
    services.case_approve(case=case, approved_on=days_ago(1), actor=chair)
    assert case.state == CaseState.APPROVED


def test_the_window_length_is_data(welfare_officer):
    start = next(days_ago(n) for n in range(34, 27, -1) if days_ago(n).weekday() == 0)  # a Monday
    HardshipPolicy.objects.update_or_create(year=start.year, defaults={"notice_days": 5, "notice_working_days": True})
    case = visited_case(welfare_officer)
    services.case_notice(case=case, start=start, actor=welfare_officer)
    assert case.notice_end == start + datetime.timedelta(days=4)  # Monday to Friday
    HardshipPolicy.objects.filter(year=start.year).update(notice_days=10, notice_working_days=True)
    other = visited_case(welfare_officer, member=MemberFactory())
    services.case_notice(case=other, start=start, actor=welfare_officer)
    assert other.notice_end == start + datetime.timedelta(days=11)  # two working weeks


def test_objections_during_the_window_must_be_resolved_before_approval(chair, welfare_officer, member_user):
    case = noticed_case(welfare_officer, start=10)
    objection = services.objection_submit(case=case, text="他家有两套房", actor=member_user, on=days_ago(8))
    assert Notification.objects.filter(user__in=[chair, welfare_officer]).count() == 2
    assert Notification.objects.filter(user=member_user).count() == 0
    with pytest.raises(ValidationError, match="Resolve the 1 open objection"):
        services.case_approve(case=case, actor=chair)
    services.objection_resolve(objection=objection, resolution="核实为租住，异议不成立", actor=chair)
    services.case_approve(case=case, actor=chair)
    assert case.state == CaseState.APPROVED


def test_objections_are_taken_only_during_the_window(welfare_officer, member_user):
    case = noticed_case(welfare_officer, start=10)  # ended 4 days ago
    with pytest.raises(ValidationError, match="no longer taken"):
        services.objection_submit(case=case, text="异议", actor=member_user)
    visited = visited_case(welfare_officer, member=MemberFactory())
    with pytest.raises(ValidationError, match="no longer taken"):
        services.objection_submit(case=visited, text="异议", actor=member_user)


def test_a_step_cannot_be_dated_before_the_previous_one_or_in_the_future(welfare_officer):
    case = open_case(welfare_officer)
    with pytest.raises(ValidationError, match="before the previous step"):
        services.case_visit(case=case, visited_on=days_ago(41), visitors="x", findings="y", actor=welfare_officer)
    with pytest.raises(ValidationError, match="future"):
        services.case_visit(case=case, visited_on=TODAY() + datetime.timedelta(days=1), visitors="x",
                            findings="y", actor=welfare_officer)


def test_the_yearly_review_can_close_the_case_with_a_reason(welfare_officer):
    case = approved_case(welfare_officer)
    with pytest.raises(ValidationError, match="reason for closing"):
        services.case_review(case=case, household_income=Decimal("90000"), unavoidable_costs=Decimal("0"),
                             household_size=3, poverty_line=poverty_line(), level="", continue_case=False,
                             actor=welfare_officer)
    services.case_review(case=case, household_income=Decimal("90000"), unavoidable_costs=Decimal("0"),
                         household_size=3, poverty_line=poverty_line(), level="", continue_case=False,
                         close_reason="out_of_hardship", actor=welfare_officer)
    assert (case.state, case.suggested_level) == (CaseState.CLOSED, "")
    assert list(case.steps.values_list("step", flat=True))[-2:] == ["review", "close"]


def test_an_approved_case_is_not_closed_as_not_approved(welfare_officer):
    case = approved_case(welfare_officer)
    with pytest.raises(ValidationError, match="closed at review"):
        services.case_close(case=case, reason="not_approved", actor=welfare_officer)


def test_cases_due_for_review_in_a_fixed_number_of_queries(welfare_officer, django_assert_num_queries):
    due = approved_case(welfare_officer, approved=10)
    due.review_due_on = days_ago(1)
    due.save(update_fields=["review_due_on"])
    approved_case(welfare_officer, member=MemberFactory())  # due in about a year
    open_case(welfare_officer, member=MemberFactory())  # not approved: never due
    name = due.member.name
    with django_assert_num_queries(1):
        assert [case.member.name for case in cases_due_for_review(on=TODAY())] == [name]
    for _ in range(3):
        extra = approved_case(welfare_officer, member=MemberFactory())
        HardshipCase.objects.filter(pk=extra.pk).update(review_due_on=TODAY())
    with django_assert_num_queries(1):
        assert len([case.member.name for case in cases_due_for_review(on=TODAY())]) == 4
    on = days_ago(10).replace(year=days_ago(10).year + 1)
    with django_assert_num_queries(1):
        assert len(list(cases_due_for_review(on=on))) == 5


def test_a_review_moves_the_due_date_a_year_on(welfare_officer):
    case = approved_case(welfare_officer, approved=10)
    services.case_review(case=case, household_income=Decimal("30000"), unavoidable_costs=Decimal("6000"),
                         household_size=3, poverty_line=poverty_line(), level=HardshipLevel.DEEP,
                         reviewed_on=TODAY(), actor=welfare_officer)
    assert case.review_due_on == TODAY().replace(year=TODAY().year + 1)
    assert not cases_due_for_review(on=TODAY()).exists()


def test_case_handlers_are_the_chair_and_welfare_officers(chair, welfare_officer, treasurer, auditor, group_leader,
                                                          member_user, outsider, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert set(case_handlers()) == {chair, welfare_officer}
