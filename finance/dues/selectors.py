"""Reads of dues: who owes for a month, a member's history, arrears and the collection figures.

Who sees what: ``finance.view_duesrecord`` (treasurer, chair, auditor) sees everyone's dues; a member sees only
their own history; group leaders see no dues. A member's history asked for by anyone else is a 404.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404

from core.money import to_fen
from finance.models import DuesArrearsFlag, DuesImport, DuesRecord
from members.models import DUES_PAYING_STATUSES, Member, MembershipEvent

from .formula import month_start, rule_in_force

ZERO = Decimal("0.00")


def _month_end(year, month):
    return (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)


def previous_month(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _paying_during(member, events, start, end):
    """Whether the member owes dues for the month [start, end]: on the roll (在册) on the 1st, or became so during
    the month. So dues start with the month of joining and stop after the month of leaving or retiring."""
    if not events:
        since = member.status_since or member.joined_on
        return member.status in DUES_PAYING_STATUSES and (since is None or since <= end)
    status = events[0].from_status or None
    during = False
    for event in events:
        if event.effective_on <= start:
            status = event.to_status
        elif event.effective_on <= end and event.to_status in DUES_PAYING_STATUSES:
            during = True
    return status in DUES_PAYING_STATUSES or during


def members_owing(year: int, month: int, *, member_ids=None) -> dict:
    """{member id: member} of everyone who owes dues for the month, read from the dated membership history
    (MembershipEvent). Two queries whatever the size of the roll. Members come with their union group.
    ``member_ids`` narrows the question to those members (e.g. ``[member.pk]`` for one payment)."""
    start, end = month_start(year, month), _month_end(year, month)
    # A member whose status is not 在册 and has not changed since before the month began cannot owe for it.
    candidates = Member.objects.admitted().filter(
        Q(status__in=DUES_PAYING_STATUSES) | Q(status_since__gte=start) | Q(status_since__isnull=True)
    ).select_related("union_group")
    if member_ids is not None:
        candidates = candidates.filter(pk__in=list(member_ids))
    members = {member.pk: member for member in candidates}
    events = {}
    for event in (MembershipEvent.objects.filter(member_id__in=list(members))
                  .only("member_id", "effective_on", "from_status", "to_status").order_by("effective_on", "id")):
        events.setdefault(event.member_id, []).append(event)
    return {pk: member for pk, member in members.items() if _paying_during(member, events.get(pk), start, end)}


def dues_records_visible_to(user):
    if user.is_authenticated and user.has_perm("finance.view_duesrecord"):
        return DuesRecord.objects.all()
    return DuesRecord.objects.none()


def member_dues_history(*, user, member):
    """One member's monthly dues, newest first, with this year's totals. Only for the member themself or someone
    with ``finance.view_duesrecord``; anyone else gets a 404 (they should not learn what a colleague pays)."""
    own = user.is_authenticated and member.user_id == user.pk
    if not own and not user.has_perm("finance.view_duesrecord"):
        raise Http404
    records = list(DuesRecord.objects.filter(member=member).select_related("voucher__fiscal_year")
                   .order_by("-year", "-month"))
    return records


def year_totals(records, year):
    this_year = [record for record in records if record.year == year]
    return {"expected": sum((r.expected for r in this_year), ZERO), "paid": sum((r.paid for r in this_year), ZERO),
            "months": len(this_year), "unpaid_months": sum(1 for r in this_year if r.is_unpaid)}


def imported_months():
    """(year, month) of every posted deduction list, newest first."""
    return list(DuesImport.objects.order_by("-year", "-month").values_list("year", "month"))


def latest_imported_month():
    """[(year, month)] of the newest posted deduction list, or [] when none is posted. One row read."""
    return list(DuesImport.objects.order_by("-year", "-month").values_list("year", "month")[:1])


def dues_imports():
    return DuesImport.objects.select_related("voucher__fiscal_year", "posted_by").order_by("-year", "-month")


@dataclass
class Arrears:
    member: Member
    months: int
    since: tuple  # (year, month) of the first unpaid month of the run
    owed: Decimal
    flagged: bool = False  # the chair has been told about this run of months
    reached: bool = False  # the run is at or beyond the threshold (six months): for the chair


#: Months without dues before the chair is told, when no dues rule is set up at all.
DEFAULT_ARREARS_MONTHS = 6


def arrears_threshold(on: datetime.date | None = None) -> int:
    """Months without dues that reach the chair: from the dues rule in force on ``on`` (default today), or six
    when no rule is in force. One query; read it once per request and hand it on."""
    try:
        return rule_in_force(on).arrears_months
    except ValidationError:
        return DEFAULT_ARREARS_MONTHS


def dues_arrears(*, group=None, minimum=1, threshold: int | None = None):
    """Members on the roll (在册) who have paid nothing for ``minimum`` or more consecutive months, counted back
    from the latest posted month. A month without a posted list ends the count (nothing is known about it);
    a month with expected dues of 0 is not a month of arrears. Longest first.

    Four queries whatever the size of the roll: the posted months, the unpaid records with their members and
    groups, the flags already raised, and the rule's threshold (not read when ``threshold`` is given).
    """
    months = imported_months()
    if not months:
        return []
    posted = set(months)
    records = (DuesRecord.objects.filter(expected__gt=0, paid=0, member__status__in=DUES_PAYING_STATUSES)
               .select_related("member__union_group", "member__department").order_by("member_id", "-year", "-month"))
    if group is not None:
        records = records.filter(member__union_group=group)
    unpaid = {}
    for record in records:
        unpaid.setdefault(record.member_id, {})[(record.year, record.month)] = record
    flags = set(DuesArrearsFlag.objects.filter(member_id__in=list(unpaid))
                .values_list("member_id", "since_year", "since_month"))
    if threshold is None:
        threshold = arrears_threshold()
    found = []
    for member_months in unpaid.values():
        month, run = months[0], []
        while month in posted and month in member_months:
            run.append(member_months[month])
            month = previous_month(*month)
        if len(run) >= minimum:
            since = (run[-1].year, run[-1].month)
            found.append(Arrears(member=run[0].member, months=len(run), since=since,
                                 owed=sum((r.expected for r in run), ZERO),
                                 flagged=(run[0].member_id, *since) in flags, reached=len(run) >= threshold))
    found.sort(key=lambda a: (-a.months, a.member.union_group.sort_order if a.member.union_group_id else 1 << 30,
                              a.member.name_initials, a.member.pk))
    return found


def dues_collection(*, year: int, month: int | None = None) -> dict:
    """The dues collection report's figures (会费收缴情况), for the reports helper to render as PDF / xlsx.

    Returns::

        {"year": 2027,
         "months": [                                   # one entry per month with any dues records, in order
             {"year": 2027, "month": 1,
              "expected": Decimal,                     # sum of what the formula expected (in-roll payers)
              "paid": Decimal,                         # sum of what was paid for the month (all sources)
              "members": int,                          # members with a record that month
              "payers": int,                           # members who paid something (paid > 0)
              "in_arrears": int,                       # expected > 0 and nothing paid
              "voucher": "2027-0003" | None,           # the voucher that booked the month's deduction list
              "groups": [                              # per 工会小组, in the groups' order; members without a
                  {"group_id": int | None,             #   group come last with group_id None and group ""
                   "group": str, "expected": Decimal, "paid": Decimal,
                   "members": int, "payers": int, "in_arrears": int}, ...]},
             ...],
         "totals": {"expected": Decimal, "paid": Decimal}}   # over the months returned

    ``month`` narrows to one month. Amounts are Decimal to the fen; the paid figures of a month add up to the
    credit to 401 会费收入 booked for it. Two queries.
    """
    records = DuesRecord.objects.filter(year=year)
    if month is not None:
        records = records.filter(month=month)
    rows = (records.values("month", "member__union_group_id", "member__union_group__name",
                           "member__union_group__sort_order")
            .annotate(expected_sum=Sum("expected"), paid_sum=Sum("paid"), members=Count("id"),
                      payers=Count("id", filter=Q(paid__gt=0)),
                      in_arrears=Count("id", filter=Q(expected__gt=0, paid=0)))
            .order_by("month", "member__union_group__sort_order", "member__union_group__name"))
    vouchers = {imp.month: imp.voucher.number_label
                for imp in DuesImport.objects.filter(year=year).select_related("voucher__fiscal_year")}
    months = {}
    for row in rows:
        entry = months.setdefault(row["month"], {
            "year": year, "month": row["month"], "expected": ZERO, "paid": ZERO, "members": 0, "payers": 0,
            "in_arrears": 0, "voucher": vouchers.get(row["month"]), "groups": []})
        group = {"group_id": row["member__union_group_id"], "group": row["member__union_group__name"] or "",
                 "expected": to_fen(row["expected_sum"]), "paid": to_fen(row["paid_sum"]),
                 "members": row["members"], "payers": row["payers"], "in_arrears": row["in_arrears"]}
        entry["groups"].append(group)
        for key in ("expected", "paid", "members", "payers", "in_arrears"):
            entry[key] += group[key]
    for entry in months.values():
        entry["groups"].sort(key=lambda g: g["group_id"] is None)
    ordered = [months[m] for m in sorted(months)]
    return {"year": year, "months": ordered,
            "totals": {"expected": sum((m["expected"] for m in ordered), ZERO),
                       "paid": sum((m["paid"] for m in ordered), ZERO)}}
