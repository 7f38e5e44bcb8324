"""The import page as the treasurer uses it: a template to download, a refusal said once beside the file, the
month and date kept, and a plain word that the file must be chosen again."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from core.models import Job
from members.models import Member
from tests.factories import DepartmentFactory, MemberFactory
from tests.once import once

from .helpers import office_workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CHOOSE_AGAIN = "Choose the file again"


def post(client, data, *, filename="九月代扣.xlsx", **fields):
    form = {"year": 2026, "month": 9, "received_on": "2026-10-12", **fields}
    if data is not None:
        form["file"] = SimpleUploadedFile(filename, data)
    return client.post("/finance/dues/import/", form)


def test_the_import_page_offers_the_template_and_it_downloads(treasurer, login):
    client = login(treasurer, use_client=Client())
    page = client.get("/finance/dues/import/").content.decode()
    assert 'href="/finance/dues/import/template.xlsx"' in page
    response = client.get("/finance/dues/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [cell.value for cell in load_workbook(io.BytesIO(response.content))["代扣会费"][1]][-1] == "工会会费"


def test_the_template_is_for_those_who_import(member_user, login):
    client = login(member_user, use_client=Client())
    assert client.get("/finance/dues/import/template.xlsx").status_code in (403, 404)


def test_a_list_with_a_union_dues_column_goes_to_the_check(treasurer, login):
    member = MemberFactory(dues_base=Decimal("5678.90"))
    client = login(treasurer, use_client=Client())
    response = post(client, office_workbook([(member.name, member.id_number, Decimal("28.35"))]))
    assert response.status_code == 302
    job = Job.objects.get(kind="dues_import")
    assert job.result["has_errors"] is False and job.result["payers"] == 1


def test_a_refused_file_is_explained_once_and_the_form_stays_filled(treasurer, login):
    client = login(treasurer, use_client=Client())
    response = post(client, "姓名,备注\n张三,x\n".encode(), filename="list.csv", month=8, received_on="2026-10-05")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("No header row found") == 1
    assert re.search(r'<option value="8" selected>', page)
    assert 'value="2026-10-05"' in page and 'value="2026"' in page
    assert page.count(CHOOSE_AGAIN) == 1
    assert page.index(CHOOSE_AGAIN) > page.index('type="file"')
    assert not Job.objects.exists()


def test_a_refused_date_is_said_beside_the_date_not_as_a_file_problem(treasurer, login):
    client = login(treasurer, use_client=Client())
    member = MemberFactory()
    response = post(client, office_workbook([(member.name, member.id_number, Decimal("20"))]),
                    received_on="2099-01-01")
    page = response.content.decode()
    assert page.count("cannot be in the future") == 1
    assert page.index("cannot be in the future") < page.index('type="file"')
    assert CHOOSE_AGAIN in page


def test_an_empty_submission_asks_for_the_file_without_the_choose_again_note(treasurer, login):
    client = login(treasurer, use_client=Client())
    page = post(client, None).content.decode()
    assert "This field is required" in page and CHOOSE_AGAIN not in page


def test_a_refused_payment_in_person_is_said_once(treasurer, login):
    member = MemberFactory()
    client = login(treasurer, use_client=Client())
    response = client.post(f"/finance/dues/member/{member.pk}/pay/", once({
        "year": 2026, "month": 9, "received_on": "2099-01-01", "amount": "20.00", "account": "101"}))
    assert response.status_code == 200
    assert response.content.decode().count("Dues cannot be recorded for the future.") == 1


def test_the_row_in_error_is_linked_from_the_top_and_marked_among_172(treasurer, login):
    # Saved in one statement: 172 audited saves one by one take half a minute on SQLite.
    department = DepartmentFactory()
    Member.objects.bulk_create(MemberFactory.build_batch(172, dues_base=Decimal("5678.90"), department=department))
    members = list(Member.objects.filter(dues_base=Decimal("5678.90")).order_by("pk"))
    rows = [(m.name, m.id_number, Decimal("28.35")) for m in members]
    rows[56] = ("查无此人", "110101199001011237", Decimal("28.35"))
    client = login(treasurer, use_client=Client())
    post(client, office_workbook(rows))
    job = Job.objects.get(kind="dues_import")
    [unknown] = [issue for issue in job.result["issues"] if issue["kind"] == "unknown"]
    page = client.get(f"/finance/dues/import/{job.pk}/").content.decode()
    number = unknown["row"]
    summary = page[page.index('id="dues-error-summary"'):page.index('id="dues-import-totals"')]
    assert f'<a href="#dues-row-{number}">Row {number}: Nobody with this ID or card number is on the roll.' in summary
    assert summary.count("<li>") == 1
    assert re.findall(r'<tr data-kind="\w+" id="dues-row-(\d+)" class="row-error">', page) == [str(number)]
