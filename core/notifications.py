"""Telling people things: an in-portal notification, and an email when they have an address.

Sent after the surrounding transaction commits, so nobody is told about something that was rolled back.
A failing mail server is logged and never undoes the notification or the change that caused it.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def notify(*, user, title, body="", url="", email=True):
    """Create the in-portal notification now; mail it after commit when the user has an email address."""
    if user is None:
        return None
    notification = Notification.objects.create(user=user, title=title, body=body, url=url)
    if email and user.email:
        transaction.on_commit(lambda: _mail(user.email, title, body, url))
    return notification


def absolute(url):
    """A portal link as mailed or posted elsewhere: paths get the site's address (SITE_URL) in front."""
    return settings.SITE_URL + url if url.startswith("/") else url


def mail_text(body, url):
    """The text of a mailed notification: the body, then the link on a line of its own."""
    return body if not url else f"{body}\n\n{absolute(url)}"


def _mail(address, title, body, url):
    try:
        send_mail(subject=title, message=mail_text(body, url), from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[address])
    except Exception:  # noqa: BLE001 — the notification stands; the mail failure is logged for the office
        logger.exception("could not mail notification to %s", address)


def notifications_mark_read(*, user, ids=None):
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
