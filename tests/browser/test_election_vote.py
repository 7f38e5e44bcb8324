"""A member on a phone finds the open election on the home, marks a candidate, confirms and casts; then 已投票."""

import datetime

import pytest

from elections import services
from elections.models import Ballot, Candidate, Election, ElectionRules, Voter
from tests.browser.conftest import browser_login
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_votes_on_a_phone(live_server, member_user, chair, phone_page, new_context, settings):
    settings.LANGUAGE_CODE = "en"
    today = datetime.date.today()
    election = Election.objects.create(title="Committee election 2026", kind="committee", seats=1, held_on=today,
                                       roll_date=today, rules=ElectionRules.objects.get(kind="committee"))
    election = services.roll_freeze(election=election, actor=chair)
    for name in ("张三丰", "李四光"):
        Candidate.objects.create(election=election, member=MemberFactory(name=name), approved=True)
    election.state = Election.State.VOTING
    election.save()
    page = phone_page
    browser_login(page, live_server, member_user, totp=False)
    page.goto("/")
    page.get_by_role("link", name="Committee election 2026").click()
    page.get_by_label("张三丰").check()
    page.screenshot(path="/tmp/election_vote_phone.png", full_page=True)
    page.get_by_role("button", name="Cast my ballot").click()
    assert Ballot.objects.count() == 0  # not confirmed yet: nothing cast
    page.get_by_label("张三丰").check()
    page.get_by_label("I have checked my choices", exact=False).check()
    page.get_by_role("button", name="Cast my ballot").click()
    assert page.get_by_text("Your ballot was cast").is_visible()
    assert page.get_by_text("Voted", exact=True).first.is_visible()
    assert page.locator("input[name=candidates]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/election_voted_phone.png", full_page=True)
    assert page.js_errors == []
    assert Ballot.objects.filter(election=election).count() == 1
    assert Voter.objects.get(election=election, member=member_user.member).voted
    zh = new_context(viewport="phone", locale="zh-CN").new_page()
    browser_login(zh, live_server, member_user, totp=False)
    zh.goto(f"/elections/{election.pk}/vote/")
    zh.screenshot(path="/tmp/election_voted_phone_zh.png", full_page=True)
    assert zh.get_by_text("已投票").first.is_visible()
