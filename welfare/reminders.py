"""Reminders that need only the member roll: birthdays, retirements coming up, the 金秋助学 season.

Each collector follows the contract in core.reminders: a reminder is due `days ahead` before its event
(remind_on = event − N); a run covering (since, today] yields those due in that range whose event is not
past yet. So a run after an outage yields what the missed days would have, and the ledger drops what was
already sent. How far ahead, and when 金秋助学 opens, are data (core.ReminderSettings, in the admin).

Each collector makes a fixed number of queries: one over the roll (birthdays filter the Gregorian ones by
month and day in the database and compute lunar birthdays in Python over a streamed values list).
"""

import calendar
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import Role
from core import chinese_calendar
from core.reminder_engine import role_user_ids
from core.reminders import Reminder, collector
from members.models import Member

DAY = datetime.timedelta(days=1)


def event_window(*, since, today, days_ahead):
    """The event dates whose reminder falls in (since, today] and that are not past: (first, last) or None."""
    first = max(since + DAY + datetime.timedelta(days=days_ahead), today)
    last = today + datetime.timedelta(days=days_ahead)
    return (first, last) if first <= last else None


def _month_day_filter(first, last):
    """Members whose Gregorian birthday falls in [first, last] (29 February counts as 28 February in common years)."""
    if (last - first).days >= 365:
        return Q(birth_date__isnull=False)
    condition = Q(pk__in=[])
    day = first
    while day <= last:
        condition |= Q(birth_date__month=day.month, birth_date__day=day.day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            condition |= Q(birth_date__month=2, birth_date__day=29)
        day += DAY
    return condition


def _birthday_key(member_pk, event, lunar):
    # A Gregorian year can hold two lunar birthdays (one in January, one in December): lunar ones are keyed on
    # the lunar year, which holds exactly one.
    if lunar:
        return f"birthday:member:{member_pk}:lunar{chinese_calendar.gregorian_to_lunar(event)[0]}"
    return f"birthday:member:{member_pk}:{event.year}"


@collector("birthday")
def birthdays(*, since, today, config):
    """Birthdays N days ahead, to the member's 小组长 and every welfare officer (never to the member themself)."""
    window = event_window(since=since, today=today, days_ahead=config.birthday_days_ahead)
    if window is None:
        return
    first, last = window
    officers = role_user_ids(Role.WELFARE)
    rows = (Member.objects.on_roll().filter(birth_date__isnull=False)
            .filter(Q(birthday_lunar=True) | _month_day_filter(first, last))
            .values_list("pk", "name", "birth_date", "birthday_lunar", "user_id", "union_group__name",
                         "union_group__leader__user_id")
            .order_by().iterator(chunk_size=5000))
    next_birthdays = {}  # many members share a birth date: compute each (date, calendar) once
    for pk, name, born, lunar, own_user, group, leader_user in rows:
        event = next_birthdays.get((born, lunar))
        if event is None:
            event = next_birthdays[born, lunar] = chinese_calendar.next_birthday(born, on_or_after=first, lunar=lunar)
        if event > last:
            continue
        params = {"name": name, "date": formats.date_format(event, "MONTH_DAY_FORMAT"), "group": group or "—"}
        title = _("Birthday: %(name)s on %(date)s") % params
        body = (_("%(name)s (%(group)s) has a lunar birthday on %(date)s.") if lunar
                else _("%(name)s (%(group)s) has a birthday on %(date)s.")) % params
        key = _birthday_key(pk, event, lunar)
        url = reverse("members:detail", args=[pk])
        for recipient in dict.fromkeys(([leader_user] if leader_user else []) + officers):
            if recipient != own_user:
                yield Reminder(recipient_id=recipient, key=key, kind="birthday", title=title, body=body,
                               remind_on=event - (last - today), due_on=event, url=url)


@collector("retirement")
def retirements(*, since, today, config):
    """Members on the roll whose expected retirement date (data from the personnel office) is N days ahead,
    to the welfare officers and the chair."""
    window = event_window(since=since, today=today, days_ahead=config.retirement_days_ahead)
    if window is None:
        return
    first, last = window
    recipients = role_user_ids(Role.WELFARE, Role.CHAIR)
    rows = (Member.objects.in_service().filter(expected_retirement_on__range=(first, last))
            .values_list("pk", "name", "expected_retirement_on", "union_group__name").order_by().iterator())
    for pk, name, retires_on, group in rows:
        params = {"name": name, "date": formats.date_format(retires_on), "group": group or "—"}
        for recipient in recipients:
            yield Reminder(recipient_id=recipient, key=f"retirement:member:{pk}:{retires_on.year}", kind="retirement",
                           title=_("Retirement coming up: %(name)s on %(date)s") % params,
                           body=_("%(name)s (%(group)s) is expected to retire on %(date)s: plan the retirement "
                                  "visit and the membership change.") % params,
                           remind_on=retires_on - (last - today), due_on=retires_on,
                           url=reverse("members:detail", args=[pk]))


@collector("school_aid")
def school_aid_season(*, since, today, config):
    """金秋助学 opens on a date set in the reminder settings (e.g. 1 July): tell the welfare officers and chair."""
    window = event_window(since=since, today=today, days_ahead=config.school_aid_days_ahead)
    if window is None:
        return
    first, last = window
    for year in range(first.year, last.year + 1):
        try:
            opens = datetime.date(year, config.school_aid_opens_month, config.school_aid_opens_day)
        except ValueError:  # e.g. 31 June typed in the settings: no reminder rather than a crash
            continue
        if not first <= opens <= last:
            continue
        params = {"date": formats.date_format(opens), "year": year}
        for recipient in role_user_ids(Role.WELFARE, Role.CHAIR):
            yield Reminder(recipient_id=recipient, key=f"school_aid:{year}", kind="school_aid",
                           title=_("金秋助学 %(year)s opens on %(date)s") % params,
                           body=_("Check which filed hardship families have children entering or at senior high "
                                  "school or university, and prepare the applications and the public notice."),
                           remind_on=opens - (last - today), due_on=opens)
