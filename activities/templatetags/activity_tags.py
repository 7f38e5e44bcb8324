"""How an activity is shown wherever it is listed (the list, my activities, the detail and confirm pages, the home
cards): when it takes place and its status badge. Tags rather than included templates: a list draws them for every
card, and in Python each costs a fraction of an include with its date filters (the list page is on issue 13's
throughput bar)."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from activities.models import DisplayStatus

register = template.Library()


@register.simple_tag
def activity_when(activity):
    """"2026年12月10日 09:00 – 17:00" ("12/10/2026 9 a.m. – 5 p.m."): the end's time alone, in the language's own time
    format, on one day; both dates in full when it runs past midnight (local time)."""
    starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    start = formats.date_format(starts, "SHORT_DATETIME_FORMAT")
    end = formats.time_format(ends) if starts.date() == ends.date() else formats.date_format(
        ends, "SHORT_DATETIME_FORMAT")
    return f"{start} – {end}"


@register.simple_tag
def activity_status(activity):
    """The status badge; an open activity whose seats are all taken says so (its waitlist is open)."""
    status = activity.display_status()
    taken = getattr(activity, "seats_taken", None)
    if status == DisplayStatus.OPEN and activity.capacity is not None and taken is not None \
            and taken >= activity.capacity:
        return format_html('<span class="badge status-full">{}</span>', _("full · waitlist open"))
    return format_html('<span class="badge status-{}">{}</span>', status, DisplayStatus(status).label)
