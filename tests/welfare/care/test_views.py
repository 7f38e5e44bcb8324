"""Care pages per persona: who records, who only looks (403 on writes), who gets 404; the visit form shows the
refusal naming the rule; withdrawal; group leaders report for their own group; the member sees their own care."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from finance.books.services import LineInput, voucher_create, voucher_post
from finance.models import Spending, SpendingState
from finance.spending import spending_for
from members.models import MemberStatus
from tests.factories import MemberFactory, UnionGroupFactory
from tests.once import once
from welfare.care.services import care_report_create, visit_record, visit_withdraw
from welfare.models import BenefitPolicy, CareReport, GiftForm, Visit

from .factories import D, make_policy, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PAGES = ["/welfare/", "/welfare/distributions/"]



@pytest.fixture
def year_policy(db):
    """A policy for this year (the pages default to today's year); the seeded sample is replaced by the test one."""
    year = timezone.localdate().year
    BenefitPolicy.objects.filter(year=year).update(in_use=False)
    return make_policy(year, region="本年测试")


def _client(login, user):
    return login(user, use_client=Client())


@pytest.mark.parametrize("persona, status", [
    ("chair", 200), ("welfare_officer", 200), ("treasurer", 200), ("auditor", 200),
    ("group_leader", 404), ("member_user", 404), ("outsider", 404)])
def test_who_sees_the_care_pages(request, login, persona, status, year_policy):
    client = _client(login, request.getfixturevalue(persona))
    for page in PAGES:
        assert client.get(page).status_code == status, page
    member = MemberFactory()
    assert client.get(f"/welfare/members/{member.pk}/").status_code == status


@pytest.mark.parametrize("persona, status", [
    ("chair", 200), ("welfare_officer", 200), ("treasurer", 403), ("auditor", 403), ("member_user", 404),
    ("outsider", 404)])
def test_who_may_record(request, login, persona, status, year_policy):
    client = _client(login, request.getfixturevalue(persona))
    assert client.get("/welfare/visits/new/").status_code == status
    holiday = occasion("mid_autumn")
    assert client.get(f"/welfare/distributions/new/?occasion={holiday.pk}&year={year_policy.year}").status_code \
        == status


def _post_visit(client, member, amount, form=GiftForm.CASH):
    return client.post("/welfare/visits/new/", once({
        "member": member.pk, "occasion": occasion("hospital").pk, "date": timezone.localdate().isoformat(),
        "form": form, "amount": amount, "visitors": "王主席，李委员", "signed_by": "家属", "notes": "市一院"}))


def test_the_form_shows_the_refusal_then_records_the_corrected_visit(login, welfare_officer, year_policy):
    client = _client(login, welfare_officer)
    member = MemberFactory(name="刘洋")
    response = _post_visit(client, member, "1000.01")
    assert response.status_code == 200
    assert "生病住院 cap is 1,000.00 per event; this gift is 1,000.01." in response.content.decode()
    assert not Visit.objects.exists()
    response = _post_visit(client, member, "1000.00")
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/welfare/visits/{visit.pk}/"
    assert visit.visitors == "王主席、李委员" and visit.signed_by == "家属" and visit.recorded_by == welfare_officer
    assert spending_for(visit).amount == D("1000.00")
    page = client.get(response["Location"]).content.decode()
    assert "1,000.00" in page and "刘洋" in page


def test_treasurer_may_look_at_a_visit_but_not_withdraw_it(login, treasurer, welfare_officer, year_policy):
    visit = visit_record(member=MemberFactory(), occasion=occasion("hospital"), date=timezone.localdate(),
                         form=GiftForm.CASH, amount=D("500"), actor=welfare_officer)
    client = _client(login, treasurer)
    assert client.get(f"/welfare/visits/{visit.pk}/").status_code == 200
    assert client.post(f"/welfare/visits/{visit.pk}/withdraw/", {"reason": "x"}).status_code == 403


def test_withdrawing_a_visit_cancels_its_spending_with_a_reason(login, welfare_officer, year_policy):
    visit = visit_record(member=MemberFactory(), occasion=occasion("hospital"), date=timezone.localdate(),
                         form=GiftForm.CASH, amount=D("500"), actor=welfare_officer)
    client = _client(login, welfare_officer)
    assert client.get(f"/welfare/visits/{visit.pk}/withdraw/").status_code == 200  # the confirmation step
    assert client.post(f"/welfare/visits/{visit.pk}/withdraw/", {"reason": ""}).status_code == 200
    response = client.post(f"/welfare/visits/{visit.pk}/withdraw/", {"reason": "重复录入"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.withdrawn_reason, visit.withdrawn_by) == ("withdrawn", "重复录入", welfare_officer)
    assert spending_for(visit).state == SpendingState.CANCELLED


def test_a_visit_whose_spending_is_posted_cannot_be_withdrawn(welfare_officer, year_policy):
    visit = visit_record(member=MemberFactory(), occasion=occasion("hospital"), date=timezone.localdate(),
                         form=GiftForm.CASH, amount=D("500"), actor=welfare_officer)
    voucher = voucher_create(date=visit.date, summary="慰问", actor=welfare_officer, lines=[
        LineInput("50105", debit=D("500")), LineInput("102", credit=D("500"))])
    voucher = voucher_post(voucher=voucher, actor=welfare_officer)
    # The books helper's posting service links spending to its voucher; done by hand here.
    Spending.objects.filter(pk=spending_for(visit).pk).update(state=SpendingState.POSTED, voucher=voucher)
    with pytest.raises(ValidationError, match="already in the books"):
        visit_withdraw(visit=visit, reason="错", actor=welfare_officer)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RECORDED


def test_a_group_leader_reports_for_their_own_group_only(login, group_leader, welfare_officer, year_policy,
                                                        django_capture_on_commit_callbacks):
    own = MemberFactory(name="郑红", union_group=group_leader.member.union_group)
    other = MemberFactory(name="冯军", union_group=UnionGroupFactory())
    client = _client(login, group_leader)
    page = client.get("/welfare/reports/new/").content.decode()
    assert "郑红" in page and "冯军" not in page
    response = client.post("/welfare/reports/new/", {"member": other.pk, "occasion": occasion("hospital").pk,
                                                     "date": "2026-03-01", "note": ""})
    assert response.status_code == 200 and not CareReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/welfare/reports/new/", once({"member": own.pk, "occasion": occasion("hospital").pk,
                                                              "date": "2026-03-01", "note": "省立医院 5 楼"}))
    assert response.status_code == 302
    report = CareReport.objects.get()
    assert report.reported_by == group_leader and report.status == "open"
    assert "郑红" in client.get("/welfare/reports/").content.decode()
    # The welfare officer was told, in the portal.
    assert welfare_officer.notifications.filter(title__contains="郑红").exists()
    # The welfare officer records the visit from the report, which closes it.
    officer = _client(login, welfare_officer)
    assert "郑红" in officer.get(f"/welfare/visits/new/?report={report.pk}").content.decode()
    officer.post(f"/welfare/visits/new/?report={report.pk}", once({
        "member": own.pk, "occasion": occasion("hospital").pk, "date": "2026-03-02", "form": "goods",
        "amount": "300.00"}))
    report.refresh_from_db()
    assert report.status == "closed" and report.visits.get().amount == D("300.00")


def test_members_and_outsiders_cannot_report(request, login, member_user, outsider):
    for user in (member_user, outsider):
        assert _client(login, user).get("/welfare/reports/new/").status_code == 404


def test_a_leader_sees_only_their_groups_open_reports(login, group_leader, welfare_officer, year_policy):
    own = MemberFactory(name="韩梅", union_group=group_leader.member.union_group)
    other = MemberFactory(name="曹操")
    care_report_create(member=own, occasion=occasion("wedding"), date=timezone.localdate(), actor=welfare_officer)
    care_report_create(member=other, occasion=occasion("wedding"), date=timezone.localdate(), actor=welfare_officer)
    page = _client(login, group_leader).get("/welfare/reports/").content.decode()
    assert "韩梅" in page and "曹操" not in page


def test_the_member_sees_their_own_care_on_their_page(login, member_user, welfare_officer, year_policy):
    visit_record(member=member_user.member, occasion=occasion("birthday"), date=timezone.localdate(),
                 form=GiftForm.VOUCHER, amount=D("250.00"), actor=welfare_officer)
    client = _client(login, member_user)
    page = client.get("/members/me/").content.decode()
    assert 'id="my-care"' in page and "生日" in page and "250.00" in page
    page = client.get("/welfare/mine/").content.decode()
    assert "250.00" in page and "300.00" in page  # used against the cap


def test_the_history_page_shows_used_against_the_caps(login, chair, welfare_officer, year_policy):
    member = MemberFactory(name="许诺")
    today = timezone.localdate()
    visit_record(member=member, occasion=occasion("mid_autumn"), date=today, form=GiftForm.GOODS, amount=D("300"),
                 actor=welfare_officer, year=today.year)
    page = _client(login, chair).get(f"/welfare/members/{member.pk}/").content.decode()
    assert "中秋" in page and "300.00" in page and "1,500.00" in page


def test_the_retired_member_option_is_refused_with_the_rule(login, welfare_officer, year_policy):
    retired = MemberFactory(status=MemberStatus.RETIRED, name="老周")
    response = _client(login, welfare_officer).post("/welfare/visits/new/", once({
        "member": retired.pk, "occasion": occasion("birthday").pk, "date": timezone.localdate().isoformat(),
        "form": "goods", "amount": "100.00"}))
    assert "生日 is not given to retired members" in response.content.decode()


@pytest.mark.no_budget
def test_the_visit_page_says_when_the_chair_declined_posting_its_spending(login, welfare_officer, treasurer, chair,
                                                                         year_policy):
    from finance.budgets.services import over_budget_decline
    from finance.spending import spending_hold

    visit = visit_record(member=MemberFactory(), occasion=occasion("hospital"), date=timezone.localdate(),
                         form=GiftForm.CASH, amount=D("500"), actor=welfare_officer)
    client = _client(login, welfare_officer)
    assert 'id="spending-declined"' not in client.get(f"/welfare/visits/{visit.pk}/").content.decode()
    [held] = spending_hold(spendings=[spending_for(visit)], date=timezone.localdate(), reason="无预算", actor=treasurer)
    over_budget_decline(approval=held, reason="请按标准重新核定", actor=chair)
    page = client.get(f"/welfare/visits/{visit.pk}/").content.decode()
    assert 'id="spending-declined"' in page and "请按标准重新核定" in page and "declined it on" in page
    spending_hold(spendings=[spending_for(visit)], date=timezone.localdate(), reason="已核定", actor=treasurer)
    assert 'id="spending-declined"' not in client.get(f"/welfare/visits/{visit.pk}/").content.decode()
