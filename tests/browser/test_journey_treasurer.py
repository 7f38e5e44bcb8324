"""Journeys of the treasurer (财务/会计), in the portal and the admin:

1. The month's payroll deduction list — as a payroll office sends it: a title row, 工号/姓名/部门/身份证号/工会会费
   columns, a 合计 line — is checked against the roll, its differences read, and posted.
2. A hospital visit's cash gift was posted as paid from 库存现金 by mistake: the posting warns that cash went below
   zero, the treasurer reverses the voucher, and posts the payout again from 银行存款.
"""

from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finance.dues.formula import dues_for, month_start, rule_in_force
from finance.dues.selectors import previous_month
from finance.models import Account, DuesImport, FiscalYear, Spending, Voucher, VoucherLine
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, shot
from tests.factories import DepartmentFactory, MemberFactory
from tests.welfare.care.factories import make_policy
from welfare.care.services import visit_record
from welfare.models import BenefitPolicy, Occasion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _payroll_office_list(path, *, title, rows):
    """A deduction list as a payroll office's spreadsheet looks: a title, a unit line, its own columns, a total."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "11月"
    sheet.append([title])
    sheet.merge_cells("A1:G1")
    sheet.append(["", "", "", "", "", "单位：元"])
    sheet.append(["序号", "工号", "姓名", "部门", "身份证号", "应发工资", "工会会费"])
    for index, (number, member, amount) in enumerate(rows, start=1):
        sheet.append([index, number, member.name, member.department.name, member.id_number,
                      float(member.dues_base), float(amount)])
        sheet.cell(row=sheet.max_row, column=5).number_format = "@"
    sheet.append(["合计", "", "", "", "", "", float(sum(amount for _n, _m, amount in rows))])
    workbook.save(path)


def test_the_treasurer_posts_the_payroll_deduction_list(live_server, treasurer, desktop_page, tmp_path):
    today = timezone.localdate()
    year, month = previous_month(today.year, today.month)
    for fiscal in {year, today.year}:
        FiscalYear.objects.get_or_create(year=fiscal)
    office = DepartmentFactory(name="综合处")
    members = [MemberFactory(name=name, department=office, dues_base=Decimal(base))
               for name, base in (("赵一", "6230.00"), ("钱二", "8410.50"), ("孙三", "5120.00"))]
    forgotten = MemberFactory(name="李四未扣", department=office, dues_base=Decimal("7000.00"))
    rule = rule_in_force(month_start(year, month))
    expected = [dues_for(member.dues_base, rule=rule) for member in members]
    paid = [expected[0], expected[1], expected[2] + Decimal("1.00")]  # one amount is a yuan too much
    path = tmp_path / f"{year}年{month}月工会会费代扣明细.xlsx"
    _payroll_office_list(path, title=f"{year}年{month}月工会会费代扣明细表",
                         rows=[(f"A{index:04d}", member, amount) for index, (member, amount)
                               in enumerate(zip(members, paid, strict=True), start=1)])

    page = desktop_page
    browser_login(page, live_server, treasurer)
    page.goto("/finance/dues/")
    check_page(page)
    page.goto("/finance/dues/import/")
    check_page(page)
    # The template is offered, and is a spreadsheet.
    with page.expect_download() as template:
        page.locator("#dues-template").click()
    assert template.value.suggested_filename.endswith(".xlsx")
    assert template.value.path().read_bytes()[:2] == b"PK"

    page.get_by_label("Year").fill(str(year))
    page.get_by_label("Month").select_option(str(month))
    arrived = today.replace(day=1).isoformat()
    page.get_by_label("Date the money arrived").fill(arrived)
    page.get_by_label("Deduction list (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Check the list").click()

    expect(page.locator("ul.messages")).to_contain_text("Check only: nothing has been posted yet.")
    check_page(page)
    expect(page.locator("#dues-missing")).to_contain_text(forgotten.name)
    total = sum(paid)
    expect(page.locator("[data-total=paid]")).to_have_text(f"{total:,.2f}")
    expect(page.locator("main")).to_contain_text(members[2].name)  # the yuan too much is pointed out
    shot(page, "treasurer-1-dues-check")
    page.get_by_role("button", name="Post the month's dues").click()
    expect(page.locator("ul.messages")).to_contain_text("Posted:")
    check_page(page)

    posted = DuesImport.objects.get(year=year, month=month)
    assert posted.total_paid == total
    credits = VoucherLine.objects.filter(voucher=posted.voucher, account__code="401")
    assert sum(line.credit for line in credits) == total

    page.goto("/finance/dues/arrears/")
    expect(page.locator("#dues-arrears")).to_contain_text(forgotten.name)
    check_page(page)


def _spending_row(page, summary, state):
    return page.locator("#result_list tbody tr", has_text=summary).filter(has_text=state)


def _post_spending(page, row, *, paid_from):
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "post_selected")
    page.click('button[name="index"]')
    expect(page.locator("input[name=date]")).to_have_value(timezone.localdate().isoformat())
    check_page(page)
    page.select_option("select[name=credit_account]", paid_from)
    page.get_by_role("button", name="Post to the books").click()


def test_the_treasurer_reverses_a_wrong_posting_and_posts_it_again(live_server, treasurer, welfare_officer,
                                                                   desktop_page):
    today = timezone.localdate()
    FiscalYear.objects.get_or_create(year=today.year)
    BenefitPolicy.objects.filter(year=today.year).update(in_use=False)
    make_policy(today.year, region="旅程测试")
    patient = MemberFactory(name="住院的同志")
    visit = visit_record(member=patient, occasion=Occasion.objects.get(code="hospital"), date=today, form="cash",
                         amount=Decimal("800.00"), visitors=["王主席"], signed_by="家属", actor=welfare_officer)
    summary = Spending.objects.get(state="recorded").summary
    assert patient.name in summary or "生病住院" in summary

    page = desktop_page
    browser_login(page, live_server, treasurer)
    # The bank account is funded (the month's dues came in); the cash box is empty.
    page.goto("/admin/finance/voucher/add/")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_summary", "收到会费")
    page.select_option("#id_lines-0-account", str(Account.objects.get(code="102").pk))
    page.fill("#id_lines-0-debit", "5000")
    page.select_option("#id_lines-1-account", str(Account.objects.get(code="401").pk))
    page.fill("#id_lines-1-credit", "5000")
    page.get_by_role("button", name="Save", exact=True).click()
    income = Voucher.objects.get(summary="收到会费")
    page.goto(f"/admin/finance/voucher/{income.pk}/post/")
    page.get_by_role("button", name="Post to the books").click()
    expect(page.locator("#tool-reverse")).to_be_visible()

    # The payout waits in the spending list; posted from 库存现金 by mistake — the books warn.
    page.goto("/admin/finance/spending/")
    check_page(page)
    row = _spending_row(page, summary, "recorded, not yet in the books")
    expect(row).to_have_count(1)
    _post_spending(page, row, paid_from="101")
    expect(page.locator("ul.messagelist .success")).to_contain_text("Posted as")
    expect(page.locator("ul.messagelist .warning")).to_contain_text("-800.00")
    expect(page.locator("ul.messagelist .warning")).to_contain_text("101")
    check_page(page)
    wrong = Spending.objects.get(source_id=visit.pk).voucher

    # The wrong voucher: its page shows the totals from the books, balanced, and offers the reversal.
    page.goto(f"/admin/finance/voucher/{wrong.pk}/change/")
    expect(page.locator("#voucher-totals")).to_have_text("balanced: debits 800.00, credits 800.00")
    expect(page.locator("body")).not_to_contain_text("does not balance")
    page.locator("#tool-reverse").click()
    expect(page.locator("input[name=date]")).to_have_value(today.isoformat())
    check_page(page)
    page.fill("input[name=reason]", "应从银行存款支付")
    page.get_by_role("button", name="Post the reversing voucher").click()
    expect(page.locator("ul.messagelist .success")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("does not balance")
    check_page(page)
    shot(page, "treasurer-2-reversal")

    # Back in the spending list: the first posting is marked reversed, and the payout waits to be posted again.
    page.goto("/admin/finance/spending/")
    expect(_spending_row(page, summary, "posted, then reversed")).to_have_count(1)
    again = _spending_row(page, summary, "recorded, not yet in the books")
    expect(again).to_have_count(1)
    _post_spending(page, again, paid_from="102")
    expect(page.locator("ul.messagelist .success")).to_contain_text("Posted as")
    expect(page.locator("ul.messagelist .warning")).to_have_count(0)
    expect(_spending_row(page, summary, "recorded, not yet in the books")).to_have_count(0)
    check_page(page)
    shot(page, "treasurer-3-reposted")

    reposted = Spending.objects.get(state="posted")
    assert reposted.voucher_id != wrong.pk and reposted.amount == Decimal("800.00")
    credits = {line.account.code: line.credit for line in reposted.voucher.lines.all() if line.credit}
    assert credits == {"102": Decimal("800.00")}
    cash = VoucherLine.objects.filter(account__code="101")
    assert sum(line.debit - line.credit for line in cash) == 0
