"""Reads for care work: which policy applies, what a member has received against the caps, holidays and their
dates, who has not had a holiday's gift, open care reports. The reminders engine uses the last three; each runs a
fixed number of queries whatever the number of members.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from core.money import money
from core.year_sections import YearSection
from members.models import Member, MemberStatus

from ..models import BenefitPolicy, CareReport, Distribution, Occasion, OccasionKind, OccasionRule, Visit
from .charts import occasion_spending_chart

ZERO = Decimal("0.00")


def policy_for_year(year):
    """The benefit policy in use for `year`, or None."""
    return BenefitPolicy.objects.filter(year=year, in_use=True).first()


def policy_with_rules(year):
    """(policy in use for `year` or None, its occasion rules) for the visit form's summary of the caps."""
    policy = policy_for_year(year)
    rules = OccasionRule.objects.filter(policy=policy).select_related("occasion", "account") if policy else []
    return policy, rules


def must_visit_occasions():
    """The 五必访 occasions: those a reported case must be visited for."""
    return Occasion.objects.filter(must_visit=True)


def rule_for(*, policy, occasion):
    if policy is None:
        return None
    return OccasionRule.objects.select_related("account", "occasion").filter(policy=policy, occasion=occasion).first()


def rule_for_year(*, year, occasion):
    """The rule for `occasion` in the policy in use for `year` (policy joined), or None — one query."""
    return (OccasionRule.objects.select_related("policy", "account", "occasion")
            .filter(policy__year=year, policy__in_use=True, occasion=occasion).first())


def eligible_statuses(rule, occasion):
    """Member statuses an occasion may be given to under `rule`: on the roll, retirees only where allowed, and the
    deceased for occasions given after a death (会员去世)."""
    statuses = [MemberStatus.ACTIVE]
    if rule is not None and rule.retirees_eligible:
        statuses.append(MemberStatus.RETIRED)
    if occasion.after_death:
        statuses.append(MemberStatus.DECEASED)
    return statuses


@dataclass
class Usage:
    """What members received in one year: per member, per occasion (pk), and in holiday gifts in total."""

    by_occasion: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: ZERO)))
    holidays: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    holiday_gifts: set = field(default_factory=set)  # (member pk, occasion pk) that already had a holiday gift

    def occasion(self, member_id, occasion_id):
        return self.by_occasion[member_id][occasion_id]

    def holiday_total(self, member_id):
        return self.holidays[member_id]


def usage_in_year(*, year, member_ids):
    """Recorded (not withdrawn) gifts in `year` for these members, in one query."""
    usage = Usage()
    rows = (Visit.objects.filter(year=year, member_id__in=list(member_ids), status=Visit.Status.RECORDED)
            .values("member_id", "occasion_id", "occasion__kind").annotate(total=Sum("amount")))
    for row in rows:
        usage.by_occasion[row["member_id"]][row["occasion_id"]] += row["total"]
        if row["occasion__kind"] == OccasionKind.HOLIDAY:
            usage.holidays[row["member_id"]] += row["total"]
            usage.holiday_gifts.add((row["member_id"], row["occasion_id"]))
    return usage


def holidays_between(*, start, end):
    """[(occasion, date)] for the holidays covered by each year's policy whose date falls in [start, end], by date."""
    found = []
    # A year before `start` too: a lunar 12th-month holiday of policy year Y falls in January/February of Y + 1.
    rules = (OccasionRule.objects.filter(policy__in_use=True, policy__year__gte=start.year - 1,
                                         policy__year__lte=end.year, occasion__kind=OccasionKind.HOLIDAY)
             .select_related("occasion", "policy"))
    for rule in rules:
        day = rule.occasion.date_in(rule.policy.year)
        if start <= day <= end:
            found.append((rule.occasion, day))
    found.sort(key=lambda pair: (pair[1], pair[0].sort_order))
    return found


def _gift_exists(occasion, year):
    return Exists(Visit.objects.filter(member=OuterRef("pk"), occasion=occasion, year=year,
                                       status=Visit.Status.RECORDED))


def members_without_holiday_gift(*, occasion, year):
    """Members eligible for `occasion` in `year` under that year's policy who have not received its gift.

    Empty when the policy does not cover the holiday (or there is no policy)."""
    rule = rule_for_year(year=year, occasion=occasion)
    if rule is None:
        return Member.objects.none()
    return (Member.objects.with_status(*eligible_statuses(rule, occasion))
            .exclude(_gift_exists(occasion, year))
            .select_related("union_group", "union_group__leader", "department"))


def open_reports(*, occasion_codes=None):
    """Open care reports, newest event first, with member, group and group leader (for the reminders)."""
    reports = CareReport.objects.filter(status=CareReport.Status.OPEN)
    if occasion_codes is not None:
        reports = reports.filter(occasion__code__in=list(occasion_codes))
    return reports.select_related("member", "member__union_group", "member__union_group__leader",
                                  "member__union_group__leader__user", "occasion", "reported_by")


def reports_for_leader(user):
    """Open reports about the members of the groups this user leads."""
    return open_reports().filter(member__union_group__leader__user=user)


# --- one member's year, against the caps ---------------------------------------------------------------------------

@dataclass
class OccasionLine:
    occasion: Occasion
    used: Decimal
    cap_per_year: Decimal | None
    cap_per_event: Decimal | None
    count: int

    @property
    def left(self):
        return None if self.cap_per_year is None else self.cap_per_year - self.used


def member_year_summary(*, member, year):
    """Everything `member` received in `year` (visits, newest first) and per occasion used / cap, plus the holiday
    total used / cap, as a dict for the history pages."""
    policy = policy_for_year(year)
    rules = {rule.occasion_id: rule for rule in
             OccasionRule.objects.filter(policy=policy).select_related("occasion")} if policy else {}
    visits = list(Visit.objects.filter(member=member, year=year).select_related("occasion", "recorded_by")
                  .order_by("-date", "-pk"))
    used, counts, occasions = defaultdict(lambda: ZERO), defaultdict(int), {}
    for visit in visits:
        if visit.status == Visit.Status.RECORDED:
            used[visit.occasion_id] += visit.amount
            counts[visit.occasion_id] += 1
            occasions[visit.occasion_id] = visit.occasion
    lines = []
    for occasion_id, occasion in sorted(occasions.items(), key=lambda item: item[1].sort_order):
        rule = rules.get(occasion_id)
        lines.append(OccasionLine(occasion=occasion, used=used[occasion_id], count=counts[occasion_id],
                                  cap_per_year=rule.cap_per_year if rule else None,
                                  cap_per_event=rule.cap_per_event if rule else None))
    holiday_used = sum((line.used for line in lines if line.occasion.is_holiday), ZERO)
    return {"year": year, "policy": policy, "visits": visits, "lines": lines, "holiday_used": holiday_used,
            "holiday_cap": policy.holiday_yearly_cap if policy else None,
            "total": sum((line.used for line in lines), ZERO)}


# --- holiday distributions -----------------------------------------------------------------------------------------

@dataclass
class Candidate:
    member: Member
    standard: Decimal
    already: bool


def distribution_candidates(*, occasion, year):
    """Members eligible for the holiday in `year`, by group then name, each with the per-person standard and whether
    they already received that holiday's gift (they are marked and skipped). Two queries."""
    rule = rule_for_year(year=year, occasion=occasion)
    if rule is None:
        return None, []
    standard = rule.standard_amount if rule.standard_amount is not None else (rule.cap_per_year or ZERO)
    members = (Member.objects.with_status(*eligible_statuses(rule, occasion))
               .annotate(already=_gift_exists(occasion, year))
               .select_related("union_group", "department")
               .order_by("union_group__sort_order", "union_group__name", "name_initials", "pk"))
    return rule, [Candidate(member=m, standard=standard, already=m.already) for m in members]


def distributions():
    return Distribution.objects.select_related("occasion", "recorded_by__member").order_by("-date", "-pk")


def visits_listed(*, year=None, occasion=None, member=None, month=None, q=None):
    """Visits newest first, for a year (the caps' year), an occasion, a member, a month of the visit's date and a
    part of the member's name."""
    visits = Visit.objects.select_related("member", "occasion", "recorded_by__member", "member__union_group")
    if year:
        visits = visits.filter(year=year)
    if occasion:
        visits = visits.filter(occasion=occasion)
    if member:
        visits = visits.filter(member=member)
    if month:
        visits = visits.filter(date__month=month)
    if q:
        visits = visits.filter(member__name__icontains=q.strip())
    return visits.order_by("-date", "-pk")



def occasion_spending(year):
    """Visits and gifts recorded in ``year`` per occasion — [{"occasion", "count", "amount", "cap"}], by name —
    with the cap per event (or per year) of the year's policy for that occasion, None when it has none. Two
    queries. The year-end summary's table and the workbench's chart both read it. No names."""
    rows = list(Visit.objects.filter(date__year=year, status=Visit.Status.RECORDED)
                .values("occasion_id", "occasion__name").annotate(count=Count("pk"), amount=Sum("amount"))
                .order_by("occasion__name"))
    caps = {rule.occasion_id: rule.cap_per_event if rule.cap_per_event is not None else rule.cap_per_year
            for rule in OccasionRule.objects.filter(policy__year=year, policy__in_use=True)}
    return [{"occasion": row["occasion__name"], "count": row["count"], "amount": row["amount"] or Decimal("0.00"),
             "cap": caps.get(row["occasion_id"])} for row in rows]


def year_section(year):
    """关爱慰问 for the year-end summary: visits and gifts per occasion (how many, how much). No names."""
    rows = occasion_spending(year)
    total_count = sum(row["count"] for row in rows)
    total_amount = sum((row["amount"] for row in rows), Decimal("0.00"))
    return YearSection(
        title=_("Care and visits"), headers=[_("Occasion"), _("Visits and gifts (count)"), _("Amount (yuan)")],
        rows=[[row["occasion"], row["count"], money(row["amount"])] for row in rows],
        total=[_("Total"), total_count, money(total_amount)],
        note="" if rows else _("No visits or gifts were recorded this year."),
        chart=occasion_spending_chart(rows) if rows else None)


def care_counts_between(*, start, end):
    """Visits and gifts recorded with a date from ``start`` to ``end`` per occasion, and how many members they
    reached — [{"occasion", "count", "members"}], by name. One query. Counts only, no names: the 工作简报 prints
    it for every member to read."""
    rows = (Visit.objects.filter(date__gte=start, date__lte=end, status=Visit.Status.RECORDED)
            .values("occasion__name").annotate(count=Count("pk"), members=Count("member", distinct=True))
            .order_by("occasion__name"))
    return [{"occasion": row["occasion__name"], "count": row["count"], "members": row["members"]} for row in rows]


def period_section(start, end):
    """关爱慰问 of a 工作简报's period: visits and gifts per occasion and the members they reached. No names."""
    rows = care_counts_between(start=start, end=end)
    # A member visited for two occasions is one member reached: the total counts them once.
    reached = (Visit.objects.filter(date__gte=start, date__lte=end, status=Visit.Status.RECORDED)
               .values("member").distinct().count()) if rows else 0
    return YearSection(
        title=_("Care and visits"), headers=[_("Occasion"), _("Visits and gifts (count)"), _("Members reached")],
        rows=[[row["occasion"], row["count"], row["members"]] for row in rows],
        total=[_("Total"), sum(r["count"] for r in rows), reached] if rows else None,
        note="" if rows else _("No visits or gifts were recorded in this period."))
