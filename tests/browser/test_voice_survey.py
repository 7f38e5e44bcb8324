"""A member on a phone reads a notice and answers an anonymous 会员评家 survey; the answer is recorded once and the
notice's read receipt is kept."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import browser_login
from voice.models import Notice, NoticeRead, Participation, Response, Survey
from voice.surveys.services import survey_from_template, survey_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_reads_a_notice_and_answers_an_anonymous_survey_on_a_phone(live_server, member_user, chair,
                                                                            phone_page, settings):
    settings.LANGUAGE_CODE = "en"
    notice = Notice.objects.create(title="Canteen opening hours", body="<p>From Monday 7:00</p>",
                                   state=Notice.State.PUBLISHED, published_at=timezone.now())
    survey = survey_from_template(kind=Survey.Kind.SATISFACTION, title="Rate the union 2026", actor=chair,
                                  closes_at=timezone.now() + datetime.timedelta(days=5))
    survey_publish(survey=survey, actor=chair)
    page = phone_page
    browser_login(page, live_server, member_user, totp=False)
    page.goto("/voice/notices/")
    page.get_by_role("link", name="Canteen opening hours").click()
    assert page.get_by_text("From Monday 7:00").is_visible()
    page.goto("/voice/surveys/")
    page.get_by_role("link", name="Rate the union 2026").click()
    assert page.get_by_text("This survey is anonymous").is_visible()
    for fieldset in page.locator("fieldset").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.nth(4).check()  # 5 = very satisfied
    page.locator("textarea").first.fill("More sports, please")
    page.screenshot(path="/tmp/voice_survey_phone.png", full_page=True)
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_text("your response was recorded").is_visible()
    assert page.get_by_text("Responded").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.js_errors == []
    assert Participation.objects.filter(survey=survey, member=member_user.member, response=None).count() == 1
    assert Response.objects.filter(survey=survey).count() == 1
    assert NoticeRead.objects.filter(notice=notice, member=member_user.member).exists()
