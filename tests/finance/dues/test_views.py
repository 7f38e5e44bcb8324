"""The dues pages per role: the treasurer imports and posts, the chair and the auditor read (every write is a 403),
a member sees only their own history (someone else's is a 404), group leaders see no dues."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.models import Job
from finance.dues import services
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.dues.payroll import read_payroll_file
from finance.models import DuesImport, DuesRecord, Voucher
from tests.factories import MemberFactory
from tests.once import once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

YEAR, MONTH = 2026, 9


@pytest.fixture
def payers(db):
    return [MemberFactory(dues_base=Decimal("5678.90")), MemberFactory(dues_base=Decimal("4000.00"))]


def upload(rows):
    return SimpleUploadedFile("九月代扣.xlsx", deduction_list_xlsx(rows))


def import_form(rows):
    return {"year": YEAR, "month": MONTH, "received_on": "2026-10-12", "file": upload(rows)}


def test_the_treasurer_uploads_checks_and_posts_a_list(payers, treasurer, login):
    client = login(treasurer, use_client=Client())
    assert client.get("/finance/dues/import/").status_code == 200
    rows = deduction_rows(year=YEAR, month=MONTH)
    rows[0]["代扣金额"] = Decimal("28.36")
    response = client.post("/finance/dues/import/", import_form(rows))
    assert response.status_code == 302
    job = Job.objects.get(kind="dues_import")
    page = client.get(response["Location"]).content.decode()
    assert "Check only: nothing has been posted yet." in page
    assert 'data-kind="wrong_amount"' in page and "Post the month" in page
    response = client.post(f"/finance/dues/import/{job.pk}/confirm/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Posted:" in page
    assert DuesImport.objects.get().total_paid == Decimal("48.36")
    overview = client.get("/finance/dues/").content.decode()
    assert "48.36" in overview and "2026-0001" in overview


def test_an_unreadable_file_is_explained_on_the_form(treasurer, login):
    client = login(treasurer, use_client=Client())
    response = client.post("/finance/dues/import/", {**import_form([]), "file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert response.status_code == 200
    assert "Excel workbook" in response.content.decode()
    assert not Job.objects.exists()


@pytest.fixture
def posted(payers, treasurer):
    rows = deduction_rows(year=YEAR, month=MONTH)
    return services.dues_import_post(rows=read_payroll_file(deduction_list_xlsx(rows), "l.xlsx"), year=YEAR,
                                     month=MONTH, received_on=datetime.date(2026, 10, 12), actor=treasurer)


@pytest.mark.parametrize("persona", ["chair", "auditor", "treasurer"])
def test_finance_roles_read_every_dues_page(persona, posted, payers, request, login):
    user = request.getfixturevalue(persona)
    client = login(user, use_client=Client())
    preview = Job.objects.create(kind="dues_import", params={"phase": "preview", "year": YEAR, "month": MONTH})
    for url in ("/finance/dues/", "/finance/dues/arrears/", f"/finance/dues/member/{payers[0].pk}/",
                f"/finance/dues/import/{preview.pk}/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["chair", "auditor"])
def test_every_write_is_refused_to_the_readers(persona, posted, payers, request, login):
    user = request.getfixturevalue(persona)
    client = login(user, use_client=Client())
    job = Job.objects.create(kind="dues_import", status=Job.Status.DONE,
                             params={"phase": "preview", "year": YEAR, "month": 10}, result={"has_errors": False})
    writes = [("get", "/finance/dues/import/", None), ("post", "/finance/dues/import/", import_form([])),
              ("post", f"/finance/dues/import/{job.pk}/confirm/", {}),
              ("get", f"/finance/dues/member/{payers[0].pk}/pay/", None),
              ("post", f"/finance/dues/member/{payers[0].pk}/pay/", {"year": YEAR, "month": MONTH, "amount": "1.00",
                                                                    "received_on": "2026-10-12", "account": "101"})]
    for method, url, data in writes:
        assert getattr(client, method)(url, data or {}).status_code == 403, url
    assert Voucher.objects.count() == 1 and DuesImport.objects.count() == 1


@pytest.mark.parametrize("persona", ["member_user", "group_leader", "welfare_officer", "outsider"])
def test_other_roles_see_no_dues_pages(persona, posted, payers, request, login):
    user = request.getfixturevalue(persona)
    client = login(user, use_client=Client())
    for url in ("/finance/dues/", "/finance/dues/arrears/", "/finance/dues/import/"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/finance/dues/member/{payers[0].pk}/").status_code == 404


def test_a_group_leader_cannot_see_the_dues_of_their_group(posted, payers, group_leader, login):
    payers[0].union_group = group_leader.member.led_groups.get()
    payers[0].save()
    client = login(group_leader, use_client=Client())
    assert client.get(f"/finance/dues/member/{payers[0].pk}/").status_code == 404


def test_a_member_sees_their_own_history_and_nobody_elses(posted, payers, member_user, login):
    member = member_user.member
    DuesRecord.objects.create(member=member, year=YEAR, month=8, dues_base=Decimal("4000"),
                              expected=Decimal("20.00"))  # unpaid
    client = login(member_user, use_client=Client())
    home = client.get("/").content.decode()
    assert "/finance/dues/me/" in home and "coming soon" not in home
    assert "/finance/dues/me/" in client.get("/members/me/").content.decode()
    page = client.get("/finance/dues/me/").content.decode()
    assert "2026-08" in page and "unpaid" in page and "My dues" in page
    assert payers[0].name not in page
    assert client.get(f"/finance/dues/member/{member.pk}/").status_code == 404  # staff page: not for members


def test_someone_without_a_member_record_has_no_dues_page(outsider, login):
    client = login(outsider, use_client=Client())
    assert client.get("/finance/dues/me/").status_code == 404


def test_the_treasurer_records_a_payment_in_person(posted, payers, treasurer, login):
    client = login(treasurer, use_client=Client())
    response = client.post(f"/finance/dues/member/{payers[0].pk}/pay/", once({
        "year": YEAR, "month": 8, "amount": "28.35", "received_on": "2026-10-13", "account": "102"}))
    assert response.status_code == 302
    record = DuesRecord.objects.get(member=payers[0], month=8)
    assert record.paid == Decimal("28.35") and record.expected == Decimal("28.35") and record.source == "manual"
    page = client.get(f"/finance/dues/member/{payers[0].pk}/").content.decode()
    assert "2026-08" in page and "2026-09" in page


def test_the_members_dues_chart_draws_the_tables_months(posted, member_user, login):
    member = member_user.member
    DuesRecord.objects.create(member=member, year=YEAR, month=8, dues_base=Decimal("4000"), expected=Decimal("20.00"))
    DuesRecord.objects.create(member=member, year=YEAR - 1, month=12, dues_base=Decimal("4000"),
                              expected=Decimal("20.00"))  # last year: not in this year's chart
    client = login(member_user, use_client=Client())
    response = client.get("/finance/dues/me/")
    chart = response.context["chart"]
    table = {f"{r.year}-{r.month:02d}": [r.expected, r.paid] for r in response.context["records"] if r.year == YEAR}
    assert chart.figures() == table and "2026-08" in table and "2025-12" not in chart.figures()
    assert list(chart.figures()) == sorted(table)  # oldest month first
    assert {row.label: row.alert for row in chart.rows}["2026-08"]  # paid short: red
    page = response.content.decode()
    assert 'id="dues-chart"' in page and "<svg" in page[page.index('id="dues-chart"'):]
