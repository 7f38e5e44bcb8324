"""The ways a reminder reaches someone: the portal's bell, email, and a work-chat group robot.

Each channel sends a batch of messages and reports, per message, whether it went; one message (or one
channel) failing never stops the others. The reminder engine keeps the per-channel state and retries
only what failed. Portal and email are separate channels here (core.notifications.notify does both at
once and swallows mail errors, which would hide a failed email from the ledger).
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import Notification
from .notifications import absolute, mail_text

logger = logging.getLogger(__name__)

PORTAL = "portal"
EMAIL = "email"
WEBHOOK_PREFIX = "webhook:"


class ChannelError(Exception):
    """The channel did not take the message (HTTP error, refused by the robot, mail server down)."""


@dataclass
class Message:
    """What one recipient is told on one channel in one go (one reminder, or a digest of several)."""

    recipient_id: int
    title: str
    body: str
    url: str = ""
    email: str = ""
    name: str = ""
    dispatch_ids: list[int] = field(default_factory=list)


def send_portal(messages):
    """All in-portal notifications in one insert; returns {index: error} for those that failed (all or none)."""
    try:
        Notification.objects.bulk_create(
            [Notification(user_id=m.recipient_id, title=m.title[:200], body=m.body, url=m.url[:300])
             for m in messages])
    except Exception as exc:  # noqa: BLE001 — reported per message to the ledger, retried later
        logger.exception("could not create portal notifications")
        return {i: repr(exc) for i in range(len(messages))}
    return {}


def send_email(messages):
    """One mail per message over one connection; a refused message does not stop the rest."""
    errors = {}
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as exc:  # noqa: BLE001
        logger.exception("could not connect to the mail server")
        return {i: repr(exc) for i in range(len(messages))}
    try:
        for i, m in enumerate(messages):
            text = mail_text(m.body, m.url)
            try:
                sent = connection.send_messages([EmailMessage(subject=m.title, body=text, to=[m.email],
                                                              from_email=settings.DEFAULT_FROM_EMAIL)])
                if not sent:
                    raise ChannelError("the mail server did not accept the message")
            except Exception as exc:  # noqa: BLE001
                logger.warning("could not mail reminder to user %s: %r", m.recipient_id, exc)
                errors[i] = repr(exc)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 — closing a broken connection must not turn sent mails into failures
            logger.exception("could not close the mail connection")
    return errors


def webhook_payload(webhook, message):
    """The robot's documented text message: {"msgtype": "text", "text": {"content": ...}} for both kinds."""
    lines = [f"{webhook.keyword} {message.title}".strip()]
    if message.name:
        lines.append(f"@{message.name}")
    if message.body:
        lines.append(message.body)
    if message.url:
        lines.append(absolute(message.url))
    return {"msgtype": "text", "text": {"content": "\n".join(lines)}}


def post_webhook(webhook, message):
    """POST one message to the robot; raises ChannelError unless the robot answers errcode 0."""
    data = json.dumps(webhook_payload(webhook, message), ensure_ascii=False).encode()
    request = urllib.request.Request(webhook.url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=settings.REMINDER_WEBHOOK_TIMEOUT) as response:
            answer = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChannelError(f"{webhook.name}: {exc}") from exc
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0  # a robot that answers 200 with no JSON took the message
    if errcode:
        raise ChannelError(f"{webhook.name}: the robot answered {answer[:300].decode(errors='replace')}")


def send_webhook(webhook, messages):
    errors = {}
    for i, m in enumerate(messages):
        try:
            post_webhook(webhook, m)
        except ChannelError as exc:
            logger.warning("work-chat robot %s failed: %s", webhook.pk, exc)
            errors[i] = str(exc)
    return errors


def send(channel, messages, *, webhooks):
    """Send `messages` on `channel`; returns {index: error text} for the ones that did not go."""
    if channel == PORTAL:
        return send_portal(messages)
    if channel == EMAIL:
        return send_email(messages)
    if channel.startswith(WEBHOOK_PREFIX):
        webhook = webhooks.get(int(channel.removeprefix(WEBHOOK_PREFIX)))
        if webhook is None or not webhook.enabled:
            return {i: "the work-chat robot was removed or disabled" for i in range(len(messages))}
        return send_webhook(webhook, messages)
    return {i: f"unknown channel {channel!r}" for i in range(len(messages))}

