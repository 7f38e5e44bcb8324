"""The voice cards of the member's home: unread notices and surveys waiting for an answer; my demands and
suggestions (the open ones first, an answer waiting for my rating marked)."""


from core.portal import register_card

from .models import Item
from .notices.selectors import notices_for_member
from .surveys.selectors import surveys_for_member
from .tracker.selectors import items_for_member

SHOWN = 3


def voice_card(request, member):
    if member is None:
        return None
    unread = [notice for notice in notices_for_member(member) if not notice.is_read]
    waiting = [survey for survey in surveys_for_member(member) if not survey.answered and survey.is_open()]
    return {"notices": unread[:SHOWN], "unread_count": len(unread), "surveys": waiting[:SHOWN]}


def tracker_card(request, member):
    """The member's open items (two queries): shown to every member, so the way to write to the union is at hand."""
    if member is None:
        return None
    items = items_for_member(member).exclude(state__in=[Item.State.CLOSED, Item.State.DECLINED, Item.State.MERGED])
    return {"items": list(items[:SHOWN]), "open_count": items.count()}


def register():
    register_card(key="voice.notices_surveys", order=25, template="voice/cards/voice.html", build=voice_card)
    register_card(key="voice.tracker", order=26, template="voice/cards/tracker.html", build=tracker_card)
