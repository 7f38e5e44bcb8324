"""The member's home cards for activities (registered with core.portal in ready()): my next activity with its
check-in QR code, and the activities open to me. A fixed number of queries each."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .checkin_token import checkin_qr_svg, make_checkin_token
from .models import Activity, Registration

OPEN_SHOWN = 3


def next_activity(request, member):
    if member is None:
        return None
    registration = selectors.my_registrations(member, upcoming=True).first()
    if registration is None:
        return None
    qr_svg = None
    if registration.status == Registration.Status.CONFIRMED:
        qr_svg = checkin_qr_svg(make_checkin_token(member, registration.activity))
    return {"registration": registration, "activity": registration.activity, "qr_svg": qr_svg}


def open_activities(request, member):
    now = timezone.now()
    activities = selectors.activities_for_member(member, now=now).filter(
        state=Activity.State.PUBLISHED, starts_at__gt=now, my_status__isnull=True)[:OPEN_SHOWN]
    return {"activities": list(activities)}


def register():
    from core.portal import register_card, register_tab

    register_tab(key="activities", order=20, label=_("Activities"), url_name="activities:list",
                 prefix="/activities/")
    register_card(key="activities.next", order=10, template="core/cards/next_activity.html", build=next_activity)
    register_card(key="activities.open", order=20, template="core/cards/open_activities.html",
                  build=open_activities)
