"""A care form sent twice (a double click, a reload, a second tab) records once: the same form token a second time
writes nothing and goes to what the first submit recorded, saying so in the user's language (core.idempotency)."""

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Notification
from finance.models import Spending
from tests.factories import MemberFactory
from tests.once import once
from welfare.models import BenefitPolicy, CareReport, Distribution, GiftForm, Visit

from .factories import D, make_policy, occasion

pytestmark = pytest.mark.django_db

ALREADY_ZH = "已提交过，未重复记录"


@pytest.fixture
def year_policy(db):
    year = timezone.localdate().year
    BenefitPolicy.objects.filter(year=year).update(in_use=False)
    return make_policy(year, region="本年测试")


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_a_hospital_visit_with_cash_sent_twice_is_recorded_once(login, welfare_officer, year_policy):
    client = login(welfare_officer, use_client=Client())
    member = MemberFactory(name="刘洋")
    data = once({"member": member.pk, "occasion": occasion("hospital").pk, "date": timezone.localdate().isoformat(),
                 "form": GiftForm.CASH, "amount": "800.00", "visitors": "王主席", "signed_by": "家属"})
    first = client.post("/welfare/visits/new/", data)
    visit = Visit.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/welfare/visits/{visit.pk}/"
    second = client.post("/welfare/visits/new/", data, follow=True)
    assert Visit.objects.count() == 1 and Spending.objects.count() == 1
    assert Spending.objects.get().amount == D("800.00")
    assert second.redirect_chain == [(f"/welfare/visits/{visit.pk}/", 302)]
    assert any(ALREADY_ZH in message for message in _messages(second))  # the portal speaks Chinese first


def test_the_visit_form_rendered_carries_a_fresh_token_each_time(login, welfare_officer, year_policy):
    client = login(welfare_officer, use_client=Client())
    pages = [client.get("/welfare/visits/new/").content.decode() for _ in range(2)]
    tokens = [page.split('name="form_token" value="', 1)[1].split('"', 1)[0] for page in pages]
    assert tokens[0] != tokens[1] and all(len(token) > 32 for token in tokens)


def test_a_visit_without_a_token_is_refused_with_the_form_kept(login, welfare_officer, year_policy, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(welfare_officer, use_client=Client())
    member = MemberFactory(name="刘洋")
    data = {"member": member.pk, "occasion": occasion("hospital").pk, "date": timezone.localdate().isoformat(),
            "form": GiftForm.CASH, "amount": "800.00", "notes": "市一院 3 楼"}
    for token in (None, "forged:abc", "0" * 32):
        response = client.post("/welfare/visits/new/", data if token is None else {**data, "form_token": token})
        page = response.content.decode()
        assert response.status_code == 200 and "out of date or was not opened from the portal" in page
        assert "市一院 3 楼" in page and 'name="form_token"' in page
    assert not Visit.objects.exists() and not Spending.objects.exists()


def test_a_refused_visit_leaves_its_token_for_the_corrected_form(login, welfare_officer, year_policy, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(welfare_officer, use_client=Client())
    member = MemberFactory()
    data = once({"member": member.pk, "occasion": occasion("hospital").pk, "date": timezone.localdate().isoformat(),
                 "form": GiftForm.CASH, "amount": "1000.01"})
    assert "cap is 1,000.00 per event" in client.post("/welfare/visits/new/", data).content.decode()
    assert client.post("/welfare/visits/new/", {**data, "amount": "1000.00"}).status_code == 302
    assert Visit.objects.get().amount == D("1000.00")


def test_a_care_report_sent_twice_tells_the_officers_once(login, group_leader, welfare_officer, year_policy,
                                                          django_capture_on_commit_callbacks):
    own = MemberFactory(name="郑红", union_group=group_leader.member.union_group)
    client = login(group_leader, use_client=Client())
    data = once({"member": own.pk, "occasion": occasion("hospital").pk, "date": "2026-03-01", "note": "省立医院"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/welfare/reports/new/", data).status_code == 302
        second = client.post("/welfare/reports/new/", data, follow=True)
    assert CareReport.objects.count() == 1
    assert Notification.objects.filter(user=welfare_officer).count() == 1
    assert second.redirect_chain == [("/welfare/reports/", 302)]
    assert any(ALREADY_ZH in message for message in _messages(second))


def test_a_holiday_distribution_sent_twice_is_recorded_once(login, chair, year_policy):
    people = [MemberFactory(name=name) for name in ("甲", "乙")]
    client = login(chair, use_client=Client())
    url = f"/welfare/distributions/new/?occasion={occasion('mid_autumn').pk}&year={year_policy.year}"
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2",
            "date": occasion("mid_autumn").date_in(year_policy.year).isoformat(), "step": "record"}
    for index, member in enumerate(people):
        data.update({f"form-{index}-member": member.pk, f"form-{index}-amount": "300.00",
                     f"form-{index}-form": "goods", f"form-{index}-include": "on"})
    data = once(data)
    first = client.post(url, data)
    distribution = Distribution.objects.get()
    assert first.status_code == 302
    second = client.post(url, data, follow=True)
    assert Distribution.objects.count() == 1 and Visit.objects.count() == 2 and Spending.objects.count() == 2
    assert second.redirect_chain == [(f"/welfare/distributions/{distribution.pk}/", 302)]
    assert any(ALREADY_ZH in message for message in _messages(second))
