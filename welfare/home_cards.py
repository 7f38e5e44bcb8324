"""The member's home card for the care they received this year (registered with core.portal in ready()).
Only the member's own care visits: never hardship aid, which is confidential."""

from django.utils import timezone

from .care import selectors


def my_care(request, member):
    if member is None:
        return None
    summary = selectors.member_year_summary(member=member, year=timezone.localdate().year)
    return {"summary": summary, "count": sum(line.count for line in summary["lines"])}


def register():
    from core.portal import register_card

    register_card(key="welfare.care", order=50, template="core/cards/my_care.html", build=my_care)
