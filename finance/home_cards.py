"""The member's home card for their dues this year (registered with core.portal in finance's ready())."""

from django.utils import timezone

from .dues import selectors
from .models import DuesRecord


def my_dues(request, member):
    if member is None:
        return None
    year = timezone.localdate().year
    # The home's member is the user's own record (unionportal.views.home), so no access check is needed; only
    # this year's months are read, not the member's whole history.
    return {"year": year, "totals": selectors.year_totals(DuesRecord.objects.filter(member=member, year=year), year)}


def register():
    from core.portal import register_card

    register_card(key="finance.dues", order=40, template="core/cards/my_dues.html", build=my_dues)
