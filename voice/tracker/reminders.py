"""Overdue items reach their owner and the chair through the reminder engine, exactly once per item and step.

An item with its owner past its deadline is yielded on every run while it stays overdue, keyed on the item and its
latest hand-over step (ItemStep): the ledger tells each person once; an item handed on again, or sent back by an
unsatisfied member and overdue again, is a new step and is told again. Who is told: the owner (a person) and the
handlers (``voice.handle_item``, the chair); for a 谈心 record, the person who held it and the chair
(``voice.view_talk``) only. Texts carry the item's number and deadline, never the member's name or the text, and the
kind is kept off the work-chat group robots (a group chat is read by people who must not learn of a talk).

Three queries whatever the number of items."""

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import permission_holders
from core import reminder_engine
from core.reminders import Reminder, collector

from ..models import Item, ItemStep
from .selectors import overdue_items

KIND = "tracker_overdue"
reminder_engine.GROUP_CHAT_EXCLUDED_KINDS.add(KIND)


def _holders(codename):
    return set(permission_holders(f"voice.{codename}").values_list("pk", flat=True))


@collector(KIND)
def overdue(*, since, today, config):
    handed = (ItemStep.objects.filter(item=OuterRef("pk"), kind__in=[ItemStep.Kind.ASSIGNED, ItemStep.Kind.RATED])
              .order_by("-at", "-pk").values("pk")[:1])
    items = list(overdue_items(today).annotate(step_pk=Subquery(handed))
                 .values_list("pk", "source", "deadline", "owner_user_id", "held_by_id", "step_pk"))
    if not items:
        return
    handlers, chairs = _holders("handle_item"), _holders("view_talk")
    for pk, source, deadline, owner, holder, step in items:
        talk = source == Item.Source.TALK
        recipients = (chairs | {holder}) if talk else (handlers | {owner})
        params = {"number": pk, "date": deadline.isoformat()}
        for recipient in sorted(r for r in recipients if r):
            yield Reminder(recipient_id=recipient, key=f"tracker-overdue:item:{pk}:step:{step}", kind=KIND,
                           title=_("Item #%(number)s is overdue (deadline %(date)s)") % params,
                           body=_("Item #%(number)s was due for its answer on %(date)s: answer it, or hand it on "
                                  "with a new deadline.") % params,
                           remind_on=min(deadline + datetime.timedelta(days=1), today), due_on=deadline,
                           url=reverse("voice:tracker_item", args=[pk]))
