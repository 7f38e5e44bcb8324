"""Roster import (issue §5): messy files normalised, bad rows refused with a per-row message, preview before
anything is written, all-or-nothing, idempotent, audited, and large files in the background."""

import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from benchmarks.members import benchmark_import, generate_roster_rows, roster_rows_to_xlsx
from core.masking import mask_id_number, mask_phone
from core.models import Job
from members import roster, services
from members.idcard import make_id_number
from members.models import Member, MembershipEvent, MemberStatus
from members.resources import HEADERS
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/members/member/roster/import/"
TEMPLATE_URL = "/admin/members/member/roster/template.xlsx"
NAMES = [
    "赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七", "王八", "冯九", "陈十",
    "褚一", "卫二", "蒋三", "沈四", "韩五", "杨六", "朱七", "秦八", "尤九", "许十",
]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def job_url(job):
    return f"/admin/members/member/roster/import/{job.pk}/"


def confirm_url(job):
    return f"/admin/members/member/roster/import/{job.pk}/confirm/"


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def roll(db):
    office = DepartmentFactory(name="办公室")
    finance = DepartmentFactory(name="财务处")
    group = UnionGroupFactory(name="办公室小组", department=office)
    return {"office": office, "finance": finance, "group": group}


def id_number(i, *, male=True, birth=None):
    birth = birth or datetime.date(1985, 3, 12) + datetime.timedelta(days=i)
    return make_id_number("110108", birth, (i % 400) * 2 + (1 if male else 0))


def person(i=0, **changes):
    """A valid roster row; keyword arguments replace columns by their field names."""
    birth = datetime.date(1985, 3, 12) + datetime.timedelta(days=i)
    row = {
        "会员证号": f"C{i:04d}", "姓名": NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)), "性别": "男",
        "民族": "汉族", "出生日期": birth.isoformat(), "身份证号": id_number(i), "政治面貌": "中共党员", "学历": "大学本科",
        "部门": "办公室", "职务/职称": "科员", "手机号": f"1380000{i:04d}", "邮箱": f"p{i}@example.org",
        "入会日期": "2010-07-01", "工会小组": "办公室小组",
    }
    fields = dict(zip(["card_number", "name", "sex", "ethnicity", "birth_date", "id_number", "political_status",
                       "education", "department", "position", "phone", "email", "joined_on", "union_group"], HEADERS))
    if "id_number" in changes:  # another person's number: let birth date and sex come from it
        row["出生日期"] = row["性别"] = ""
    for name, value in changes.items():
        row[fields[name]] = value
    return row


def csv_bytes(rows, *, encoding="utf-8-sig", headers=HEADERS):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, headers=HEADERS, title=None):
    """An .xlsx the way an office makes it: cells hold whatever Python type is given (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) if row.get(header) != "" else None for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(rows, **kwargs):
    return roster.read_roster_file(io.BytesIO(csv_bytes(rows, **kwargs)), "roll.csv")


def preview(rows):
    return roster.roster_preview(table=table(rows))


def row_errors(report, row_number):
    """The messages of one spreadsheet row as {column: [text, …]}."""
    found = {}
    for row in report.errors:
        if row["row"] == row_number:
            for message in row["messages"]:
                found.setdefault(message["column"], []).append(message["text"])
    return found


def upload(client, content, name):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def latest_job():
    return Job.objects.filter(kind=roster.JOB_KIND).latest("pk")


# --- what people type is normalised --------------------------------------------------------------------------

def test_it_imports_full_width_digits_and_letters(roll, chair):
    number = next(id_number(i) for i in range(200) if id_number(i).endswith("X"))
    report = roster.roster_apply(table=table([person(
        id_number=number.translate(FULL_WIDTH), phone="１３８１２３４５６７８", card_number="ＧＨ００１")]), actor=chair)
    assert report.written, report.errors
    member = Member.objects.get(id_number=number)
    assert (member.phone, member.card_number) == ("13812345678", "GH001")


def test_it_removes_stray_spaces(roll, chair):
    report = roster.roster_apply(table=table([person(name=" 张  三 ", phone="138 0000 0001 ", department=" 办公室 ",
                                                     political_status="中共 党员")]), actor=chair)
    assert report.written, report.errors
    member = Member.objects.get(name="张三")
    assert (member.phone, member.department, member.political_status) == ("13800000001", roll["office"], "cpc")


@pytest.mark.parametrize("typed, stored, male", [("男", "M", True), ("女", "F", False), ("", "F", False)])
def test_it_reads_sex_as_written_or_from_the_id_number(roll, chair, typed, stored, male):
    row = person(sex=typed, id_number=id_number(3, male=male))
    assert roster.roster_apply(table=table([row]), actor=chair).written
    assert Member.objects.get(id_number=id_number(3, male=male)).sex == stored


@pytest.mark.parametrize("birth, joined, expected", [
    ("1985-03-12", "2010-03-12", datetime.date(2010, 3, 12)),
    ("1985/3/12", "2010/3/2", datetime.date(2010, 3, 2)),
    ("1985.03.12", "2010.03.12", datetime.date(2010, 3, 12)),
    ("1985年3月12日", "2010年7月1日", datetime.date(2010, 7, 1)),
    ("31118", "40360", datetime.date(2010, 7, 1)),  # Excel serial numbers, as a CSV saved from Excel has them
])
def test_it_reads_each_date_form_in_csv(roll, chair, birth, joined, expected):
    report = roster.roster_apply(table=table([person(birth_date=birth, joined_on=joined)]), actor=chair)
    assert report.written, report.errors
    member = Member.objects.get(id_number=id_number(0))
    assert (member.birth_date, member.joined_on) == (datetime.date(1985, 3, 12), expected)


@pytest.mark.parametrize("cell", [31118, 31118.0, datetime.datetime(1985, 3, 12)])
def test_it_reads_excel_date_cells_and_serial_numbers(roll, chair, cell):
    content = xlsx_bytes([person(birth_date=cell)])
    report = roster.roster_apply(table=roster.read_roster_file(io.BytesIO(content), "roll.xlsx"), actor=chair)
    assert report.written, report.errors
    assert Member.objects.get(id_number=id_number(0)).birth_date == datetime.date(1985, 3, 12)


def test_it_accepts_an_id_number_with_a_lower_case_x(roll, chair):
    number = next(id_number(i) for i in range(200) if id_number(i).endswith("X"))
    assert roster.roster_apply(table=table([person(id_number=number.lower())]), actor=chair).written
    assert Member.objects.filter(id_number=number).exists()


def test_it_reads_the_chinese_words_of_choices_and_short_ethnicities(roll, chair):
    report = roster.roster_apply(table=table([person(political_status="共青团员", education="硕士研究生", ethnicity="回")]),
                                 actor=chair)
    assert report.written, report.errors
    member = Member.objects.get(id_number=id_number(0))
    assert (member.political_status, member.education, member.ethnicity) == ("cyl", "master", "回族")


# --- what is refused, with a message for the row ---------------------------------------------------------------

def test_it_refuses_an_id_number_excel_wrote_in_scientific_notation(roll):
    report = preview([person(0), person(1, id_number="1.10101E+17")])
    assert "scientific notation" in row_errors(report, 3)["身份证号"][0]
    assert report.totals == {"rows": 2, "new": 1, "update": 0, "skip": 0, "error": 1}


def test_it_refuses_an_id_number_whose_last_three_digits_became_000(roll):
    report = preview([person(0, id_number=id_number(0)[:15] + "000")])
    assert "000" in row_errors(report, 2)["身份证号"][0]


def test_it_refuses_an_id_number_stored_as_a_number_in_the_xlsx(roll):
    content = xlsx_bytes([person(0, id_number=int(id_number(0)[:15] + "000")), person(1, id_number=1.10101198503121e17)])
    report = roster.roster_preview(table=roster.read_roster_file(io.BytesIO(content), "roll.xlsx"))
    assert "stored by Excel as a number" in row_errors(report, 2)["身份证号"][0]
    assert "stored by Excel as a number" in row_errors(report, 3)["身份证号"][0]


def test_it_refuses_a_bad_check_digit(roll):
    good = id_number(0)
    report = preview([person(0, id_number=good[:17] + ("0" if good[17] != "0" else "1"))])
    assert f"should be {good[17]}" in row_errors(report, 2)["身份证号"][0]


def test_it_refuses_a_birth_date_that_disagrees_with_the_id_number(roll):
    report = preview([person(0, birth_date="1990-01-01")])
    assert "does not agree with the ID number" in row_errors(report, 2)["出生日期"][0]


def test_it_refuses_a_sex_that_disagrees_with_the_id_number(roll):
    report = preview([person(0, sex="女")])
    assert "does not agree with the ID number" in row_errors(report, 2)["性别"][0]


def test_it_refuses_an_unknown_department_and_lists_the_existing_ones(roll):
    report = preview([person(0, department="宣传处")])
    message = row_errors(report, 2)["部门"][0]
    assert "宣传处" in message and "办公室" in message and "财务处" in message


def test_it_refuses_an_unknown_union_group(roll):
    report = preview([person(0, union_group="第九小组")])
    assert "第九小组" in row_errors(report, 2)["工会小组"][0]


def test_it_refuses_both_rows_of_a_member_who_appears_twice(roll):
    report = preview([person(0), person(1), person(2, id_number=id_number(0).lower())])
    assert "rows 2, 4" in row_errors(report, 2)["身份证号"][0]
    assert "rows 2, 4" in row_errors(report, 4)["身份证号"][0]
    assert not row_errors(report, 3)


def test_it_refuses_a_card_or_mobile_number_used_twice(roll):
    report = preview([person(0), person(1, card_number="C0000", phone="13800000000")])
    assert "会员证号" in row_errors(report, 3) and "手机号" in row_errors(report, 3)


def test_it_refuses_a_mobile_number_another_member_already_has(roll):
    MemberFactory(name="旧人", phone="13900000000")
    report = preview([person(0, phone="13900000000")])
    assert "旧人" in row_errors(report, 2)["手机号"][0]


def test_it_lets_two_members_swap_card_numbers_in_one_file(roll, chair):
    first = MemberFactory(id_number=id_number(0), card_number="A1", birth=datetime.date(1985, 3, 12))
    second = MemberFactory(id_number=id_number(1), card_number="A2", birth=datetime.date(1985, 3, 13))
    report = preview([person(0, card_number="A2", name=first.name), person(1, card_number="A1", name=second.name)])
    assert not report.errors


def test_it_refuses_a_bad_mobile_number(roll):
    report = preview([person(0, phone="1380000000")])
    assert "11-digit" in row_errors(report, 2)["手机号"][0]


def test_it_refuses_an_unknown_political_status_and_says_what_is_accepted(roll):
    report = preview([person(0, political_status="党外")])
    assert "中共党员" in row_errors(report, 2)["政治面貌"][0]


def test_it_refuses_a_date_joined_in_the_future(roll):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    report = preview([person(0, joined_on=tomorrow.isoformat())])
    assert "future" in row_errors(report, 2)["入会日期"][0]


def test_it_refuses_a_row_without_name_or_id_number(roll):
    report = preview([person(0, name="", id_number="")])
    errors = row_errors(report, 2)
    assert "姓名" in errors and "身份证号" in errors


def test_it_refuses_the_templates_example_row(roll):
    report = preview([person(0, name="张三（示例）")])
    assert "example row" in row_errors(report, 2)["姓名"][0]


def test_it_numbers_rows_as_the_spreadsheet_shows_them(roll):
    content = xlsx_bytes([person(0), {}, person(1, department="无此处")], title="办公室会员名册")
    report = roster.roster_preview(table=roster.read_roster_file(io.BytesIO(content), "roll.xlsx"))
    # title = row 1, headers = row 2, data from row 3, an empty row 4 (ignored), the bad row is row 5
    assert [row["row"] for row in report.errors] == [5]
    assert report.totals["rows"] == 2


def test_it_ignores_empty_trailing_rows(roll):
    content = csv_bytes([person(0)]) + b",,,,,,,,,,,,,\r\n" * 5
    assert len(roster.read_roster_file(io.BytesIO(content), "roll.csv")) == 1


def test_it_reads_a_gbk_csv(roll, chair):
    content = csv_bytes([person(0, name="欧阳娜", department="财务处")], encoding="gbk")
    report = roster.roster_apply(table=roster.read_roster_file(io.BytesIO(content), "roll.csv"), actor=chair)
    assert report.written, report.errors
    assert Member.objects.get(name="欧阳娜").department == roll["finance"]


def test_it_reads_a_utf8_csv_without_bom(roll):
    content = csv_bytes([person(0)], encoding="utf-8")
    assert preview_from_bytes(content, "roll.csv").totals["new"] == 1


def preview_from_bytes(content, name):
    return roster.roster_preview(table=roster.read_roster_file(io.BytesIO(content), name))


def test_it_accepts_common_other_headers_and_reports_unknown_columns(roll):
    headers = [{"身份证号": "身份证号码", "手机号": "手机号码"}.get(h, h) for h in HEADERS] + ["备注"]
    rows = [{**{{"身份证号": "身份证号码", "手机号": "手机号码"}.get(k, k): v for k, v in person(0).items()}, "备注": "x"}]
    report = preview_from_bytes(csv_bytes(rows, headers=headers), "roll.csv")
    assert report.totals["new"] == 1
    assert any("备注" in notice for notice in report.notices)


# --- the file as a whole, through the upload page --------------------------------------------------------------

PARTIAL = ["姓名", "性别", "身份证号", "出生日期", "部门", "工会小组", "手机号", "入会日期"]


@pytest.mark.parametrize("left_out", [["身份证号"], ["姓名"], ["姓名", "身份证号"]])
def test_it_names_a_missing_column_that_identifies_the_member(client, login, chair, roll, left_out):
    login(chair)
    headers = [h for h in HEADERS if h not in left_out]
    response = upload(client, csv_bytes([person(0)], headers=headers), "roll.csv")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"missing the column {'、'.join(h for h in HEADERS if h in left_out)}" in page
    assert "姓名、身份证号" in page and "may be left out" in page
    assert not Job.objects.exists() and not Member.objects.filter(id_number=id_number(0)).exists()


def test_it_imports_a_new_member_from_a_file_with_only_some_columns(client, login, chair, roll):
    login(chair)
    row = person(3)
    response = upload(client, xlsx_bytes([row], headers=PARTIAL), "roll.xlsx")
    assert response.status_code == 302
    job = latest_job()
    assert job.result["has_errors"] is False and job.result["totals"]["new"] == 1
    assert any("会员证号" in notice and "民族" in notice for notice in job.result["notices"])
    client.post(confirm_url(job))
    member = Member.objects.get(id_number=id_number(3))
    assert (member.name, member.sex, member.department, member.union_group, member.phone) == (
        row["姓名"], "M", roll["office"], roll["group"], row["手机号"])
    assert member.joined_on == datetime.date(2010, 7, 1) and member.status == MemberStatus.ACTIVE
    assert (member.card_number, member.ethnicity, member.political_status, member.education, member.position,
            member.email, member.expected_retirement_on) == ("", "", "", "", "", "", None)


def test_a_column_left_out_leaves_an_existing_member_as_they_are(roll, chair):
    member = MemberFactory(id_number=id_number(0), name="赵一", card_number="C7777", ethnicity="回族",
                           political_status="cpc", education="master", position="处长",
                           email="old@example.org", phone="13900000001", department=roll["finance"],
                           sex="", birth_date=None, expected_retirement_on=datetime.date(2045, 3, 31))
    before = {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields}
    headers = ["姓名", "身份证号", "部门"]  # moves the member to 办公室, says nothing else
    report = roster.roster_apply(table=table([person(0)], headers=headers), actor=chair)
    assert report.written and report.totals["update"] == 1
    [updated] = report.updated
    assert [change["column"] for change in updated["changes"]] == ["部门"]
    member.refresh_from_db()
    after = {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"department_id", "updated_at"}
    assert member.department == roll["office"]
    assert (member.sex, member.birth_date) == ("", None)  # left out: not filled in from the ID number either


def test_a_file_of_just_name_and_id_number_changes_nobody(roll, chair):
    member = MemberFactory(id_number=id_number(0), name="赵一", department=roll["finance"], phone="13900000001")
    report = roster.roster_preview(table=table([person(0)], headers=["身份证号", "姓名"]))
    assert report.totals["skip"] == 1 and not report.has_errors
    member.refresh_from_db()
    assert member.department == roll["finance"] and member.phone == "13900000001"


@pytest.mark.parametrize("name, content, expected", [
    ("roll.pdf", b"%PDF-1.4 not a roster", "neither"),
    ("roll.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as .xlsx"),
    ("roll.xlsx", b"this is not a zip", "neither"),
])
def test_it_refuses_a_file_of_the_wrong_type(client, login, chair, name, content, expected):
    login(chair)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Job.objects.exists()


def test_it_refuses_a_file_with_headers_but_no_rows(client, login, chair):
    login(chair)
    response = upload(client, csv_bytes([]), "roll.csv")
    assert "no member rows" in response.content.decode()


# --- preview, confirm, all-or-nothing, idempotency ---------------------------------------------------------------

def test_it_previews_without_writing_and_imports_on_confirmation(client, login, chair, roll):
    login(chair)
    existing = MemberFactory(id_number=id_number(1), name="钱二", department=roll["finance"], phone="13800000001",
                             card_number="C0001", birth=datetime.date(1985, 3, 13))
    existing_unchanged = MemberFactory(id_number=id_number(2), birth=datetime.date(1985, 3, 14))
    unchanged_row = person(2, name=existing_unchanged.name, card_number=existing_unchanged.card_number,
                           phone=existing_unchanged.phone, department=existing_unchanged.department.name,
                           ethnicity="", political_status="", education="", position="", email="", union_group="",
                           joined_on=existing_unchanged.joined_on.isoformat())
    rows = [person(0), person(1, phone="13911112222"), unchanged_row]
    response = upload(client, xlsx_bytes(rows), "roll.xlsx")
    job = latest_job()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert Member.objects.count() == 3  # nothing written yet (the chair, and the two members above)
    assert job.result["totals"] == {"rows": 3, "new": 1, "update": 1, "skip": 1, "error": 0}

    page = client.get(job_url(job)).content.decode()
    assert "Confirm import" in page and "手机号：138****0001 → 139****2222" in page and "财务处 → 办公室" in page

    response = client.post(confirm_url(job))
    apply_job = latest_job()
    assert response.status_code == 302 and apply_job.pk != job.pk
    assert apply_job.result["written"] and apply_job.result["totals"]["new"] == 1
    existing.refresh_from_db()
    assert (existing.phone, existing.department, existing.status) == ("13911112222", roll["office"], MemberStatus.ACTIVE)
    new = Member.objects.get(id_number=id_number(0))
    assert (new.status, new.status_since, new.joined_on) == (MemberStatus.ACTIVE, datetime.date(2010, 7, 1),
                                                             datetime.date(2010, 7, 1))
    assert "The import is finished" in client.get(job_url(apply_job)).content.decode()


def test_it_does_not_offer_confirmation_when_a_row_is_wrong(client, login, chair, roll):
    login(chair)
    upload(client, csv_bytes([person(0), person(1, department="宣传处")]), "roll.csv")
    job = latest_job()
    page = client.get(job_url(job)).content.decode()
    assert "Confirm import" not in page and "宣传处" in page
    response = client.post(confirm_url(job))
    assert response.status_code == 302
    assert Job.objects.filter(kind=roster.JOB_KIND).count() == 1
    assert not Member.objects.filter(id_number=id_number(0)).exists()


def test_it_writes_nothing_if_one_row_is_bad(roll, chair):
    before = (Member.objects.count(), LogEntry.objects.count(), MembershipEvent.objects.count())
    rows = [person(i) for i in range(5)] + [person(5, id_number="1.10101E+17")]
    report = roster.roster_apply(table=table(rows), actor=chair)
    assert not report.written and report.totals["error"] == 1
    assert (Member.objects.count(), LogEntry.objects.count(), MembershipEvent.objects.count()) == before


def test_it_writes_nothing_if_the_roll_changed_since_the_preview(client, login, chair, roll):
    login(chair)
    upload(client, csv_bytes([person(0), person(1)]), "roll.csv")
    job = latest_job()
    assert not job.result["has_errors"]
    MemberFactory(name="新来的", phone=person(1)["手机号"])  # someone else took the mobile number meanwhile
    client.post(confirm_url(job))
    apply_job = latest_job()
    assert not apply_job.result["written"] and apply_job.result["totals"]["error"] == 1
    assert not Member.objects.filter(id_number__in=[id_number(0), id_number(1)]).exists()
    assert "Nothing was imported" in client.get(job_url(apply_job)).content.decode()


def test_it_changes_nothing_when_the_same_file_is_imported_twice(client, login, chair, roll):
    login(chair)
    content = xlsx_bytes([person(i) for i in range(6)])
    upload(client, content, "roll.xlsx")
    client.post(confirm_url(latest_job()))
    assert latest_job().result["totals"]["new"] == 6
    counts = (Member.objects.count(), LogEntry.objects.count(), MembershipEvent.objects.count())

    upload(client, content, "roll.xlsx")
    second = latest_job()
    assert second.result["totals"] == {"rows": 6, "new": 0, "update": 0, "skip": 6, "error": 0}
    client.post(confirm_url(second))
    assert latest_job().result["totals"]["skip"] == 6
    assert (Member.objects.count(), LogEntry.objects.count(), MembershipEvent.objects.count()) == counts


def test_it_updates_a_member_matched_by_id_number_and_keeps_what_the_file_leaves_empty(roll, chair):
    member = MemberFactory(id_number=id_number(0), name="赵一", email="old@example.org", position="处长",
                           status=MemberStatus.RETIRED)
    report = roster.roster_apply(table=table([person(0, email="", position="调研员", department="财务处")]),
                                 actor=chair)
    assert report.written and report.totals["update"] == 1
    member.refresh_from_db()
    assert (member.position, member.email, member.department) == ("调研员", "old@example.org", roll["finance"])
    assert member.status == MemberStatus.RETIRED  # never changed by an import
    assert Member.objects.filter(id_number=id_number(0)).count() == 1


def test_it_audits_every_created_and_changed_member_with_actor_and_via(roll, chair):
    member = MemberFactory(id_number=id_number(0), birth=datetime.date(1985, 3, 12), phone="13700000000")
    report = roster.roster_apply(table=table([person(0, name=member.name), person(1), person(2)]), actor=chair)
    assert report.totals["new"] == 2 and report.totals["update"] == 1

    update = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.UPDATE)
    assert (update.actor, update.additional_data) == (chair, {"via": roster.VIA})
    assert update.changes["phone"] == ["137****0000", "138****0000"]  # masked as on every page (mask_personal)
    assert "department" in update.changes and "name" not in update.changes

    for number in (id_number(1), id_number(2)):
        new = Member.objects.get(id_number=number)
        created = LogEntry.objects.get_for_object(new).get()
        assert (created.action, created.actor, created.additional_data) == (
            LogEntry.Action.CREATE, chair, {"via": roster.VIA})
        assert created.changes["id_number"][1] == mask_id_number(number)
        event = new.events.get()
        assert (event.kind, event.to_status, event.actor, event.actor_label) == ("enroll", "active", chair, roster.VIA)
        assert LogEntry.objects.get_for_object(event).filter(action=LogEntry.Action.CREATE, actor=chair).exists()


def test_it_writes_the_same_audit_entry_as_the_member_service(roll, chair):
    """The bulk import's audit entry for a new member has the fields and masking of member_create's."""
    roster.roster_apply(table=table([person(0)]), actor=chair)
    imported = LogEntry.objects.get_for_object(Member.objects.get(id_number=id_number(0))).get()
    by_service = services.member_create(
        actor=chair, via=roster.VIA, name="周五", id_number=id_number(9), phone="13800009999",
        department=roll["office"], joined_on=datetime.date(2010, 7, 1))
    reference = LogEntry.objects.get_for_object(by_service).get()
    assert set(imported.changes) == set(reference.changes)
    assert (imported.additional_data, imported.actor_email) == (reference.additional_data, reference.actor_email)
    assert imported.changes["phone"][1] == mask_phone(Member.objects.get(id_number=id_number(0)).phone)
    assert reference.changes["phone"][1] == "138****9999"


def test_it_computes_audit_diffs_exactly_as_auditlog_does(roll, chair):
    from auditlog.diff import model_instance_diff

    from members.resources import AuditDiff

    roster.roster_apply(table=table([person(0)]), actor=chair)
    member = Member.objects.get(id_number=id_number(0))
    event = member.events.get()
    assert AuditDiff(Member)(None, member) == model_instance_diff(None, member)
    assert AuditDiff(MembershipEvent)(None, event) == model_instance_diff(None, event)
    before = Member.objects.get(pk=member.pk)
    member.phone, member.department, member.position = "13999999999", roll["finance"], ""
    assert AuditDiff(Member)(before, member) == model_instance_diff(before, member)
    assert LogEntry.objects.get_for_object(event).get().object_repr == str(event)


# --- who may import ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["member_user", "treasurer", "welfare_officer"])
def test_it_refuses_the_import_pages_to_those_without_the_permission(request, client, login, persona, chair, roll):
    login(chair)
    upload(client, csv_bytes([person(0)]), "roll.csv")
    job = latest_job()
    client.logout()
    login(request.getfixturevalue(persona))
    for url in (IMPORT_URL, TEMPLATE_URL, job_url(job)):
        assert client.get(url).status_code == 403, url
    assert client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv_bytes([person(1)]))}).status_code == 403
    assert client.post(confirm_url(job)).status_code == 403
    assert not Member.objects.filter(id_number=id_number(0)).exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_it_shows_an_import_only_to_the_person_who_started_it(client, login, chair, make_persona, roll):
    from accounts.models import Role

    login(chair)
    upload(client, csv_bytes([person(0)]), "roll.csv")
    job = latest_job()
    client.logout()
    vice_chair = make_persona("vice", Role.CHAIR)
    login(vice_chair)
    assert client.get(job_url(job)).status_code == 404
    assert client.post(confirm_url(job)).status_code == 404


def test_it_confirms_only_by_post_with_a_csrf_token(client, login, chair, roll, settings):
    login(chair)
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.get(IMPORT_URL)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    browser.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv_bytes([person(0)])),
                              "csrfmiddlewaretoken": token})
    job = latest_job()
    assert browser.get(confirm_url(job)).status_code == 405
    assert browser.post(confirm_url(job)).status_code == 403
    assert not Member.objects.filter(id_number=id_number(0)).exists()
    assert browser.post(confirm_url(job), {"csrfmiddlewaretoken": token}).status_code == 302
    assert Member.objects.filter(id_number=id_number(0)).exists()


def test_it_starts_one_import_even_if_confirmed_twice(client, login, chair, roll):
    login(chair)
    upload(client, csv_bytes([person(0)]), "roll.csv")
    job = latest_job()
    first = client.post(confirm_url(job))
    second = client.post(confirm_url(job))
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind=roster.JOB_KIND).count() == 2
    assert Member.objects.filter(id_number=id_number(0)).count() == 1


# --- the template ----------------------------------------------------------------------------------------------------

def test_it_offers_an_xlsx_template_with_text_columns_and_an_explanation(client, login, chair, roll):
    login(chair)
    page = client.get(IMPORT_URL)
    assert TEMPLATE_URL in page.content.decode()
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    id_column = HEADERS.index("身份证号") + 1
    phone_column = HEADERS.index("手机号") + 1
    assert sheet.cell(row=2, column=id_column).number_format == "@"
    assert sheet.cell(row=50, column=phone_column).number_format == "@"
    assert workbook.sheetnames[1] == "说明"
    explained = " ".join(str(cell.value) for row in workbook["说明"].iter_rows() for cell in row if cell.value)
    assert all(header in explained for header in HEADERS) and "1985年3月12日" in explained
    # The example row has a valid ID number, but it is refused if left in the file.
    report = preview_from_bytes(response.content, "template.xlsx")
    assert set(row_errors(report, 2)) == {"姓名"}


# --- large files: in the background with progress ---------------------------------------------------------------------

def test_it_checks_and_imports_a_large_file_in_the_background(client, login, chair, roll, settings,
                                                              django_capture_on_commit_callbacks, monkeypatch):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 5
    monkeypatch.setattr(roster, "PROGRESS_EVERY", 4)
    steps = []
    original = roster.JobProgress.write
    monkeypatch.setattr(roster.JobProgress, "write", lambda self, done: (steps.append(done), original(self, done)))
    login(chair)
    rows = generate_roster_rows(12, departments=["办公室", "财务处"], groups=["办公室小组"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, roster_rows_to_xlsx(rows), "big.xlsx")
    assert len(callbacks) == 1  # queued for the worker, not run in the request
    job = latest_job()
    assert (job.status, job.percent, job.progress_done, job.progress_total) == ("done", 100, 12, 12)
    assert job.result["totals"]["new"] == 12 and job.started_at and job.finished_at
    assert steps == [4, 8, 12]  # every PROGRESS_EVERY rows, not per row
    status = client.get(f"/jobs/{job.pk}/").json()
    assert (status["percent"], status["finished"]) == (100, True)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url(job))
    apply_job = latest_job()
    assert apply_job.params["phase"] == "apply" and apply_job.result["totals"]["new"] == 12
    assert Member.objects.filter(id_number__in=[row["身份证号"] for row in rows]).count() == 12
    assert not apply_job.input_file  # the uploaded roll is deleted once imported


def test_it_shows_a_progress_bar_while_the_job_runs(client, login, chair, roll, settings):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 0
    login(chair)
    upload(client, csv_bytes([person(0)]), "roll.csv")  # queued on commit: never run inside this test
    job = latest_job()
    page = client.get(job_url(job)).content.decode()
    assert job.status == "queued"
    assert "<progress" in page and f'data-status-url="/jobs/{job.pk}/"' in page and "job_progress.js" in page


def test_it_runs_a_job_once_even_if_the_task_is_delivered_twice(roll, chair):
    job = Job.objects.create(kind=roster.JOB_KIND, created_by=chair,
                             input_file=SimpleUploadedFile("r.csv", csv_bytes([person(0)])),
                             params={"phase": "apply", "filename": "r.csv", "rows": 1})
    roster.roster_import_task.delay(job.pk)
    roster.roster_import_task.delay(job.pk)
    assert Member.objects.filter(id_number=id_number(0)).count() == 1
    assert MembershipEvent.objects.filter(member__id_number=id_number(0)).count() == 1


def test_the_benchmark_hook_imports_a_generated_roll_once(chair, settings):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 100
    first = benchmark_import(rows=30, actor=chair)
    again = benchmark_import(rows=30, actor=chair)  # the same seed gives the same file
    assert (first["new"], first["updated"], again["new"], again["updated"], again["unchanged"]) == (30, 0, 0, 0, 30)


def test_an_upload_above_10_mb_is_refused_before_it_is_read(client, login, chair, roll):
    login(chair)
    big = csv_bytes([person(0)]) + b"\n" * (10 * 1024 * 1024)
    response = upload(client, big, "roll.csv")
    assert response.status_code == 200 and "larger than 10 MB" in response.content.decode()
    assert not Job.objects.exists() and not Member.objects.filter(id_number=id_number(0)).exists()


def test_a_nul_byte_in_a_csv_cell_is_dropped_and_the_job_ends(client, login, chair, roll):
    """PostgreSQL refuses text holding NUL: the upload gave a 500 and the job stayed "running" forever."""
    login(chair)
    content = csv_bytes([person(0)]).replace(person(0)["姓名"].encode(), person(0)["姓名"].encode() + b"\x00")
    response = upload(client, content, "roll.csv")
    assert response.status_code in (200, 302)
    job = latest_job()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and "\x00" not in str(job.result)


# --- the apply step keeps the preview's reading of the file (issue 13 §4) ---------------------------------------

def test_the_import_reads_the_file_once_and_applies_the_previews_rows(client, login, chair, roll, monkeypatch):
    login(chair)
    upload(client, xlsx_bytes([person(0), person(1)]), "roll.xlsx")
    job = latest_job()
    assert not job.result["has_errors"]
    kept = [name for name in _stored_names(job.input_file.storage) if name.endswith(roster.KEPT_ROWS_SUFFIX)]
    assert kept == [job.input_file.name + roster.KEPT_ROWS_SUFFIX]
    reads = []
    real_read = roster.read_roster_file
    monkeypatch.setattr(roster, "read_roster_file", lambda *a, **k: reads.append(a) or real_read(*a, **k))
    client.post(confirm_url(job))
    apply_job = latest_job()
    assert apply_job.result["written"] and apply_job.result["totals"]["new"] == 2
    assert reads == []  # the workbook was parsed by the preview only
    assert Member.objects.filter(id_number__in=[id_number(0), id_number(1)]).count() == 2
    # The kept rows are personal data like the upload: gone with it once the import is done.
    assert not any(name.endswith(roster.KEPT_ROWS_SUFFIX) for name in _stored_names(job.input_file.storage))


def _stored_names(storage, path=""):
    directories, files = storage.listdir(path)
    found = [f"{path}/{name}".lstrip("/") for name in files]
    for directory in directories:
        found += _stored_names(storage, f"{path}/{directory}".lstrip("/"))
    return found


def test_the_import_is_refused_if_the_file_changed_after_the_preview(client, login, chair, roll):
    login(chair)
    upload(client, csv_bytes([person(0)]), "roll.csv")
    job = latest_job()
    storage = job.input_file.storage
    name = job.input_file.name
    storage.delete(name)
    storage.save(name, io.BytesIO(csv_bytes([person(0), person(1, department="宣传处")])))
    before = (Member.objects.count(), LogEntry.objects.count(), MembershipEvent.objects.count())
    client.post(confirm_url(job))
    apply_job = latest_job()
    assert apply_job.status == Job.Status.FAILED and "changed" in apply_job.message
    assert (Member.objects.count(), LogEntry.objects.count(), MembershipEvent.objects.count()) == before


def test_kept_rows_keep_the_cell_types_of_the_workbook(roll):
    content = xlsx_bytes([person(0, birth_date=datetime.datetime(1985, 3, 12), joined_on=datetime.date(2010, 7, 1),
                                 card_number=2026001)])
    parsed = roster.read_roster_file(io.BytesIO(content), "roll.xlsx")
    kept = roster._table_from_kept(roster._kept_payload(parsed, "abc"), "abc")
    assert kept.dataset.headers == parsed.dataset.headers and kept.notices == parsed.notices
    assert [list(row) for row in kept.dataset] == [list(row) for row in parsed.dataset]
    assert [type(value) for value in kept.dataset[0]] == [type(value) for value in parsed.dataset[0]]


def test_the_row_in_error_is_linked_from_the_top_and_marked_among_172(client, login, chair, roll):
    login(chair)
    rows = [person(i) for i in range(172)]
    # Spreadsheet row 57 (the header is row 1): a wrong check digit.
    bad = rows[55]["身份证号"]
    rows[55]["身份证号"] = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    upload(client, xlsx_bytes(rows), "roll.xlsx")
    job = latest_job()
    assert job.result["totals"]["error"] == 1 and job.result["totals"]["new"] == 171
    page = client.get(job_url(job)).content.decode()
    summary = page[page.index('id="roster-error-summary"'):page.index('id="roster-totals"')]
    assert '<a href="#roster-row-57">Row 57: ' in summary and rows[55]["姓名"] in summary
    assert page.count('class="row-error" id="roster-row-') == 1
    assert '<tr class="row-error" id="roster-row-57">' in page
    assert Member.objects.count() == 1  # only the chair: nothing written


def test_each_cell_is_cleaned_once_from_preview_to_import(client, login, chair, roll, monkeypatch):
    """The apply step takes the cells the preview normalised (kept beside the upload), and within a step each cell is
    normalised once, not again by the checks before the rows and across rows (issue 13 §4)."""
    from members.resources import MemberRosterResource

    calls = {}
    for name, declared in MemberRosterResource.fields.items():
        real = getattr(declared.widget, "normalizer", None)
        if real is None:
            continue  # departments and groups are looked up, in the roll as it is at each step

        def counted(value, real=real, name=name):
            calls[name] = calls.get(name, 0) + 1
            return real(value)

        monkeypatch.setattr(declared.widget, "normalizer", counted)
    login(chair)
    upload(client, xlsx_bytes([person(i) for i in range(4)]), "roll.xlsx")
    job = latest_job()
    assert not job.result["has_errors"] and calls["id_number"] == 4
    client.post(confirm_url(job))
    assert latest_job().result["written"]
    assert Member.objects.filter(id_number__in=[id_number(i) for i in range(4)]).count() == 4
    assert calls and set(calls.values()) == {4}, calls  # once per row and column, preview and import together


def test_the_import_still_refuses_a_bad_cell_the_preview_kept(roll, chair):
    """Rows with a bad cell keep no cleaned cells: the apply step cleans them again and refuses them."""
    rows = [person(0), person(1, phone="12345")]
    report = roster.roster_preview(table=table(rows))
    assert report.totals["error"] == 1 and list(report.cleaned) == [2]
    parsed = table(rows)
    kept = roster._table_from_kept(roster._kept_payload(parsed, "abc", report.cleaned), "abc")
    assert kept.cleaned == report.cleaned
    before = Member.objects.count()
    applied = roster.roster_apply(table=kept, actor=chair)
    assert not applied.written and applied.totals["error"] == 1
    assert Member.objects.count() == before
