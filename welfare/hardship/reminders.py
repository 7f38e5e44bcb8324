"""The hardship review reminder: approved cases due for their yearly review (or overdue), to the case handlers.

It follows the contract in core.reminders: an overdue review is yielded on every run for as long as it stays
due, under a key of its own, so the ledger tells each handler once and a run after an outage still tells what it
missed. Two queries whatever the number of cases.

Confidentiality (hardship cases are for the case handlers only): the reminder names the case by its number and the
masked name (张*明) — never the full name, ID number, level or figures — and its kind is kept off the work-chat
group robots altogether (core.reminder_engine.GROUP_CHAT_EXCLUDED_KINDS): a group chat is read by people who must
not learn that a case exists. Portal and email carry it, to each handler alone.
"""

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from core import reminder_engine
from core.masking import mask_name
from core.reminders import Reminder, collector

from .selectors import case_handlers, cases_due_for_review

reminder_engine.GROUP_CHAT_EXCLUDED_KINDS.add("hardship_review")


@collector("hardship_review")
def hardship_reviews(*, since, today, config):
    """Approved cases whose yearly review is due within N days (or overdue), to the case handlers.

    Keyed on the due date, not only its year: a review done in December for a January due date moves the next one
    to the next December, in the same year as the one just done. Texts carry the case number and the masked name
    only (see the module docstring)."""
    ahead = datetime.timedelta(days=config.hardship_review_days_ahead)
    cases = list(cases_due_for_review(on=today + ahead)
                 .values_list("pk", "number", "member__name", "review_due_on"))
    if not cases:
        return
    handlers = list(case_handlers().order_by("pk").values_list("pk", flat=True))
    for pk, number, name, due in cases:
        params = {"number": number, "name": mask_name(name), "date": formats.date_format(due)}
        for recipient in handlers:
            yield Reminder(recipient_id=recipient, key=f"hardship-review:case:{pk}:{due.isoformat()}",
                           kind="hardship_review",
                           title=_("Case %(number)s (%(name)s): yearly review due on %(date)s") % params,
                           body=_("Case %(number)s (%(name)s) is due for its yearly review on %(date)s: check the "
                                  "household's figures again and record the review, or close the case.") % params,
                           remind_on=min(due - ahead, today),
                           due_on=due, url=reverse("welfare:hardship_detail", args=[pk]))
