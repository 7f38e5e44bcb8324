"""The tracker's part of the console's workbench (core.workbench): 谈心 to hold after a member's situation changed
(transfer, retirement, long leave — read from the dated membership history and the leave records), for the chair
only; overdue items for the handlers. Counts, never a name."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.workbench import register_task

from .selectors import HANDLE_PERM, TALK_PERM, overdue_items, talk_prompt_count


def register():
    register_task(key="tracker.talks_due", label=gettext_lazy("Talks to hold after a change of situation"),
                  order=40, permission=TALK_PERM, count=lambda *, today: talk_prompt_count(today),
                  url=lambda *, today: reverse("voice:tracker_manage"))
    register_task(key="tracker.overdue", label=gettext_lazy("Members' items past their deadline"), order=41,
                  permission=HANDLE_PERM, count=lambda *, today: overdue_items(today).count(),
                  url=lambda *, today: reverse("voice:tracker_manage") + "?state=assigned")
