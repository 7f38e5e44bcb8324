"""In a real browser on a phone-sized screen (issue §3, §6): the organiser — a plain member, no staff role — opens
the check-in page, finds someone by pinyin initials, ticks them in, adds a walk-in, and checks a third person in
by pasting the code a scanner app read from their QR code. The counts at the top follow along; the database
agrees afterwards."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from activities import checkin
from activities.checkin_token import make_checkin_token
from activities.models import Registration, RegistrationEvent
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.browser.conftest import browser_login
from tests.factories import DepartmentFactory, MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _count(page, name):
    return page.locator(f'#checkin-counts [data-count="{name}"]')


def test_the_organiser_checks_people_in_on_a_phone(live_server, phone_page):
    user = UserFactory(username="organiser", roles=[Role.MEMBER])
    organiser = MemberFactory(user=user, name="罗组织")
    assert not user.is_staff and not user.has_perm("activities.check_in")
    now = timezone.now()
    outing = ActivityFactory(title="秋季登山", organiser=organiser, starts_at=now + datetime.timedelta(minutes=30),
                             registration_opens_at=now - datetime.timedelta(days=10),
                             registration_closes_at=now - datetime.timedelta(days=1))
    office = DepartmentFactory(name="办公室")
    zhang, li, wang = (RegistrationFactory(activity=outing, member=MemberFactory(name=name, department=office))
                       for name in ("张三明", "李四", "王五"))
    colleague = MemberFactory(name="赵六", department=office)

    page = phone_page
    browser_login(page, live_server, user, totp=False)
    page.goto(f"/activities/{outing.pk}/check-in/")
    expect(page.locator("h1")).to_contain_text("秋季登山")
    expect(_count(page, "checked_in")).to_have_text("0")
    expect(_count(page, "registered")).to_have_text("3")
    assert _fits_the_screen(page)

    # Types pinyin initials: the list narrows as they type (no page load).
    search = page.locator("#checkin-q")
    search.press_sequentially("zsm", delay=60)
    rows = page.locator("#checkin-registrations li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张三明")
    assert "q=zsm" in page.url

    # Ticks 张三明 in.
    rows.first.locator("button[data-action=tick]").click()
    expect(page.locator("#checkin-message")).to_contain_text("张三明 is checked in.")
    expect(_count(page, "checked_in")).to_have_text("1")
    expect(rows.first.locator("button[data-action=undo]")).to_be_visible()

    # 赵六 has no seat: found by initials among the others, added as a walk-in with a reason.
    search.fill("")
    search.press_sequentially("zl", delay=60)
    other = page.locator("#checkin-others li", has_text="赵六")
    expect(other).to_be_visible()
    other.locator("a[data-action=walk-in]").click()
    expect(page).to_have_url(re.compile(rf"/activities/{outing.pk}/check-in/walk-in/{colleague.pk}/"))
    page.fill("input[name=reason]", "替同事参加")
    page.click("#walk-in-confirm")
    expect(page).to_have_url(re.compile(rf"/activities/{outing.pk}/check-in/\?q=zl$"))
    expect(page.locator("ul.messages")).to_contain_text("赵六 added as a walk-in and checked in.")
    expect(_count(page, "checked_in")).to_have_text("2")
    expect(_count(page, "walk_ins")).to_have_text("1")

    # 王五 shows their QR code; the scanner app's text is pasted into the scan page.
    page.click("#checkin-scan-link")
    expect(page).to_have_url(re.compile(rf"/activities/{outing.pk}/check-in/scan/$"))
    page.fill("input[name=token]", make_checkin_token(wang.member, outing))
    page.locator("#scan-form button[type=submit]").click()
    expect(page.locator("#checkin-message")).to_contain_text("王五 is checked in.")
    expect(_count(page, "checked_in")).to_have_text("3")
    expect(page.locator("input[name=token]")).to_have_value("")
    assert _fits_the_screen(page)

    # Back on the list, everyone is there with the right counts.
    page.goto(f"/activities/{outing.pk}/check-in/")
    expect(_count(page, "checked_in")).to_have_text("3")
    expect(_count(page, "registered")).to_have_text("3")
    expect(page.locator("#checkin-registrations li.done")).to_have_count(3)
    assert page.js_errors == []

    # The database agrees: three check-ins by the organiser, one of them a walk-in; 李四 has not come.
    for registration in (zhang, wang):
        registration.refresh_from_db()
        assert registration.checked_in_at and registration.checked_in_by == user
    li.refresh_from_db()
    assert li.checked_in_at is None
    walk_in = Registration.objects.get(activity=outing, member=colleague)
    assert walk_in.walk_in and walk_in.status == Registration.Status.CONFIRMED and walk_in.checked_in_by == user
    assert walk_in.events.get(kind=RegistrationEvent.Kind.WALK_IN).reason == "替同事参加"
    assert RegistrationEvent.objects.filter(kind=RegistrationEvent.Kind.CHECKED_IN, actor=user).count() == 3
    assert wang.events.get(kind=RegistrationEvent.Kind.CHECKED_IN).reason == checkin.site_text("QR code scanned")
