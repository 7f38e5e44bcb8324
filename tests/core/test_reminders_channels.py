"""Channels: a work-chat robot on a local HTTP server, retries with backoff, and failures that stay on their channel."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from core import reminder_engine
from core.models import Notification, ReminderDispatch, WorkChatWebhook
from core.reminders import COLLECTORS, Reminder

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 10)


class Robot:
    """A group robot on 127.0.0.1: answers from `script` (status codes; the last one repeats), records posts."""

    def __init__(self, script, *, delay=0.0, body=b'{"errcode":0,"errmsg":"ok"}'):
        self.script, self.delay, self.body, self.posts = list(script), delay, body, []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                robot.posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                status = robot.script.pop(0) if len(robot.script) > 1 else robot.script[0]
                time.sleep(robot.delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                try:
                    self.wfile.write(robot.body if status == 200 else b"oops")
                except BrokenPipeError:  # the client gave up waiting (the timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robots():
    started = []

    def start(*args, **kwargs):
        robot = Robot(*args, **kwargs)
        started.append(robot)
        return robot

    yield start
    for robot in started:
        robot.close()


@pytest.fixture
def people(monkeypatch, make_persona):
    users = [make_persona(f"p{i}") for i in range(3)]
    for kind in list(COLLECTORS):
        monkeypatch.delitem(COLLECTORS, kind)

    def collect(*, since, today, config=None):
        for user in users:
            yield Reminder(recipient_id=user.pk, key=f"test:{user.pk}", kind="test", title="生日提醒：张三",
                           body="张三 将于 3月17日 过生日", remind_on=today, url="/members/1/")

    monkeypatch.setitem(COLLECTORS, "test", collect)
    return users


def states(channel):
    return set(ReminderDispatch.objects.filter(channel=channel).values_list("status", "attempts"))


def test_a_wecom_robot_gets_one_text_message_per_recipient(robots, people, settings):
    settings.SITE_URL = "https://portal.example.org"
    robot = robots([200])
    hook = WorkChatWebhook.objects.create(name="工会群", kind="wecom", url=robot.url)
    run, failed = reminder_engine.reminders_run(today=TODAY)
    assert not failed and run.failed == 0
    assert len(robot.posts) == 3
    post = robot.posts[0]
    assert post["msgtype"] == "text" and set(post) == {"msgtype", "text"}
    content = post["text"]["content"]
    assert content.startswith("生日提醒：张三") and f"@{people[0].member.name}" in content
    assert "https://portal.example.org/members/1/" in content
    assert states(hook.channel) == {("delivered", 1)}
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3


def test_a_dingtalk_robot_gets_the_keyword_and_a_refusal_counts_as_a_failure(robots, people, settings):
    settings.REMINDER_MAX_RETRIES = 0
    robot = robots([200], body=b'{"errcode":310000,"errmsg":"keywords not in content"}')
    hook = WorkChatWebhook.objects.create(name="钉钉群", kind="dingtalk", url=robot.url, keyword="工会")
    reminder_engine.reminders_run(today=TODAY)
    assert robot.posts[0]["text"]["content"].startswith("工会 生日提醒")
    assert robot.posts[0]["msgtype"] == "text"
    row = ReminderDispatch.objects.filter(channel=hook.channel).first()
    assert row.status == "failed" and "keywords not in content" in row.last_error


def test_a_robot_that_answers_500_is_retried_and_then_delivers(robots, people, django_capture_on_commit_callbacks):
    from core.reminder_engine import send_reminders

    robot = robots([500, 200])
    hook = WorkChatWebhook.objects.create(name="工会群", kind="wecom", url=robot.url)
    result = send_reminders(TODAY.isoformat())  # the retry task runs eagerly in tests (no countdown)
    assert result["failed"] == 1
    assert len(robot.posts) == 4  # three posts, the first refused; the retry sends that one again
    assert states(hook.channel) == {("delivered", 1), ("delivered", 2)}
    assert ReminderDispatch.objects.filter(channel=hook.channel, attempts=2).count() == 1
    assert states("portal") == {("delivered", 1)} and states("email") == {("delivered", 1)}


def test_a_robot_that_keeps_failing_never_blocks_portal_and_email(robots, people, settings):
    from core.reminder_engine import send_reminders

    settings.REMINDER_MAX_RETRIES = 2
    robot = robots([500])
    hook = WorkChatWebhook.objects.create(name="工会群", kind="wecom", url=robot.url)
    send_reminders(TODAY.isoformat())
    # first try + the retry task and its two retries, for each of the three recipients
    assert len(robot.posts) == 3 * 4
    assert states(hook.channel) == {("failed", 4)}
    assert "500" in ReminderDispatch.objects.filter(channel=hook.channel).first().last_error
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3
    assert states("portal") == {("delivered", 1)} and states("email") == {("delivered", 1)}

    robot.script = [200]  # the robot is back: the next daily run delivers what failed
    send_reminders((TODAY + datetime.timedelta(days=1)).isoformat())
    assert states(hook.channel) == {("delivered", 5)}
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3


def test_a_robot_that_does_not_answer_times_out(robots, people, settings):
    settings.REMINDER_WEBHOOK_TIMEOUT = 1
    settings.REMINDER_MAX_RETRIES = 0
    robot = robots([200], delay=3)
    hook = WorkChatWebhook.objects.create(name="工会群", kind="wecom", url=robot.url)
    started = time.monotonic()
    reminder_engine.reminders_run(today=TODAY)
    assert time.monotonic() - started < 8
    assert states(hook.channel) == {("failed", 1)}
    assert states("portal") == {("delivered", 1)}


def test_a_disabled_robot_gets_nothing(robots, people):
    robot = robots([200])
    WorkChatWebhook.objects.create(name="停用", kind="wecom", url=robot.url, enabled=False)
    reminder_engine.reminders_run(today=TODAY)
    assert robot.posts == []
    assert not ReminderDispatch.objects.filter(channel__startswith="webhook:").exists()


class RefusingBackend(EmailBackend):
    """Refuses mail to the first recipient of the test; takes the rest."""

    refused = set()

    def send_messages(self, messages):
        if any(set(m.to) & self.refused for m in messages):
            raise ConnectionRefusedError("mail server refused")
        return super().send_messages(messages)


def test_an_email_failure_is_retried_on_its_own(people, settings):
    from core.reminder_engine import send_reminders

    settings.EMAIL_BACKEND = "tests.core.test_reminders_channels.RefusingBackend"
    settings.REMINDER_MAX_RETRIES = 1
    RefusingBackend.refused = {people[0].email}
    send_reminders(TODAY.isoformat())
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 2
    refused = ReminderDispatch.objects.get(channel="email", delivery__recipient=people[0])
    assert refused.status == "failed" and refused.attempts == 3 and "refused" in refused.last_error

    RefusingBackend.refused = set()
    send_reminders((TODAY + datetime.timedelta(days=1)).isoformat())
    refused.refresh_from_db()
    assert refused.status == "delivered" and len(mail.outbox) == 3
    assert Notification.objects.count() == 3
