"""Admin pages that list rows cost the same queries whatever the number of rows (issue 10 §2, the walk's query
ceiling): a distribution's recipients, a policy's occasion rules, and the spending list the gifts feed."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import MemberFactory
from welfare.care.services import distribution_record
from welfare.models import Distribution, GiftForm, Occasion, OccasionKind, OccasionRule

from .factories import D, day, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _queries(client, url):
    client.get(url)  # warm caches (content types, the site's permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _gifts(welfare_officer, count, on):
    members = MemberFactory.create_batch(count)
    return distribution_record(occasion=occasion("mid_autumn"), year=on.year, date=on,
                               lines=[(m, D("300"), GiftForm.GOODS) for m in members], actor=welfare_officer)


@pytest.fixture
def treasurer_client(login, treasurer):
    return login(treasurer, use_client=Client())


def test_a_distribution_page_costs_the_same_for_4_and_12_recipients(treasurer_client, welfare_officer, policy):
    few = _gifts(welfare_officer, 4, day(9, 20))
    many = _gifts(welfare_officer, 12, day(9, 21))
    assert Distribution.objects.count() == 2
    url = "/admin/welfare/distribution/{}/change/"
    assert _queries(treasurer_client, url.format(many.pk)) == _queries(treasurer_client, url.format(few.pk))


def test_the_spending_list_costs_the_same_for_4_and_12_gifts(treasurer_client, welfare_officer, policy):
    _gifts(welfare_officer, 4, day(9, 20))
    few = _queries(treasurer_client, "/admin/finance/spending/")
    _gifts(welfare_officer, 8, day(9, 21))
    assert _queries(treasurer_client, "/admin/finance/spending/") == few


def _more_rules(policy, count):
    for index in range(count):
        extra = Occasion.objects.create(code=f"extra-{policy.pk}-{index}", name=f"其他慰问 {index}",
                                        kind=OccasionKind.EVENT, sort_order=100 + index)
        OccasionRule.objects.create(policy=policy, occasion=extra, account=policy.rules.first().account,
                                    cap_per_event=D("100.00"))


def test_a_policy_page_costs_the_same_for_n_and_3n_rules(login, chair, policy):
    client = login(chair, use_client=Client())
    url = f"/admin/welfare/benefitpolicy/{policy.pk}/change/"
    few = _queries(client, url)
    _more_rules(policy, 2 * policy.rules.count())
    assert policy.rules.count() == 24
    assert _queries(client, url) == few
