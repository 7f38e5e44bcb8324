"""Who may see and move a tracked item, in one place (fetch and authorise).

- A 谈心 record: the chair (``voice.view_talk``) and the person who held the talk; everyone else gets 404 — the
  member talked with too, and other handlers: they should not learn that the talk was recorded.
- Any other item: the handlers (``voice.handle_item``), its owner, and the member who filed it under their name.
  An anonymous item is followed with its code (``item_for_code``), never through an account.
Outsiders get 404; someone who may see an item but not take a step gets 403 (PermissionDenied).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from members.selectors import member_for_user

from ..models import Item, ItemAttachment
from .selectors import HANDLE_PERM, REVIEW_PERM, TALK_PERM
from .services import code_hash


def can_handle(user):
    return user.is_authenticated and user.has_perm(HANDLE_PERM)


def can_follow_tracker(user):
    """Whether the staff list has anything for ``user`` (handlers, owners, the chair and talk holders)."""
    return can_handle(user) or user.has_perm(TALK_PERM) or (
        user.is_authenticated and Item.objects.filter(Q(owner_user=user) | Q(held_by=user)).exists())


def may_see_talk(user, item):
    return user.is_authenticated and (user.has_perm(TALK_PERM) or item.held_by_id == user.pk)


def item_for_user(*, user, pk):
    item = (Item.objects.select_related("category", "member", "owner_user__member", "owner_department",
                                        "congress", "merged_into").filter(pk=pk).first())
    if item is None or not user.is_authenticated:
        raise Http404
    if item.is_talk:
        if not may_see_talk(user, item):
            raise Http404
        return item
    if can_handle(user) or item.owner_user_id == user.pk:
        return item
    member = member_for_user(user)
    if member is not None and item.member_id == member.pk and not item.anonymous:
        return item
    raise Http404


def item_for_code(code):
    """The anonymous item a follow-up code opens; 404 for any other code."""
    item = Item.objects.select_related("category").filter(follow_code_hash=code_hash(code), anonymous=True).first()
    if item is None or not code:
        raise Http404
    return item


def steps_allowed(user, item):
    """The steps ``user`` may take on ``item`` now (names of the forms the page shows)."""
    handler = may_see_talk(user, item) if item.is_talk else can_handle(user)
    owner = handler or item.owner_user_id == user.pk
    state, steps = item.state, set()
    if state == Item.State.RECEIVED:
        if item.is_proposal:
            if user.has_perm(REVIEW_PERM):
                steps.add("review")
        elif handler:
            steps |= {"accept", "decline"}
    if state in (Item.State.ACCEPTED, Item.State.ASSIGNED) and handler:
        steps.add("assign")
    if state == Item.State.ASSIGNED and owner:
        steps.add("answer")
    if handler and (item.is_talk and state != Item.State.CLOSED or
                    state == Item.State.ANSWERED and item.answer_count >= 2):
        steps.add("close")
    return steps


def require_step(user, item, step):
    """403 for a step the user may not take on an item they may see."""
    if step not in steps_allowed(user, item) and not _refused_by_service(item, step, user):
        raise PermissionDenied


def _refused_by_service(item, step, user):
    """A step the user could take in another state: let the service refuse it with its message."""
    handler = may_see_talk(user, item) if item.is_talk else can_handle(user)
    if step == "review":
        return user.has_perm(REVIEW_PERM)
    if step == "answer":
        return handler or item.owner_user_id == user.pk
    return handler


def rate_item_for_user(*, user, pk):
    """The member's own named item, to rate its answer; 404 for anyone else (a handler does not rate)."""
    item = item_for_user(user=user, pk=pk)
    member = member_for_user(user)
    if item.is_talk or member is None or item.member_id != member.pk:
        raise PermissionDenied
    return item


def attachment_for_user(*, user, pk, attachment_pk):
    item = item_for_user(user=user, pk=pk)
    attachment = ItemAttachment.objects.filter(item=item, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment
