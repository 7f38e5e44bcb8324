"""The benefit policy's rules, checked when a visit or gift is recorded (《基层工会经费收支管理办法》 and the provincial
caps, DOMAIN.md §3): the member is eligible, the form is allowed (no cash for birthdays and holidays), the amount is
within the per-event cap, the per-year cap of the occasion (for a holiday: the per-holiday cap) and the yearly
holiday total. Every refusal names the rule and the figures; at the limit passes, one fen over fails.
"""

from django.utils.translation import gettext as _

from core.money import CENT, money

from ..models import GiftForm
from .selectors import eligible_statuses


def visit_refusals(*, member, occasion, year, form, amount, policy, rule, usage):
    """Every rule the gift would break, as messages in the user's language (empty when it may be recorded).

    `usage` (selectors.usage_in_year) holds what the member already received in `year`.
    """
    if policy is None:
        return [_("There is no benefit policy in use for %(year)s; the chair sets one up in the admin.")
                % {"year": year}]
    if rule is None:
        return [_("%(occasion)s is not covered by the benefit policy for %(year)s (%(policy)s).")
                % {"occasion": occasion.name, "year": year, "policy": policy.name}]
    refusals = []
    facts = {"occasion": occasion.name, "member": member.name, "year": year, "amount": money(amount)}
    if amount < 0 or amount != amount.quantize(CENT):
        refusals.append(_("The amount must be a sum in yuan and fen that is not negative, not %(amount)s.")
                        % {"amount": amount})
        return refusals
    if member.status not in eligible_statuses(rule, occasion):
        if member.is_retired:
            refusals.append(_("%(occasion)s is not given to retired members under the %(year)s policy; %(member)s "
                              "is retired.") % facts)
        else:
            refusals.append(_("%(member)s is not eligible for %(occasion)s: membership status is “%(status)s”.")
                            % {**facts, "status": member.get_status_display()})
    if form not in rule.allowed_forms:
        refusals.append(_("%(occasion)s may not be given as %(form)s; the policy allows: %(allowed)s.") % {
            **facts, "form": GiftForm(form).label,
            "allowed": "、".join(str(GiftForm(allowed).label) for allowed in rule.allowed_forms)})
    if rule.cap_per_event is not None and amount > rule.cap_per_event:
        refusals.append(_("%(occasion)s cap is %(cap)s per event; this gift is %(amount)s.")
                        % {**facts, "cap": money(rule.cap_per_event)})
    used = usage.occasion(member.pk, occasion.pk)
    if rule.cap_per_year is not None and used + amount > rule.cap_per_year:
        refusals.append(_("%(occasion)s cap is %(cap)s per year; %(member)s has received %(used)s in %(year)s, and "
                          "this gift of %(amount)s would make %(total)s.")
                        % {**facts, "cap": money(rule.cap_per_year), "used": money(used),
                           "total": money(used + amount)})
    if occasion.is_holiday and (member.pk, occasion.pk) in usage.holiday_gifts:
        refusals.insert(0, _("%(member)s has already received the %(year)s %(occasion)s gift.") % facts)
    if occasion.is_holiday and policy.holiday_yearly_cap is not None:
        used = usage.holiday_total(member.pk)
        if used + amount > policy.holiday_yearly_cap:
            refusals.append(_("The yearly holiday total is %(cap)s; %(member)s has received %(used)s in holiday "
                              "gifts in %(year)s, and this gift of %(amount)s would make %(total)s.")
                            % {**facts, "cap": money(policy.holiday_yearly_cap), "used": money(used),
                               "total": money(used + amount)})
    return refusals
