import pytest
from django.core import mail

from core.models import Notification
from core.notifications import notify

pytestmark = pytest.mark.django_db(transaction=False)


def test_it_mails_an_absolute_link_after_commit(django_capture_on_commit_callbacks, member_user, settings):
    settings.SITE_URL = "https://portal.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member_user, title="座位已确认", body="您已获得名额。", url="/activities/mine/")
    assert Notification.objects.get(user=member_user).title == "座位已确认"
    assert len(mail.outbox) == 1
    assert "https://portal.example.org/activities/mine/" in mail.outbox[0].body


def test_it_keeps_the_notification_when_the_mail_server_fails(django_capture_on_commit_callbacks, member_user,
                                                              settings):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member_user, title="t", url="/x/")
    assert Notification.objects.filter(user=member_user).count() == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
