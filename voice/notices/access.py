"""Who may see a notice, its attachments and its 未读 lists.

A member sees a live notice of their audience; those who publish or follow notices (``voice.publish_notice``,
``voice.view_notice_figures``) see any. Everyone else gets 404. A group's 未读 list: its 小组长, and the chair."""

from django.http import Http404

from members.models import UnionGroup
from members.selectors import member_for_user

from ..audience import in_audience
from ..models import Notice, NoticeAttachment
from .selectors import groups_for_leader


def can_follow_notices(user):
    return user.has_perm("voice.view_notice_figures") or user.has_perm("voice.publish_notice")


def notice_for_user(*, user, pk):
    notice = Notice.objects.filter(pk=pk).prefetch_related("union_groups", "departments", "roles").first()
    if notice is None:
        raise Http404
    if can_follow_notices(user):
        return notice
    if not notice.is_live() or not in_audience(notice, member_for_user(user)):
        raise Http404
    return notice


def attachment_for_user(*, user, pk, attachment_pk):
    notice = notice_for_user(user=user, pk=pk)
    attachment = NoticeAttachment.objects.filter(notice=notice, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment


def unread_groups_for_user(*, user, notice):
    """The groups whose 未读 list ``user`` may see for ``notice``: all of them for the chair, their own for a 小组长."""
    if can_follow_notices(user):
        return UnionGroup.objects.order_by("sort_order", "name")
    groups = groups_for_leader(user)
    if not groups.exists():
        raise Http404
    return groups
