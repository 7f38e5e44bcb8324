"""Reminders that need the care records: holidays with members still without their gift, care reports (住院 and
the other 五必访 occasions) nobody has visited yet.

They follow the contract in core.reminders and the window rule of welfare.reminders (`event_window`): a holiday is
announced N days ahead, and a run after an outage still announces one whose announcement day it missed. Open care
reports are yielded on every run for as long as they stay open, each under a key of its own,
so the ledger tells each recipient once and a run after an outage still tells what it missed.

Queries are fixed whatever the size of the roll: a holiday costs its rule, a count and a short list of names;
the report collectors one query each. (The hardship review reminder is welfare.hardship.reminders.)
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from core.reminder_engine import role_user_ids
from core.reminders import Reminder, collector

from ..models import Visit
from ..reminders import event_window
from .selectors import holidays_between, members_without_holiday_gift, open_reports
from .services import holiday_year

#: How many names a holiday reminder lists; the rest are counted.
HOLIDAY_NAMES_SHOWN = 20
#: The occasion code the care seed (welfare 0003) gives 生病住院.
HOSPITAL = "hospital"


@collector("holiday")
def holidays(*, since, today, config):
    """Each holiday of a policy N days ahead, with the members not yet given its gift, to welfare officers and chair.

    Nothing when everyone eligible already received it (or the policy does not cover the holiday)."""
    window = event_window(since=since, today=today, days_ahead=config.holiday_days_ahead)
    if window is None:
        return
    first, last = window
    found = holidays_between(start=first, end=last)
    if not found:
        return
    recipients = role_user_ids(Role.WELFARE, Role.CHAIR)
    for occasion, day in found:
        year = holiday_year(occasion, day)  # a lunar 12th-month holiday of year Y can fall in January Y + 1
        missing = members_without_holiday_gift(occasion=occasion, year=year)
        count = missing.count()
        if not count:
            continue
        names = list(missing.order_by("union_group__sort_order", "union_group__name", "name_initials", "pk")
                     .values_list("name", flat=True)[:HOLIDAY_NAMES_SHOWN])
        params = {"holiday": occasion.name, "year": year, "date": formats.date_format(day), "count": count,
                  "names": "、".join(names), "more": count - len(names)}
        title = ngettext("%(holiday)s on %(date)s: %(count)d member without the gift yet",
                         "%(holiday)s on %(date)s: %(count)d members without the gift yet", count) % params
        body = ngettext("%(count)d member has not yet received the %(holiday)s gift: %(names)s",
                        "%(count)d members have not yet received the %(holiday)s gift: %(names)s", count) % params
        if params["more"]:
            body += _(" and %(more)d more.") % params
        url = reverse("welfare:distribution_new") + "?" + urlencode({"occasion": occasion.pk, "year": year})
        for recipient in recipients:
            yield Reminder(recipient_id=recipient, key=f"holiday:{occasion.code}:{year}", kind="holiday",
                           title=title, body=body, remind_on=day - (last - today), due_on=day, url=url)


def _unvisited(reports):
    """Open reports with no recorded visit: neither one recorded against the report nor one to the same member for
    the same occasion on or after its date (a visit recorded without picking the report). One query."""
    visited = Visit.objects.filter(status=Visit.Status.RECORDED).filter(
        Q(report=OuterRef("pk"))
        | Q(member=OuterRef("member_id"), occasion=OuterRef("occasion_id"), date__gte=OuterRef("date")))
    return (reports.exclude(Exists(visited)).order_by("date", "pk")
            .values_list("pk", "date", "member__name", "member__user_id", "member__union_group__name",
                         "member__union_group__leader__user_id", "occasion__name").iterator())


def _report_reminders(rows, *, kind, key, title, body, today):
    """One reminder per report to every welfare officer and the member's 小组长 (never to the member themself).

    Due from the report's date (today for one dated ahead): an open report older than the last run is still told
    once. The note is left out (it may hold medical details; the report page shows it)."""
    officers = role_user_ids(Role.WELFARE)
    url = reverse("welfare:report_list")
    for pk, date, name, own_user, group, leader_user, occasion in rows:
        params = {"name": name, "group": group or "—", "occasion": occasion, "date": formats.date_format(date)}
        for recipient in dict.fromkeys(officers + ([leader_user] if leader_user else [])):
            if recipient != own_user:
                yield Reminder(recipient_id=recipient, key=key.format(pk=pk), kind=kind, title=title % params,
                               body=body % params, remind_on=min(date, today), due_on=date, url=url)


@collector("hospital")
def hospital_not_visited(*, since, today, config):
    """Members reported in hospital (生病住院) whom nobody has visited yet."""
    rows = list(_unvisited(open_reports(occasion_codes=[HOSPITAL])))
    if rows:
        yield from _report_reminders(
            rows, kind="hospital", key="hospital:report:{pk}", today=today,
            title=_("In hospital, not yet visited: %(name)s"),
            body=_("%(name)s (%(group)s) was reported in hospital on %(date)s and has not been visited yet. "
                   "Record the visit against the report, or close the report if no visit is wanted."))


@collector("care_report")
def care_reports_not_visited(*, since, today, config):
    """The other must-visit (五必访) occasions reported and not visited yet: weddings, births, bereavements …"""
    rows = list(_unvisited(open_reports().filter(occasion__must_visit=True).exclude(occasion__code=HOSPITAL)))
    if rows:
        yield from _report_reminders(
            rows, kind="care_report", key="care-report:{pk}", today=today,
            title=_("%(occasion)s, not yet visited: %(name)s"),
            body=_("%(name)s (%(group)s): %(occasion)s on %(date)s was reported and has not been visited yet "
                   "(a must-visit occasion). Record the visit against the report, or close the report."))
