"""Attendance (出勤): who registered for an activity, who came, and how often each member took part in a year.

The figures are always computed from the registrations, never stored:

- **registered** (报名): confirmed registrations made in advance (walk-ins not included);
- **checked in** (签到): confirmed registrations that are checked in, walk-ins included — everyone who came;
- **walk-ins** (临时参加): people added on the day who are checked in;
- **rate** (到场率): the share of those registered in advance who came, ``(checked in − walk-ins) / registered``,
  a ``Decimal`` between 0 and 1 with four places, or ``None`` when nobody registered.

An activity counts towards a year when it was published (not a draft, not cancelled) and starts in that calendar
year (Asia/Shanghai); for the year's figures it must also have started already ("held").

Every selector here runs a fixed number of queries, however many activities or registrations there are: counts are
correlated subqueries or one grouped query, never one query per row.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import Member

from .models import Activity, Registration

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
RATE_PLACES = Decimal("0.0001")

# The conditions behind each figure, on Registration.
_REGISTERED = Q(status=CONFIRMED, walk_in=False)
_CHECKED_IN = Q(status=CONFIRMED, checked_in_at__isnull=False)
_WALK_INS = Q(status=CONFIRMED, walk_in=True, checked_in_at__isnull=False)


def attendance_rate(*, registered, checked_in, walk_ins):
    """``(checked_in − walk_ins) / registered`` as a Decimal with four places (ROUND_HALF_UP), or None."""
    if not registered:
        return None
    return (Decimal(checked_in - walk_ins) / Decimal(registered)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def rate_display(rate):
    """0.8571 → "85.7%"; None → "—"."""
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class ActivityAttendance:
    registered: int
    checked_in: int
    walk_ins: int

    @property
    def rate(self):
        return attendance_rate(registered=self.registered, checked_in=self.checked_in, walk_ins=self.walk_ins)

    @property
    def rate_display(self):
        return rate_display(self.rate)

    @property
    def no_shows(self):
        return self.registered - (self.checked_in - self.walk_ins)

    def as_dict(self):
        return {"registered": self.registered, "checked_in": self.checked_in, "walk_ins": self.walk_ins,
                "rate": self.rate}


def _count(condition):
    """A correlated subquery counting an activity's registrations that meet ``condition`` (0 when none).

    Subqueries rather than a join with conditional aggregates: a changelist filter or search that joins another
    table (groups, departments) can then never multiply the counts.
    """
    counted = (Registration.objects.filter(condition, activity_id=OuterRef("pk")).order_by()
               .values("activity_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def seats_taken_subquery():
    """Seats held by confirmed registrations (a registration can hold several when family members take seats)."""
    taken = (Registration.objects.filter(activity_id=OuterRef("pk"), status=CONFIRMED).order_by()
             .values("activity_id").annotate(n=Sum("seats")).values("n"))
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def with_attendance(queryset):
    """Annotate activities with ``att_registered``, ``att_checked_in``, ``att_walk_ins``, ``att_waitlisted`` and
    ``att_seats_taken`` (one query for the whole list). ``attendance_of(activity)`` reads them back."""
    return queryset.annotate(
        att_registered=_count(_REGISTERED),
        att_checked_in=_count(_CHECKED_IN),
        att_walk_ins=_count(_WALK_INS),
        att_waitlisted=_count(Q(status=WAITLISTED)),
        att_seats_taken=seats_taken_subquery(),
    )


def attendance_of(activity):
    """The attendance of an activity annotated by ``with_attendance`` (no query), or fetched (one query)."""
    if hasattr(activity, "att_registered"):
        return ActivityAttendance(activity.att_registered, activity.att_checked_in, activity.att_walk_ins)
    return activity_attendance(activity)


def activity_attendance(activity):
    """Registered, checked in and walk-ins of one activity, in one query."""
    figures = Registration.objects.filter(activity=activity).aggregate(
        registered=Count("pk", filter=_REGISTERED),
        checked_in=Count("pk", filter=_CHECKED_IN),
        walk_ins=Count("pk", filter=_WALK_INS),
    )
    return ActivityAttendance(figures["registered"], figures["checked_in"], figures["walk_ins"])


# --- by year ---------------------------------------------------------------------------------------------------

def year_bounds(year):
    """The first instant of ``year`` and of the next, in the portal's time zone (Asia/Shanghai)."""
    zone = timezone.get_default_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone))


def activities_held_in(year, *, now=None):
    """Published activities that start in ``year`` and have started by ``now``."""
    start, end = year_bounds(year)
    now = now or timezone.now()
    return Activity.objects.filter(state=Activity.State.PUBLISHED, starts_at__gte=start, starts_at__lt=end,
                                   starts_at__lte=now)


def _attended_in(year, *, now=None):
    """Registrations that count as "attended" in ``year``: confirmed, checked in, at an activity held that year."""
    start, end = year_bounds(year)
    now = now or timezone.now()
    return Registration.objects.filter(
        _CHECKED_IN, activity__state=Activity.State.PUBLISHED, activity__starts_at__gte=start,
        activity__starts_at__lt=end, activity__starts_at__lte=now)


def attendance_by_member(year, *, member_ids=None, now=None):
    """``{member_id: activities attended in year}`` for every member who attended at least once (one query).

    ``member_ids`` limits it to these members (e.g. the people on one registrations page); members who attended
    nothing are absent from the dict, so read it with ``.get(member_id, 0)``.
    """
    attended = _attended_in(year, now=now)
    if member_ids is not None:
        attended = attended.filter(member_id__in=list(member_ids))
    rows = attended.order_by().values("member_id").annotate(n=Count("activity_id", distinct=True))
    return {row["member_id"]: row["n"] for row in rows}


def member_attendance_for_year(member, year, *, now=None):
    """The activities ``member`` attended in ``year`` (oldest first), with type: one query."""
    return list(Activity.objects.filter(
        pk__in=_attended_in(year, now=now).filter(member=member).values("activity_id"),
    ).select_related("activity_type").order_by("starts_at", "pk"))


def attendance_for_year(year, *, now=None):
    """Attendance of the whole year, for the year-end summary (年度工作总结). Four queries, whatever the size.

    Returns a dict::

        {
          "year": 2026,
          "activities": [            # every activity held in the year (published, started by ``now``), by date
            {"id": 7, "title": "春季健步走", "type": "文体活动", "type_code": "sports",
             "starts_at": datetime, "place": "…",
             "registered": 40, "checked_in": 37, "walk_ins": 2, "rate": Decimal("0.8750") or None},
            …
          ],
          "by_type": [               # the same figures summed per activity type, in the types' own order;
            {"type": "文体活动", "type_code": "sports", "activities": 3,        # types without activities left out
             "registered": 120, "checked_in": 101, "walk_ins": 4, "rate": Decimal(…) or None},
            …
          ],
          "totals": {
            "activities": 12,         # activities held
            "registered": 480,        # registrations made in advance (walk-ins not included)
            "checked_in": 431,        # attendances, walk-ins included (a person at 3 activities counts 3 times)
            "walk_ins": 15,
            "rate": Decimal("0.8667") or None,  # (checked_in − walk_ins) / registered
            "participants": 210,      # distinct members who attended at least one activity
            "members_on_roll": 260,   # members on the roll now (在册: active and retired)
            "participation_rate": Decimal("0.8077") or None,  # participants / members_on_roll
          },
          "by_member": {member_id: activities attended, …},  # only members who attended at least once
        }

    The rates follow the module docstring. ``now`` (default: the current time) decides which activities have
    been held, so a summary printed mid-December leaves out the party on the 28th.
    """
    now = now or timezone.now()
    activities = list(with_attendance(activities_held_in(year, now=now)).select_related("activity_type")
                      .order_by("starts_at", "pk"))
    rows, per_type = [], {}
    for activity in activities:
        figures = attendance_of(activity)
        rows.append({"id": activity.pk, "title": activity.title, "type": activity.activity_type.name,
                     "type_code": activity.activity_type.code, "starts_at": activity.starts_at,
                     "place": activity.place, **figures.as_dict()})
        bucket = per_type.setdefault(activity.activity_type_id, {
            "type": activity.activity_type.name, "type_code": activity.activity_type.code,
            "sort": (activity.activity_type.sort_order, activity.activity_type.name),
            "activities": 0, "registered": 0, "checked_in": 0, "walk_ins": 0})
        bucket["activities"] += 1
        for key in ("registered", "checked_in", "walk_ins"):
            bucket[key] += getattr(figures, key)
    by_type = []
    for bucket in sorted(per_type.values(), key=lambda b: b["sort"]):
        bucket.pop("sort")
        bucket["rate"] = attendance_rate(registered=bucket["registered"], checked_in=bucket["checked_in"],
                                         walk_ins=bucket["walk_ins"])
        by_type.append(bucket)
    totals = {key: sum(row[key] for row in rows) for key in ("registered", "checked_in", "walk_ins")}
    by_member = attendance_by_member(year, now=now)
    on_roll = Member.objects.on_roll().count()
    totals.update(
        activities=len(rows),
        rate=attendance_rate(**totals),
        participants=len(by_member),
        members_on_roll=on_roll,
        participation_rate=(Decimal(len(by_member)) / Decimal(on_roll)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
        if on_roll else None,
    )
    return {"year": year, "activities": rows, "by_type": by_type, "totals": totals, "by_member": by_member}


def participation_by_department(year, *, now=None):
    """Per department (处室): members on the roll now and how many of them attended at least one activity held in
    ``year`` — [{"department", "on_roll", "participants"}], in the departments' order, members without a
    department last. Two queries (the roll, and ``attendance_by_member``)."""
    attended = attendance_by_member(year, now=now)
    rows = {}
    members = (Member.objects.on_roll().order_by("department__sort_order", "department__name", "pk")
               .values_list("pk", "department_id", "department__name"))
    for pk, department_id, name in members:
        row = rows.setdefault(department_id, {"department": name or "—", "on_roll": 0, "participants": 0})
        row["on_roll"] += 1
        row["participants"] += pk in attended
    return sorted(rows.values(), key=lambda row: row["department"] == "—")


__all__ = [
    "ActivityAttendance", "activities_held_in", "activity_attendance", "attendance_by_member",
    "attendance_for_year", "attendance_of", "attendance_rate", "member_attendance_for_year",
    "participation_by_department", "rate_display", "seats_taken_subquery", "with_attendance", "year_bounds",
]
