"""Journey of a plain member, on a phone, in Chinese: logs in with their mobile number and is greeted by name, finds
an activity and registers, finds another one full (已满) and joins its waitlist, then reads their own dues and the
care they received this year — and nobody else's."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.registration import registration_create
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.dues.formula import dues_for, month_start, rule_in_force
from finance.dues.payroll import read_payroll_file
from finance.dues.selectors import previous_month
from finance.dues.services import dues_import_post
from finance.models import FiscalYear
from tests.activities.factories import ActivityFactory
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, contrast_ratio, shot
from tests.factories import MemberFactory
from tests.welfare.care.factories import make_policy
from welfare.care.services import visit_record
from welfare.models import BenefitPolicy, Occasion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dues_posted_for_last_month(treasurer):
    today = timezone.localdate()
    year, month = previous_month(today.year, today.month)
    FiscalYear.objects.get_or_create(year=year)
    rows = read_payroll_file(deduction_list_xlsx(deduction_rows(year=year, month=month)), "list.xlsx")
    dues_import_post(rows=rows, year=year, month=month, received_on=max(month_start(year, month), today.replace(
        day=1)), filename="list.xlsx", actor=treasurer)
    return f"{year}-{month:02d}"


def test_a_member_registers_joins_a_waitlist_and_reads_their_own_records(live_server, make_persona, treasurer,
                                                                       welfare_officer, new_context):
    member_user = make_persona("xiaohong", "member", name="王小红", phone="13712345678",
                               dues_base=Decimal("6230.00"))
    member = member_user.member
    other = MemberFactory(name="李大明", dues_base=Decimal("5000.00"))
    month = _dues_posted_for_last_month(treasurer)
    today = timezone.localdate()
    BenefitPolicy.objects.filter(year=today.year).update(in_use=False)
    make_policy(today.year, region="旅程测试")
    visit_record(member=member, occasion=Occasion.objects.get(code="hospital"), date=today, form="cash",
                 amount=Decimal("500.00"), visitors=["王主席"], signed_by="本人", actor=welfare_officer)
    ActivityFactory(title="香山秋游", capacity=30)
    concert = ActivityFactory(title="新年音乐会", capacity=1)
    registration_create(activity=concert, member=other, answers={}, actor=None)

    page = new_context("phone", locale="zh-CN").new_page()
    browser_login(page, live_server, member_user, totp=False, login_name="13712345678")
    expect(page.locator("ul.messages")).to_contain_text("王小红，您已成功登录。")
    check_page(page, phone=True, chinese=True)
    shot(page, "member-1-home")

    # The list: the outing is open, the concert is full and says so.
    page.get_by_role("link", name="活动", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/activities/$"))
    outing_card = page.locator("main li, main .card, main article").filter(has_text="香山秋游").last
    concert_card = page.locator("main li, main .card, main article").filter(has_text="新年音乐会").last
    expect(outing_card).to_contain_text("报名中")
    expect(concert_card).to_contain_text("已满")
    check_page(page, phone=True, chinese=True)
    shot(page, "member-2-activities")

    # Registers for the outing.
    page.get_by_role("link", name=re.compile("香山秋游")).click()
    expect(page.locator("h1")).to_have_text("香山秋游")
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("您已成功报名香山秋游。")
    expect(page.locator("#registration")).to_contain_text("已报名")
    check_page(page, phone=True, chinese=True)

    # The concert is full: the button says 加入候补, and the member is put on the waitlist.
    page.goto("/activities/")
    page.get_by_role("link", name=re.compile("新年音乐会")).click()
    expect(page.locator("main")).to_contain_text("本活动名额已满：报名后将进入候补名单。")
    expect(page.get_by_role("button", name="报名", exact=True)).to_have_count(0)
    page.get_by_role("button", name="加入候补").click()
    expect(page.locator("ul.messages")).to_contain_text("候补")
    check_page(page, phone=True, chinese=True)
    # The 通知 tab counts the unread notifications (the waitlist place was notified): readable, white on dark red.
    unread = page.locator("nav.tabs [data-unread]")
    expect(unread).to_have_text(re.compile(r"^\d+$"))
    assert contrast_ratio(unread) >= 4.5
    shot(page, "member-3-waitlist")

    page.goto("/activities/mine/")
    expect(page.locator(".my-activity").filter(has_text="香山秋游")).to_contain_text("已报名")
    expect(page.locator(".my-activity").filter(has_text="新年音乐会")).to_contain_text("候补第 1 位")
    check_page(page, phone=True, chinese=True)

    # Own record: masked numbers, the care received, the way to the dues.
    page.goto("/members/me/")
    main = page.locator("main")
    expect(main).to_contain_text("王小红")
    expect(main).to_contain_text("137****5678")
    expect(page.locator("#my-care")).to_contain_text("生病住院")
    expect(page.locator("#my-care")).to_contain_text("500.00")
    assert member.id_number not in page.content() and other.name not in page.content()
    check_page(page, phone=True, chinese=True)
    shot(page, "member-4-record")

    page.get_by_role("link", name="我的会费").click()
    expect(page).to_have_url(re.compile(r"/finance/dues/me/$"))
    history = page.locator("#dues-history")
    expect(history).to_contain_text(month)
    owed = dues_for(member.dues_base, rule=rule_in_force(month_start(int(month[:4]), int(month[5:]))))
    assert owed > 0
    expect(history).to_contain_text(f"{owed:.2f}")
    check_page(page, phone=True, chinese=True)
    shot(page, "member-5-dues")
