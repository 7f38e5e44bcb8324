"""The chair logs in with TOTP and imports a roll: a file with an error is refused with a per-row message,
the corrected file is previewed, confirmed, and the members appear on the roll."""

import re

from playwright.sync_api import expect

from benchmarks.members import generate_roster_rows, roster_rows_to_xlsx
from members.models import Member
from tests.factories import DepartmentFactory, UnionGroupFactory

from .conftest import browser_login


def test_it_imports_a_roll_after_a_preview(live_server, chair, desktop_page, tmp_path, settings):
    settings.ROSTER_IMPORT_SYNC_MAX_ROWS = 3  # the 5-row file goes through the background path
    department = DepartmentFactory(name="办公室")
    UnionGroupFactory(name="办公室小组", department=department)
    rows = generate_roster_rows(5, departments=["办公室"], groups=["办公室小组"], seed=7)
    bad = [dict(row) for row in rows]
    bad[2]["身份证号"] = bad[2]["身份证号"][:15] + "000"  # what Excel does to an 18-digit number
    bad_file = tmp_path / "roll-bad.xlsx"
    bad_file.write_bytes(roster_rows_to_xlsx(bad))
    good_file = tmp_path / "roll.xlsx"
    good_file.write_bytes(roster_rows_to_xlsx(rows))
    page = desktop_page

    browser_login(page, live_server, chair)
    page.goto(f"{live_server.url}/admin/members/member/")
    page.get_by_role("link", name="Import roster").click()

    page.set_input_files("input[type=file]", str(bad_file))
    page.get_by_role("button", name="Upload and preview").click()
    errors = page.locator("#roster-errors")
    expect(errors).to_contain_text("4")  # the sheet's row number: header is row 1
    expect(errors).to_contain_text("000")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert Member.objects.filter(id_number__in=[r["身份证号"] for r in rows]).count() == 0

    page.goto(f"{live_server.url}/admin/members/member/roster/import/")
    page.set_input_files("input[type=file]", str(good_file))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("[data-count=new]")).to_have_text("5")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("The import is finished.")).to_be_visible()
    expect(page.locator("[data-count=new]")).to_have_text("5")

    assert set(Member.objects.filter(department=department).values_list("name", flat=True)) >= {r["姓名"] for r in rows}
    page.goto(f"{live_server.url}/admin/members/member/?q={rows[0]['姓名']}")
    expect(page.locator("#result_list")).to_contain_text(rows[0]["姓名"])
    assert not [e for e in page.js_errors if not re.search(r"favicon", e)]
