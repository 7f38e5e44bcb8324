"""The shape of a reminder and the registry of the code that finds them.

The daily reminder job (welfare) asks every registered collector what has become due and delivers each
reminder once per recipient and key, however often the job runs (the delivery ledger is keyed on both). Areas
that know about a kind of event register a collector here; they never deliver anything themselves.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reminder:
    """One thing one person should be told.

    `key` names the subject and its year, so the same subject is never told twice to the same person:
    e.g. "birthday:member:123:2027", "holiday:春节:2027:member:123", "hospital:report:45",
    "hardship-review:case:7:2027". `remind_on` is the day the reminder became due (used for catch-up and
    ordering); `due_on` the day of the event itself.
    """

    recipient_id: int  # accounts.User pk
    key: str
    kind: str  # short code for grouping and channel text, e.g. "birthday", "holiday", "hospital"
    title: str
    body: str
    remind_on: datetime.date
    due_on: datetime.date | None = None
    url: str = ""


# collect(*, since, today, config) -> Iterable[Reminder]
Collector = Callable[..., Iterable[Reminder]]
COLLECTORS: dict[str, Collector] = {}


def collector(kind: str):
    """Register `func(*, since: date, today: date, config: ReminderSettings) -> Iterable[Reminder]` under `kind`.

    The collector yields every reminder whose `remind_on` is after `since` and not after `today` and whose
    subject still needs attention today (the gift not yet given, the patient not yet visited). `since` is the
    last day a run completed, so a run after a three-day outage covers the three missed days. Yielding a
    reminder that was already delivered is harmless (the ledger drops it). `config` is the run's
    core.ReminderSettings row (how many days ahead …), read once per run. A collector must use a fixed number
    of queries whatever the number of members: query in bulk, never per member.
    """

    def register(func: Collector) -> Collector:
        COLLECTORS[kind] = func
        return func

    return register
