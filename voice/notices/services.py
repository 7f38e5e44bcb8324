"""Writing notices: saving (the body sanitised), attachments, publishing and withdrawing, read receipts, and the
小组长's nudge to the members of the group who have not read a notice.

Delivery is not done here: the reminder engine's collector (voice.notices.reminders) hands each published notice
to its audience through the portal, e-mail and work-chat channels, once per person however often it runs.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.notifications import notify
from core.uploads import DOCUMENTS, upload_check

from ..models import Notice, NoticeAttachment, NoticeRead
from .richtext import clean_html
from .selectors import unread_members

#: Largest attachment, and the kinds accepted (by extension and content: core.uploads).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_KINDS = DOCUMENTS


def notice_save(*, notice, actor):
    """Save a notice with its body sanitised (the audit trail records the change)."""
    notice.body = clean_html(notice.body)
    if notice.created_by_id is None and actor is not None and actor.is_authenticated:
        notice.created_by = actor
    notice.save()
    return notice


def notice_publish(*, notice, actor, now=None):
    """Publish a draft (or a withdrawn notice again). Delivery follows with the next reminder run."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.state == Notice.State.PUBLISHED:
            raise ValidationError(_("This notice is published already."), code="published")
        if not notice.title.strip():
            raise ValidationError(_("A notice needs a title."), code="title")
        notice.state = Notice.State.PUBLISHED
        notice.published_at = notice.published_at or now or timezone.now()
        notice.save(update_fields=["state", "published_at"])
    return notice


def notice_withdraw(*, notice, actor):
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.state != Notice.State.PUBLISHED:
            raise ValidationError(_("Only a published notice can be withdrawn."), code="not_published")
        notice.state = Notice.State.WITHDRAWN
        notice.save(update_fields=["state"])
    return notice


def attachment_check(upload):
    """Refuse a file of the wrong kind (by extension or by content) or above the size limit (forms call this in
    their clean step); returns its kind (core.uploads.FileKind)."""
    return upload_check(upload, allowed=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)


def attachment_values(upload):
    """The fields of an attachment row (voice.models.Attachment) for ``upload``, once its size and kind pass."""
    kind = attachment_check(upload)
    return {"file": upload, "original_name": Path(upload.name).name[:200],
            "content_type": kind.content_type, "size": upload.size}


def attachment_add(*, notice, upload, actor):
    """Attach a file (size and kind checked; stored privately under a random name)."""
    return NoticeAttachment.objects.create(notice=notice, **attachment_values(upload))


def notice_mark_read(*, notice, member):
    """Record that ``member`` has read ``notice`` (the first time only; later visits change nothing)."""
    if member is None:
        return
    NoticeRead.objects.bulk_create([NoticeRead(notice=notice, member=member)], ignore_conflicts=True)


def notice_nudge(*, notice, group, actor):
    """Remind the members of ``group`` who have not read ``notice`` (the view runs this once per form token).

    Returns how many were reminded."""
    members = list(unread_members(notice=notice, group=group).filter(user__is_active=True).select_related("user"))
    url = reverse("voice:notice_detail", args=[notice.pk])
    with transaction.atomic():
        for member in members:
            notify(user=member.user, title=_("Please read: %(title)s") % {"title": notice.title},
                   body=_("Your group leader reminds you of this notice."), url=url)
    return members, ngettext("%(count)d member reminded.", "%(count)d members reminded.", len(members)) % {
        "count": len(members)}
