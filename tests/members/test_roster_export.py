"""Roster export (issue §5, §4): the filtered changelist to .xlsx with the import headers; ID and mobile numbers
masked unless the user may export them and asks to; every full export in the audit log."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.masking import mask_id_number, mask_phone
from members import roster
from members.resources import HEADERS
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/members/member/roster/export/"
ID_COLUMN = HEADERS.index("身份证号")
PHONE_COLUMN = HEADERS.index("手机号")
NAME_COLUMN = HEADERS.index("姓名")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def office():
    return DepartmentFactory(name="办公室")


@pytest.fixture
def finance():
    return DepartmentFactory(name="财务处")


def download(client, query="", **data):
    """Open the export page for the list as filtered by ``query`` and submit it."""
    page = client.get(EXPORT_URL + (f"?{query}" if query else ""))
    assert page.status_code == 200
    response = client.post(EXPORT_URL, {"filters": page.context["form"]["filters"].value(), **data})
    assert response.status_code == 200, response.content[:500]
    return response


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADERS
    return rows[1:]


def by_name(rows):
    return {row[NAME_COLUMN]: row for row in rows}


def full_exports():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__access="members.roster_export_full")


def test_it_masks_id_and_mobile_numbers_by_default(client, login, chair, office):
    member = MemberFactory(name="王芳", department=office, phone="13812345678")
    login(chair)
    row = by_name(sheet_rows(download(client)))["王芳"]
    assert row[ID_COLUMN] == mask_id_number(member.id_number) and row[PHONE_COLUMN] == "138****5678"
    assert not full_exports().exists()


def test_it_exports_full_numbers_only_when_asked_and_logs_it(client, login, chair, office):
    member = MemberFactory(name="王芳", department=office, phone="13812345678")
    login(chair)
    page = client.get(EXPORT_URL)
    assert 'name="full"' in page.content.decode()
    response = download(client, f"department__id__exact={office.pk}", full="on")
    row = by_name(sheet_rows(response))["王芳"]
    assert (row[ID_COLUMN], row[PHONE_COLUMN]) == (member.id_number, "13812345678")
    entry = full_exports().get()
    assert entry.actor == chair
    assert entry.additional_data["rows"] == 1
    assert entry.additional_data["filters"] == {"department__id__exact": str(office.pk)}
    assert entry.additional_data["member_ids"] == [member.pk]


def test_it_keeps_numbers_masked_for_someone_who_may_see_but_not_export_them(client, login, welfare_officer, office):
    member = MemberFactory(name="王芳", department=office)
    login(welfare_officer)  # has view_sensitive_member, not export_sensitive_member
    page = client.get(EXPORT_URL)
    assert 'name="full"' not in page.content.decode()
    row = by_name(sheet_rows(download(client, full="on")))["王芳"]
    assert row[ID_COLUMN] == mask_id_number(member.id_number)
    assert row[PHONE_COLUMN] == mask_phone(member.phone)
    assert not full_exports().exists()


def test_it_lets_read_only_roles_export_the_masked_roll(client, login, treasurer, office):
    MemberFactory(name="王芳", department=office)
    login(treasurer)
    rows = by_name(sheet_rows(download(client)))
    assert "*" in rows["王芳"][ID_COLUMN]


def test_it_refuses_the_export_to_plain_members(client, login, member_user):
    login(member_user)
    assert client.get(EXPORT_URL).status_code == 403
    assert client.post(EXPORT_URL, {"filters": "", "full": "on"}).status_code == 403


def test_it_exports_the_list_as_filtered_and_searched(client, login, chair, office, finance):
    MemberFactory(name="王芳", department=office)
    MemberFactory(name="王强", department=finance)
    MemberFactory(name="李娜", department=office)
    login(chair)
    assert set(by_name(sheet_rows(download(client, f"department__id__exact={office.pk}")))) >= {"王芳", "李娜"}
    assert "王强" not in by_name(sheet_rows(download(client, f"department__id__exact={office.pk}")))
    assert set(by_name(sheet_rows(download(client, f"department__id__exact={office.pk}&q=王")))) == {"王芳"}


def test_it_links_the_export_from_the_changelist_with_its_filters(client, login, chair, office):
    login(chair)
    page = client.get(f"/admin/members/member/?department__id__exact={office.pk}").content.decode()
    assert f"{EXPORT_URL}?department__id__exact={office.pk}" in page
    assert "/admin/members/member/roster/import/" in page


def test_it_writes_the_roster_words_and_dates_that_import_again(client, login, chair, office):
    group = UnionGroupFactory(name="办公室小组", department=office)
    MemberFactory(name="王芳", department=office, union_group=group, political_status="cpc", education="master",
                  ethnicity="回族", male=False, birth=datetime.date(1990, 5, 6))
    login(chair)
    response = download(client, full="on")
    row = dict(zip(HEADERS, by_name(sheet_rows(response))["王芳"]))
    assert (row["性别"], row["政治面貌"], row["学历"], row["部门"], row["工会小组"]) == ("女", "中共党员", "硕士研究生", "办公室",
                                                                                 "办公室小组")
    assert row["出生日期"].date() == datetime.date(1990, 5, 6)
    # A full export is a valid import file that changes nothing.
    report = roster.roster_preview(table=roster.read_roster_file(io.BytesIO(response.content), "export.xlsx"))
    assert report.totals["error"] == 0 and report.totals["new"] == report.totals["update"] == 0


def test_it_formats_id_and_mobile_columns_as_text(client, login, chair, office):
    MemberFactory(name="王芳", department=office)
    login(chair)
    sheet = load_workbook(io.BytesIO(download(client, full="on").content)).worksheets[0]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[NAME_COLUMN].value == "王芳")
    assert (row[ID_COLUMN].number_format, row[PHONE_COLUMN].number_format) == ("@", "@")


def test_it_writes_text_that_looks_like_a_formula_as_text(client, login, chair, office):
    MemberFactory(name="王芳", department=office, position='=HYPERLINK("http://example.com","点我")')
    login(chair)
    sheet = load_workbook(io.BytesIO(download(client).content)).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[headers.index("姓名")].value == "王芳")
    cell = row[headers.index("职务/职称")]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def _export_queries(client, count, office, group):
    for _ in range(count):
        MemberFactory(department=office, union_group=group)
    page = client.get(EXPORT_URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(EXPORT_URL, {"filters": page.context["form"]["filters"].value(), "full": "on"})
    assert response.status_code == 200
    return len(queries)


def test_it_exports_with_a_constant_number_of_queries(client, login, chair, office):
    group = UnionGroupFactory(department=office)
    login(chair)
    _export_queries(client, 1, office, group)  # warm per-process caches (content types) that other tests may clear
    ten = _export_queries(client, 10, office, group)
    hundred = _export_queries(client, 90, office, group)
    assert ten == hundred
