"""The voice card of the member's home (unread notices, surveys waiting for an answer) and the 通知公告 tab."""


from core.portal import register_card

from .notices.selectors import notices_for_member
from .surveys.selectors import surveys_for_member

SHOWN = 3


def voice_card(request, member):
    if member is None:
        return None
    unread = [notice for notice in notices_for_member(member) if not notice.is_read]
    waiting = [survey for survey in surveys_for_member(member) if not survey.answered and survey.is_open()]
    return {"notices": unread[:SHOWN], "unread_count": len(unread), "surveys": waiting[:SHOWN]}


def register():
    register_card(key="voice.notices_surveys", order=25, template="voice/cards/voice.html", build=voice_card)
