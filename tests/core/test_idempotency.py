"""One-time form tokens (core.idempotency): a token is carried out once; a missing, edited or forged one carries
out nothing; a refusal leaves the token unused; the admin's confirmation pages and the reminders' "run now" use it."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation

from core.idempotency import FIELD, AlreadySubmitted, new_token, submit_once, token_key
from core.models import FormSubmission, Notification
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import MemberFactory, UserFactory
from tests.once import once

pytestmark = pytest.mark.django_db


def _request(token):
    request = RequestFactory().post("/somewhere/", {} if token is None else {FIELD: token})
    request.user = AnonymousUser()
    return request


def test_a_token_is_carried_out_once_and_the_second_goes_where_the_first_went():
    token, done = new_token(), []
    request = _request(token)
    assert submit_once(request, scope="test", perform=lambda: done.append(1) or 7, url=lambda n: f"/thing/{n}/") == 7
    with pytest.raises(AlreadySubmitted) as second:
        submit_once(_request(token), scope="test", perform=lambda: done.append(2), url="/other/")
    assert done == [1] and second.value.url == "/thing/7/"
    assert FormSubmission.objects.get().url == "/thing/7/"


@pytest.mark.parametrize("token", [None, "", "0" * 32, "abc:def", new_token()[:-1] + "x", new_token() + "0"],
                         ids=["none", "empty", "zeros", "not-signed", "forged-signature", "one-character-more"])
def test_a_missing_or_forged_token_carries_out_nothing(token):
    done = []
    with translation.override("en"), pytest.raises(ValidationError, match="out of date"):
        submit_once(_request(token), scope="test", perform=lambda: done.append(1), url="/x/")
    assert done == [] and not FormSubmission.objects.exists()


def test_a_refusal_leaves_the_token_unused_for_the_corrected_form():
    token = new_token()

    def refuse():
        raise ValidationError("no")

    with pytest.raises(ValidationError):
        submit_once(_request(token), scope="test", perform=refuse, url="/x/")
    assert not FormSubmission.objects.exists()
    assert submit_once(_request(token), scope="test", perform=lambda: "ok", url="/x/") == "ok"


def test_tokens_are_random_and_signed():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(token_key(token) for token in tokens)
    assert token_key(tokens.pop().replace(":", ":0", 1)) is None


def test_the_template_tag_renders_a_fresh_hidden_token():
    html = Template("{% load idempotency %}{% form_token %}{% form_token %}").render(Context())
    values = [part.split('"', 1)[0] for part in html.split('value="')[1:]]
    assert html.count(f'type="hidden" name="{FIELD}"') == 2 and values[0] != values[1]
    assert all(token_key(value) for value in values)


def test_the_message_speaks_chinese_first():
    with translation.override("zh-hans"):
        assert "已提交过，未重复记录" in AlreadySubmitted().message


def test_run_now_posted_twice_queues_the_reminders_once(chair, login, settings,
                                                        django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"
    client = login(chair, use_client=Client())
    page = once()
    with mock.patch("core.reminder_engine.send_reminders.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        assert client.post("/admin/core/reminderrun/run-now/", page).status_code == 302
        second = client.post("/admin/core/reminderrun/run-now/", page, follow=True)
    assert delay.call_count == 1
    assert "This form was submitted already; nothing was recorded twice." in [
        str(message) for message in second.context["messages"]]


def test_an_activity_cancelled_twice_tells_its_registrants_once(chair, login, settings,
                                                                django_capture_on_commit_callbacks):
    """The cancelled activity is closed to changes: the repeated page is refused (403) before anything is done."""
    settings.LANGUAGE_CODE = "en"
    activity = ActivityFactory()
    RegistrationFactory(activity=activity, member=MemberFactory(user=UserFactory(username="registrant")))
    client = login(chair, use_client=Client())
    page = once(reason="天气预报有暴雨")
    url = f"/admin/activities/activity/{activity.pk}/cancel/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, page).status_code == 302
    told = Notification.objects.count()
    assert told == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, page).status_code in (302, 403)
        assert client.post(url, once(reason="天气预报有暴雨")).status_code in (200, 403)
    assert Notification.objects.count() == told
