"""Journey of an election: the chair opens the vote after the 批复; a member votes on a phone (Chinese); the chair
enters a paper ballot box, closes the vote and prints the 选举结果报告, whose figures are the counted ballots."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from elections import services
from elections.models import Election, ElectionRules
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, shot
from tests.factories import MemberFactory, UnionGroupFactory
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_votes_on_a_phone_and_the_chair_closes_and_prints(live_server, chair, member_user, new_context):
    today = datetime.date.today()
    election = Election.objects.create(title="第五届委员会选举", kind="committee", seats=1, held_on=today,
                                       roll_date=today, rules=ElectionRules.objects.get(kind="committee"))
    group = UnionGroupFactory()
    services.nominations_open(election=election, closes_on=None, actor=chair)
    services.group_nomination_save(
        election=election, union_group=group, members_present=2, actor=chair,
        nominees=[(MemberFactory(name=name, union_group=group), 2) for name in ("张三丰", "李四光")])
    nominees = list(election.candidates.all())
    services.candidates_review(election=election, passed=nominees, actor=chair)
    services.candidates_submit(election=election, on=today, actor=chair)
    services.roll_freeze(election=election, actor=chair)  # chair, member and the two candidates: 4 on the roll

    desk = new_context("desktop", locale="zh-CN").new_page()
    browser_login(desk, live_server, chair)
    desk.goto(f"/admin/elections/election/{election.pk}/change/")
    check_page(desk, chinese=True)
    expect(desk.locator("#composition")).to_be_visible()
    desk.get_by_role("link", name="登记上级工会批复").click()
    desk.fill("input[name=reference]", "市总工会〔2026〕12号")
    desk.locator("#content form [type=submit]").first.click()
    expect(desk.locator("ul.messagelist .success")).to_contain_text("上级工会批复已记录")
    desk.get_by_role("link", name="开始投票").click()
    desk.locator("#content form [type=submit]").first.click()
    expect(desk.locator("ul.messagelist .success")).to_contain_text("投票已开始")
    shot(desk, "election-1-voting-open")

    phone = new_context("phone", locale="zh-CN").new_page()
    browser_login(phone, live_server, member_user, totp=False)
    phone.goto("/")
    phone.get_by_role("link", name="第五届委员会选举").click()
    phone.get_by_label("张三丰").check()
    phone.locator("input[name=confirm]").check()
    check_page(phone, phone=True, chinese=True)
    shot(phone, "election-2-ballot-phone")
    phone.locator("form.ballot [type=submit]").click()
    expect(phone.get_by_text("已投票").first).to_be_visible()
    assert phone.locator("input[name=candidates]").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "election-3-voted-phone")

    desk.goto(f"/admin/elections/election/{election.pk}/change/")
    desk.get_by_role("link", name="登记票箱计票结果").click()
    a, b = election.candidates.order_by("member__name_initials")
    by_name = {c.member.name: c for c in (a, b)}
    desk.fill("input[name=label]", "第1号票箱")
    desk.fill("input[name=issued]", "3")
    desk.fill("input[name=returned]", "3")
    desk.fill("input[name=invalid]", "0")
    desk.fill("input[name=scrutineers]", "赵监票")
    desk.fill("input[name=tellers]", "钱计票")
    desk.fill(f"input[name=votes_{by_name['张三丰'].pk}]", "2")
    desk.fill(f"input[name=votes_{by_name['李四光'].pk}]", "1")
    desk.locator("#content form [type=submit]").first.click()
    expect(desk.locator("ul.messagelist .success")).to_contain_text("第1号票箱")
    desk.get_by_role("link", name="结束投票并计票").click()
    expect(desk.locator("#count-figures")).to_contain_text("1")
    check_page(desk, chinese=True)
    desk.locator("#content form [type=submit]").first.click()
    expect(desk.locator("ul.messagelist .success")).to_contain_text("投票已结束并完成计票")
    # The result PDF is rendered in the request (one page, but WeasyPrint subsets the CJK font): on a loaded
    # two-core machine that has taken longer than the default 15 s, so the download gets a minute.
    with desk.expect_download(timeout=60_000) as info:
        desk.locator("#tool-result-pdf").click(timeout=60_000)
    data = Path(info.value.path()).read_bytes()
    text = pdf_text(data)
    assert "选举结果报告" in text and "市总工会〔2026〕12号" in text
    assert re.search(r"收回选票\s+4\b", text) and re.search(r"张三丰\s+\S+\s+3\s+当选", text)
    assert_cjk_font_embedded(data)
    Path("/tmp/election-result.pdf").write_bytes(data)
    shot(desk, "election-4-counted")
    assert Election.objects.get(pk=election.pk).state == Election.State.CLOSED
