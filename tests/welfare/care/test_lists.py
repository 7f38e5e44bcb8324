"""The care lists people work with (issue 12 §1): the care home's visits with search, occasion and month filters
and paging; the console's visit list exported as .xlsx with the rows it shows, refused to whoever may not see it."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import MemberFactory
from welfare.care.services import visit_record
from welfare.models import BenefitPolicy, GiftForm

from .factories import D, make_policy, occasion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def year_policy(db):
    year = timezone.localdate().year
    BenefitPolicy.objects.filter(year=year).update(in_use=False)
    return make_policy(year, region="本年测试")


def _visit(actor, name, code="hospital", month=1, amount="500"):
    date = timezone.localdate().replace(month=month, day=1)
    return visit_record(member=MemberFactory(name=name), occasion=occasion(code), date=date, form=GiftForm.CASH if code != "wedding" else GiftForm.GOODS,
                        amount=D(amount), actor=actor)


def _visits_table(page):
    return page.split('id="visits"', 1)[1]


def test_the_care_home_searches_and_filters_visits(welfare_officer, login, year_policy):
    _visit(welfare_officer, "林晓燕", "hospital", month=1)
    _visit(welfare_officer, "周建国", "wedding", month=2, amount="600")
    _visit(welfare_officer, "林国强", "hospital", month=2, amount="800")
    client = login(welfare_officer, use_client=Client())
    table = _visits_table(client.get("/welfare/?q=林").content.decode())
    assert "林晓燕" in table and "林国强" in table and "周建国" not in table
    table = _visits_table(client.get(f"/welfare/?occasion={occasion('wedding').pk}").content.decode())
    assert "周建国" in table and "林" not in table
    table = _visits_table(client.get("/welfare/?month=2").content.decode())
    assert "周建国" in table and "林国强" in table and "林晓燕" not in table
    table = _visits_table(client.get("/welfare/?month=2&occasion=" + str(occasion("hospital").pk)).content.decode())
    assert "林国强" in table and "周建国" not in table
    assert client.get("/welfare/?month=13&occasion=x").status_code == 200  # filters not understood are ignored


def test_the_care_home_pages_its_visits(welfare_officer, login, year_policy, settings):
    for number in range(23):
        _visit(welfare_officer, f"会员{number:02d}", "hospital", month=1 + number % 12, amount="100")
    client = login(welfare_officer, use_client=Client())
    first = _visits_table(client.get("/welfare/").content.decode())
    assert first.count('href="/welfare/visits/') == 20 and "page=2" in first.replace("&amp;", "&") and "1/2" in first
    second = _visits_table(client.get("/welfare/?page=2").content.decode())
    assert second.count('href="/welfare/visits/') == 3
    searched = _visits_table(client.get("/welfare/?q=会员0&page=1").content.decode())
    assert searched.count('href="/welfare/visits/') == 10 and "page=2" not in searched


def test_the_visit_changelist_exports_what_it_lists(welfare_officer, treasurer, group_leader, login, year_policy):
    _visit(welfare_officer, "林晓燕", "hospital", amount="1000")
    _visit(welfare_officer, "周建国", "wedding", amount="600")
    client = login(welfare_officer, use_client=Client())
    changelist = client.get("/admin/welfare/visit/?q=林").content.decode()
    assert "/admin/welfare/visit/export/?q=" in changelist
    response = client.get("/admin/welfare/visit/export/?q=林")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)]
    assert len(rows) == 2 and rows[1][1] == "林晓燕" and float(rows[1][5]) == 1000.0
    assert len(_export_rows(login(treasurer, use_client=Client()), "")) == 3  # who may view the list may export it
    assert login(group_leader, use_client=Client()).get("/admin/welfare/visit/export/").status_code in (302, 403)


def _export_rows(client, query):
    response = client.get(f"/admin/welfare/visit/export/{query}")
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
