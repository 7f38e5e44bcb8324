"""The chair follows a 诉求 from received to closed, in Chinese: the member files it on a phone, the chair accepts
it, hands it to its owner with a deadline and answers; the member is not satisfied (on the phone), the chair answers
a second time and closes it (销号). Screenshots of the same pages in English too."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import browser_login
from voice.models import Item, ItemStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/tracker_{}.png"


def _submit(page, form):
    page.locator(f'form[data-form="{form}"] button[type=submit]').click()
    page.wait_for_load_state()


def test_the_chair_follows_a_demand_from_received_to_closed(live_server, chair, member_user, new_context):
    phone = new_context("phone", locale="zh-CN").new_page()
    browser_login(phone, live_server, member_user, totp=False)
    phone.goto("/")
    phone.get_by_role("link", name="向工会反映").first.click()
    phone.get_by_label("意见箱").check()
    phone.fill("input[name=title]", "食堂早餐时间")
    phone.fill("textarea[name=text]", "建议早餐提前到 7:00 开放。")
    phone.screenshot(path=SHOTS.format("member_new_zh"), full_page=True)
    phone.locator("form.stacked button[type=submit]").click()
    assert phone.get_by_text("谢谢，您的事项已收到。").is_visible()
    item = Item.objects.get()
    assert (item.state, item.member) == (Item.State.RECEIVED, member_user.member)

    desk = new_context("desktop", locale="zh-CN").new_page()
    browser_login(desk, live_server, chair)
    desk.goto("/voice/tracker/manage/")
    desk.get_by_role("link", name="食堂早餐时间").click()
    desk.get_by_role("button", name="受理", exact=True).click()
    desk.wait_for_load_state()
    assert desk.get_by_text("已记录。").is_visible()
    desk.select_option('form[data-form="assign"] select[name=owner_user]', str(chair.pk))
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    desk.fill('form[data-form="assign"] input[name=deadline]', deadline.isoformat())
    _submit(desk, "assign")
    desk.fill('form[data-form="answer"] textarea[name=answer]', "已与服务中心商定，下周起 7:30 开放。")
    _submit(desk, "answer")
    desk.screenshot(path=SHOTS.format("chair_answered_zh"), full_page=True)
    item.refresh_from_db()
    assert (item.state, item.answer_count) == (Item.State.ANSWERED, 1)

    phone.goto("/")
    assert phone.get_by_text("已答复，请评价").is_visible()
    phone.get_by_role("link", name="食堂早餐时间").first.click()
    phone.get_by_label("不满意").check()
    phone.fill("textarea[name=comment]", "希望提前到 7:00。")
    phone.screenshot(path=SHOTS.format("member_rate_zh"), full_page=True)
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    item.refresh_from_db()
    assert item.state == Item.State.ASSIGNED and item.rating == Item.Rating.UNSATISFIED

    desk.reload()
    desk.fill('form[data-form="answer"] textarea[name=answer]', "经再次协调，下周一起 7:00 开放。")
    _submit(desk, "answer")
    _submit(desk, "close")
    desk.screenshot(path=SHOTS.format("chair_closed_zh"), full_page=True)
    item.refresh_from_db()
    assert item.state == Item.State.CLOSED and item.answer_count == 2
    assert list(item.steps.values_list("kind", flat=True)) == [
        ItemStep.Kind.RECEIVED, ItemStep.Kind.ACCEPTED, ItemStep.Kind.ASSIGNED, ItemStep.Kind.ANSWERED,
        ItemStep.Kind.RATED, ItemStep.Kind.ANSWERED, ItemStep.Kind.CLOSED]
    assert desk.js_errors == [] and phone.js_errors == []

    # The same pages in English.
    desk_en = new_context("desktop").new_page()
    browser_login(desk_en, live_server, chair)
    desk_en.goto(f"/voice/tracker/{item.pk}/")
    assert desk_en.get_by_text("closed (销号)").first.is_visible()
    desk_en.screenshot(path=SHOTS.format("chair_item_en"), full_page=True)
    phone_en = new_context("phone").new_page()
    browser_login(phone_en, live_server, member_user, totp=False)
    phone_en.goto("/voice/tracker/")
    phone_en.screenshot(path=SHOTS.format("member_mine_en"), full_page=True)
    assert phone_en.get_by_text("My demands and suggestions").first.is_visible()
