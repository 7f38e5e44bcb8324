"""In a real browser, on phones: member A takes the last seat, member B is waitlisted, A cancels, B finds (after a
reload) that the seat is theirs and has a notification, and B adds the activity to the phone's calendar (.ics)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from activities.models import Registration
from activities.registration import registration_create
from tests.activities.factories import ActivityFactory, QuestionFactory
from tests.browser.conftest import browser_login
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_activity_from_the_list(page, title):
    page.goto("/activities/")
    page.get_by_role("link", name=re.compile(title)).click()
    expect(page.locator("h1")).to_have_text(title)
    assert _fits_the_screen(page)


def test_a_waitlisted_member_gets_the_seat_when_another_cancels(live_server, new_context, member_user,
                                                                make_persona):
    title = "香山秋游"
    activity = ActivityFactory(title=title, capacity=2, place="香山公园, 东门")
    question = QuestionFactory(activity=activity, label="T-shirt size", kind="choice", choices="S\nM\nL",
                               required=True)
    registration_create(activity=activity, member=MemberFactory(), answers={question.pk: "M"}, actor=None)
    member_a, member_b = member_user, make_persona("member_b", Role.MEMBER)
    phone_a, phone_b = new_context("phone").new_page(), new_context("phone").new_page()
    browser_login(phone_a, live_server, member_a, totp=False)
    browser_login(phone_b, live_server, member_b, totp=False)

    # A takes the last seat, answering the question.
    _open_activity_from_the_list(phone_a, title)
    phone_a.get_by_label("L", exact=True).check()
    phone_a.get_by_role("button", name="Register").click()
    expect(phone_a.locator("ul.messages")).to_contain_text(f"You are registered for {title}.")
    expect(phone_a.locator("#registration")).to_contain_text("You are registered")

    # B finds it full and joins the waitlist.
    _open_activity_from_the_list(phone_b, title)
    expect(phone_b.locator("body")).to_contain_text("The activity is full: you will join the waitlist.")
    phone_b.get_by_label("S", exact=True).check()
    phone_b.get_by_role("button", name="Join the waitlist").click()
    expect(phone_b.locator("ul.messages")).to_contain_text("you are number 1 on the waitlist")
    phone_b.goto("/activities/mine/")
    expect(phone_b.locator(".my-activity").first).to_contain_text("On the waitlist: number 1")
    assert _fits_the_screen(phone_b)

    # A cancels, through the confirmation step.
    phone_a.get_by_role("link", name="Cancel my registration").click()
    expect(phone_a.locator("h1")).to_have_text("Cancel your registration?")
    phone_a.fill("input[name=reason]", "临时出差")
    phone_a.get_by_role("button", name="Yes, cancel my registration").click()
    expect(phone_a.locator("ul.messages")).to_contain_text("Your registration is cancelled.")

    # B reloads "my activities": the seat is theirs, with a check-in code, and a notification says so.
    phone_b.reload()
    card = phone_b.locator(".my-activity").first
    expect(card).to_contain_text("You are registered")
    card.locator("summary").click()
    expect(card.locator(".qr-code svg")).to_be_visible()
    assert _fits_the_screen(phone_b)
    phone_b.get_by_role("link", name=re.compile("unread notification")).click()
    expect(phone_b.locator(".notification.unread").first).to_contain_text(title)
    assert Registration.objects.get(activity=activity, member=member_b.member).status == "confirmed"

    # B adds it to the phone's calendar.
    phone_b.goto("/activities/mine/")
    with phone_b.expect_download() as download_info:
        phone_b.locator(".my-activity").first.get_by_role("link", name="Add to calendar").click()
    download = download_info.value
    assert download.suggested_filename == f"activity-{activity.pk}.ics"
    content = download.path().read_text(encoding="utf-8")
    assert content.startswith("BEGIN:VCALENDAR") and f"SUMMARY:{title}" in content
    assert "LOCATION:香山公园\\, 东门" in content
    assert phone_a.js_errors == [] and phone_b.js_errors == []
