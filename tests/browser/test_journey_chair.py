"""Journey of the chair (主席), in the Chinese console: sets up an activity for women members (三八节), publishes it,
a woman member registers for it on her phone (a man does not see it), and the chair reads the registrations."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, ActivityType, Registration
from tests.browser.conftest import browser_login
from tests.browser.journey import check_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _when(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return day.isoformat(), f"{hour:02d}:00:00"


def _fill_datetime(page, name, days, hour):
    date, time = _when(days, hour)
    page.fill(f"input[name={name}_0]", date)
    page.fill(f"input[name={name}_1]", time)


def test_the_chair_publishes_an_activity_a_member_registers_and_the_chair_sees_it(live_server, chair, make_persona,
                                                                                  new_context):
    assert ActivityType.objects.filter(name="文体活动").exists()  # seeded
    woman = make_persona("lili", "member", name="李丽", male=False)
    man = make_persona("dagang", "member", name="张大刚", male=True)

    desk = new_context("desktop", locale="zh-CN").new_page()
    browser_login(desk, live_server, chair)
    desk.goto("/admin/activities/activity/add/")
    expect(desk.locator("h1")).to_contain_text("增加")
    check_page(desk, chinese=True)
    desk.fill("input[name=title]", "三八节插花活动")
    desk.select_option("select[name=activity_type]", label="文体活动")
    desk.fill("textarea[name=description]", "请带好围裙。")
    desk.fill("input[name=place]", "机关活动中心二楼")
    _fill_datetime(desk, "starts_at", 10, 14)
    _fill_datetime(desk, "ends_at", 10, 16)
    _fill_datetime(desk, "registration_opens_at", -1, 9)
    _fill_datetime(desk, "registration_closes_at", 8, 18)
    desk.fill("input[name=capacity]", "20")
    desk.select_option("select[name=audience]", "women")
    desk.locator("input[name=_continue]").click()
    expect(desk.locator("ul.messagelist .success")).to_be_visible()
    check_page(desk, chinese=True)
    activity = Activity.objects.get(title="三八节插花活动")
    assert activity.state == "draft"

    desk.locator("#tool-publish").click()
    desk.locator("#content form [type=submit]").first.click()
    expect(desk.locator("ul.messagelist .success")).to_contain_text("“三八节插花活动”已发布。")
    check_page(desk, chinese=True)
    shot(desk, "chair-1-published")

    # A woman member finds it and registers; a man does not see it.
    phone = new_context("phone").new_page()
    browser_login(phone, live_server, woman, totp=False)
    phone.goto("/activities/")
    phone.get_by_role("link", name=re.compile("三八节插花活动")).click()
    expect(phone.locator("main")).to_contain_text("机关活动中心二楼")
    phone.get_by_role("button", name="Register", exact=True).click()
    expect(phone.locator("ul.messages")).to_contain_text("You are registered for 三八节插花活动.")
    check_page(phone, phone=True)
    other = new_context("phone").new_page()
    browser_login(other, live_server, man, totp=False)
    other.goto("/activities/")
    expect(other.locator("main")).not_to_contain_text("三八节插花活动")
    check_page(other, phone=True)

    # The chair reads the registrations.
    desk.goto(f"/admin/activities/activity/{activity.pk}/change/")
    desk.locator("#tool-registrations").click()
    expect(desk.locator("#content")).to_contain_text("李丽")
    expect(desk.locator("#content")).not_to_contain_text("张大刚")
    check_page(desk, chinese=True)
    shot(desk, "chair-2-registrations")
    assert Registration.objects.get(activity=activity).member == woman.member
