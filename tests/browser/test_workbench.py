"""The chair's workbench in Chromium at 1366×900, in Chinese: the tasks are counts that link to the work, the charts
are drawn, the sidebar is grouped by task, and nothing spills sideways."""

import pytest
from playwright.sync_api import expect

from members.models import MemberStatus
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page
from tests.console.helpers import console_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_sees_the_workbench_and_opens_the_applications(live_server, chair, new_context):
    console_member(name="申请甲", status=MemberStatus.APPLICANT)
    console_member(name="申请乙", status=MemberStatus.APPLICANT)
    console_member(name="在册丙", status=MemberStatus.ACTIVE)

    page = new_context("desktop", locale="zh-CN").new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, chair)
    page.goto("/admin/")
    expect(page.locator("#wb-tasks-title")).to_have_text("今日待办")
    tile = page.locator('[data-task="members.applications"]')
    expect(tile.locator(".wb-count")).to_have_text("2")
    expect(tile).to_contain_text("待审批入会申请")
    chart = page.locator('[data-chart="members.by_status"] svg')
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300  # drawn at a readable size, not squeezed
    expect(page.locator("#content-related caption").first).to_have_text("会员")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(page, chinese=True)

    tile.locator("a").click()
    expect(page).to_have_url(f"{live_server.url}/admin/members/member/?status__exact=applicant")
    expect(page.locator("#result_list")).to_contain_text("申请甲")
    expect(page.locator("#result_list")).not_to_contain_text("在册丙")


def test_the_member_and_voucher_lists_fit_at_1366(live_server, chair, new_context):
    for i in range(12):
        console_member(name=f"欧阳{'一二三四五六七八九十甲乙'[i]}华")
    page = new_context("desktop", locale="zh-CN").new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, chair)
    page.goto("/admin/members/member/")
    widths = page.evaluate("""() => { const r = document.querySelector('.results');
        const heights = [...document.querySelectorAll('#result_list th.field-name')].map(c => c.clientHeight);
        const ids = [...document.querySelectorAll('#result_list td.field-id_number_display, #result_list td.field-id_number')]
            .map(c => c.scrollWidth - c.clientWidth);
        return {scroll: r.scrollWidth - r.clientWidth, heights, ids}; }""")
    assert widths["scroll"] <= 0  # the whole list is on screen: no column cut off behind a scroll bar
    assert widths["heights"] and max(widths["heights"]) < 50  # one line per name, not one character per line
    assert all(extra <= 0 for extra in widths["ids"])
    assert page.js_errors == []
