"""The committee's console for dues: records and posted lists are read-only for everyone; the treasurer keeps the
rule (rate, step, threshold) until a posted month used it; the auditor only reads."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.dues import services
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.dues.payroll import read_payroll_file
from finance.models import DuesRecord, DuesRule
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(treasurer):
    MemberFactory(dues_base=Decimal("5678.90"))
    rows = deduction_rows(year=2026, month=9)
    return services.dues_import_post(rows=read_payroll_file(deduction_list_xlsx(rows), "l.xlsx"), year=2026,
                                     month=9, received_on=datetime.date(2026, 10, 12), actor=treasurer)


@pytest.mark.parametrize("persona", ["treasurer", "auditor", "chair"])
def test_posted_dues_are_read_only_in_the_admin(persona, posted, request, login):
    client = login(request.getfixturevalue(persona), use_client=Client())
    record = DuesRecord.objects.get()
    assert client.get("/admin/finance/duesrecord/").status_code == 200
    assert client.get("/admin/finance/duesimport/").status_code == 200
    page = client.get(f"/admin/finance/duesrecord/{record.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/finance/duesrecord/{record.pk}/change/", {"paid": "0"}).status_code == 403
    assert client.get("/admin/finance/duesrecord/add/").status_code == 403
    assert client.get(f"/admin/finance/duesimport/{posted.pk}/delete/").status_code == 403


def test_the_treasurer_adds_a_rule_but_cannot_change_one_a_posted_month_used(posted, treasurer, login):
    client = login(treasurer, use_client=Client())
    seeded = DuesRule.objects.get()
    assert 'name="_save"' not in client.get(f"/admin/finance/duesrule/{seeded.pk}/change/").content.decode()
    response = client.post("/admin/finance/duesrule/add/", {
        "effective_from": "2027-01-01", "rate": "0.00500", "base_unit": "10.00", "arrears_months": "6", "note": "x"})
    assert response.status_code == 302
    assert DuesRule.objects.count() == 2


def test_the_auditor_cannot_add_a_rule(auditor, login):
    client = login(auditor, use_client=Client())
    assert client.get("/admin/finance/duesrule/").status_code == 200
    assert client.get("/admin/finance/duesrule/add/").status_code == 403
