"""The member's home card for their dues this year (registered with core.portal in finance's ready())."""

from django.utils import timezone

from .dues import selectors


def my_dues(request, member):
    if member is None:
        return None
    year = timezone.localdate().year
    records = list(selectors.member_dues_history(user=request.user, member=member))
    return {"year": year, "totals": selectors.year_totals(records, year)}


def register():
    from core.portal import register_card

    register_card(key="finance.dues", order=40, template="core/cards/my_dues.html", build=my_dues)
