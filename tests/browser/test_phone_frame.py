"""Every member page in a real browser at 390×844 (phone) and 1366×900 (laptop): no sideways scroll, tap targets at
least 44 px high, and axe-core (tools/axe, npm with a committed lock) finds no serious or critical violation."""

from pathlib import Path

import pytest

from core.models import Notification
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.browser.conftest import browser_login
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
MEMBER_PAGES = ["/", "/activities/", "/activities/mine/", "/members/me/", "/notifications/", "/finance/dues/me/",
                "/welfare/mine/"]
VIEWPORTS = {"phone": None, "desktop": {"width": 1366, "height": 900}}

# Links and buttons a finger must hit: visible, in the page's own frame (not inline links inside running text).
_SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
      'nav a, button, .button, summary, input[type=submit], .home-row, .actions a'))
    .filter(el => el.offsetParent !== null)
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.height < 44)
    .map(([el, r]) => `${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.height)}px`)"""

_AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}"""


def _member_data(member_user):
    mine = ActivityFactory(title="秋游植物园")
    RegistrationFactory(activity=mine, member=member_user.member)
    full = ActivityFactory(title="疗休养", capacity=1)
    RegistrationFactory(activity=full, member=MemberFactory())
    ActivityFactory(title="羽毛球赛")
    Notification.objects.create(user=member_user, title="会费已到账")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_member_pages_fit_have_big_targets_and_pass_axe(new_context, live_server, member_user, viewport, locale):
    assert AXE.exists(), "axe-core is not installed: make test runs npm ci in tools/axe (scripts/services.sh)"
    _member_data(member_user)
    page = new_context("phone" if viewport == "phone" else "desktop", locale=locale).new_page()
    if VIEWPORTS[viewport]:
        page.set_viewport_size(VIEWPORTS[viewport])
    browser_login(page, live_server, member_user, totp=False)
    problems, checked = [], 0
    for url in MEMBER_PAGES:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            problems.append(f"{url}: scrolls sideways")
        small = page.evaluate(_SMALL_TARGETS)
        if small:
            problems.append(f"{url}: tap targets under 44px: {small}")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(_AXE_RUN)
        if violations:
            problems.append(f"{url}: axe {violations}")
        checked += 1
        if url == "/" and viewport == "phone":
            page.screenshot(path=f"/tmp/phone_home_{locale}.png")
    assert page.js_errors == []
    assert checked == len(MEMBER_PAGES)
    assert problems == []
