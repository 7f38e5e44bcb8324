"""Check-in on the day (现场签到): ticking registrants in, undoing a mistaken tick, walk-ins, and QR codes.

Who may: the activity's organiser (``activity.organiser.user``) and anyone with ``activities.check_in``; everyone
else is told the page does not exist (404), so a member cannot learn about check-in pages of other activities.

The rules:

- Only a published activity can be checked in (not a draft, not a cancelled one).
- Only a confirmed registration (a seat) can be checked in. Checking in twice records once: the tick is claimed by a
  conditional ``UPDATE … WHERE checked_in_at IS NULL``, so two organisers ticking the same person in the same
  second write one ``CHECKED_IN`` event.
- A mistaken tick can be undone; the undo is itself recorded (``CHECK_IN_UNDONE`` with its reason). Undoing a
  walk-in also cancels the walk-in registration (the person was added by mistake).
- A walk-in (临时参加) must be someone who may take part (on the roll and in the activity's audience,
  ``eligibility``), and is looked up and added only during the check-in window (``Activity.walk_ins_open``: from
  a few hours before the start to a few hours after the end); outside either, the walk-in page is a 404 that names
  nobody, the search offers nobody and a scanned code names nobody — the lookup must not read out the roll. The
  organiser decides on the spot, so the seat limit is not applied. A walk-in becomes a confirmed registration with
  ``walk_in=True``, checked in at once, with a ``WALK_IN`` event carrying the reason. Someone on the waitlist who
  turns up becomes a walk-in the same way; someone who already has a seat is simply checked in.
- A QR code (``checkin_token``) names a member and an activity; scanning it checks the member in if they have a
  seat at *this* activity.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit import audit_context
from core.language import site_language
from members.models import Member

from .access import can_check_in_everywhere
from .attendance import activity_attendance
from .checkin_token import read_checkin_token
from .eligibility import eligibility_refusal, members_eligible_for
from .models import Activity, Registration, RegistrationEvent
from .registration import seats_move

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
#: How many people not registered a search lists as possible walk-ins.
OTHERS_LIMIT = 10
#: The audit "via" of check-ins made from the check-in page and by scanning.
VIA_PAGE = "web:check_in"
VIA_QR = "web:check_in_qr"


# --- reading -------------------------------------------------------------------------------------------------------

def activities_for_check_in(user, *, now=None):
    """The activities this user may check people in at that are current: published, not finished more than a week
    ago, the soonest first. Organisers see theirs; holders of ``activities.check_in`` see all."""
    now = now or timezone.now()
    queryset = Activity.objects.filter(state=Activity.State.PUBLISHED, ends_at__gte=now - datetime.timedelta(days=7))
    if not can_check_in_everywhere(user):
        queryset = queryset.filter(organiser__user=user)
    return queryset.select_related("activity_type").order_by("starts_at", "pk")


def _name_match(query, prefix=""):
    """Name contains the text, or the pinyin initials start with it (张三明 ← "zsm", "zs", "张三")."""
    query = query.strip()
    condition = Q(**{f"{prefix}name__icontains": query})
    letters = query.replace(" ", "").lower()
    if letters.isascii() and letters.isalpha():
        condition |= Q(**{f"{prefix}name_initials__startswith": letters})
    return condition


def checkin_registrations(*, activity, query=""):
    """The confirmed registrations of an activity (walk-ins included), matching ``query`` when given, by pinyin
    initials. One query."""
    registrations = (Registration.objects.filter(activity=activity, status=CONFIRMED)
                     .select_related("member", "member__department")
                     .order_by("member__name_initials", "member__name", "pk"))
    if query.strip():
        registrations = registrations.filter(_name_match(query, "member__"))
    return registrations


def checkin_others(*, activity, query, limit=OTHERS_LIMIT, now=None):
    """People matching ``query`` who may take part in the activity (its audience, ``eligibility``) and have no seat:
    candidates for a walk-in, each carrying ``waitlisted`` (on this activity's waitlist). Empty for no query and
    outside the check-in window (``Activity.walk_ins_open``): the search must not read out the roll. One query."""
    if not query.strip() or not activity.walk_ins_open(now):
        return []
    seated = Registration.objects.filter(activity=activity, member=OuterRef("pk"), status=CONFIRMED)
    waiting = Registration.objects.filter(activity=activity, member=OuterRef("pk"), status=WAITLISTED)
    members = (members_eligible_for(activity, Member.objects.filter(_name_match(query))).exclude(Exists(seated))
               .annotate(waitlisted=Exists(waiting)).select_related("department")
               .order_by("name_initials", "name", "pk")[:limit])
    return list(members)


def checkin_counts(activity):
    """The figures at the top of the check-in page: registered, checked in, walk-ins (see attendance)."""
    return activity_attendance(activity)


# --- writing -------------------------------------------------------------------------------------------------------

def _ensure_open_for_check_in(activity):
    if activity.state == Activity.State.CANCELLED:
        raise ValidationError(_("This activity was cancelled; nobody can be checked in."), code="cancelled")
    if activity.state != Activity.State.PUBLISHED:
        raise ValidationError(_("This activity has not been published yet; check-in starts once it is."),
                              code="not_published")


def site_text(message):
    """A text (marked with gettext_noop) written into the history, in the site language: it is read later by other
    people. Refusals stay in the active language, for the person who caused them."""
    with site_language():
        return _(message)


def _event(registration, kind, *, actor, reason=""):
    return RegistrationEvent.objects.create(registration=registration, kind=kind, actor=actor, reason=reason[:300])


def registration_check_in(*, registration, actor, via=VIA_PAGE):
    """Tick a registrant in. Returns ``(registration, newly)``: ``newly`` is False when they already were, in which
    case nothing is written (idempotent: the claim is a conditional UPDATE).

    Refused (ValidationError) for an activity that is not published and for a registration without a seat.
    """
    activity = registration.activity
    _ensure_open_for_check_in(activity)
    with transaction.atomic(), audit_context(actor=actor, via=via):
        now = timezone.now()
        claimed = (Registration.objects.filter(pk=registration.pk, status=CONFIRMED, checked_in_at__isnull=True)
                   .update(checked_in_at=now, checked_in_by=actor, updated_at=now))
        registration.refresh_from_db()
        if not claimed and registration.status != CONFIRMED:
            raise ValidationError(_("%(name)s has no seat for this activity."),
                                  code="not_confirmed", params={"name": registration.member.name})
        if claimed:
            _event(registration, RegistrationEvent.Kind.CHECKED_IN, actor=actor,
                   reason=site_text(gettext_noop("QR code scanned")) if via == VIA_QR else "")
    return registration, bool(claimed)


def registration_check_in_undo(*, registration, actor, reason=""):
    """Undo a mistaken check-in, recording it (``CHECK_IN_UNDONE`` with the reason). A walk-in added by mistake is
    cancelled as well. Returns True if something was undone, False if the person was not checked in."""
    reason = (reason or "").strip() or site_text(gettext_noop("Checked in by mistake"))
    with transaction.atomic(), audit_context(actor=actor, via=VIA_PAGE):
        current = Registration.objects.select_for_update().filter(pk=registration.pk).first()
        now = timezone.now()
        undone = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None, updated_at=now)
        if not undone:
            return False
        _event(registration, RegistrationEvent.Kind.CHECK_IN_UNDONE, actor=actor, reason=reason)
        if current.walk_in and current.status == CONFIRMED:
            Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED,
                                                                   updated_at=now)
            seats_move(current.activity_id, -current.seats)
            _event(registration, RegistrationEvent.Kind.CANCELLED, actor=actor,
                   reason=site_text(gettext_noop("Walk-in removed: %(reason)s")) % {"reason": reason})
        registration.refresh_from_db()
    return True


def checkin_walk_in(*, activity, member, actor, reason=""):
    """Add someone who may take part but has no seat as a walk-in, checked in. Returns ``(registration, created)``.

    Refused for a person not on the roll or outside the activity's audience, outside its check-in window
    (``Activity.walk_ins_open``), and for an activity that is not published. Someone who already has a seat
    is checked in instead (``created`` False); someone on the waitlist becomes the walk-in.
    """
    _ensure_open_for_check_in(activity)
    if not member.is_on_roll:
        raise ValidationError(
            _("%(name)s is not on the roll (%(status)s) and cannot be added as a walk-in. Only members on the roll "
              "may take part.") % {"name": member.name, "status": member.get_status_display()},
            code="not_on_roll")
    refusal = eligibility_refusal(activity=activity, member=member)
    if refusal is not None:
        raise refusal.as_error()
    if not activity.walk_ins_open():
        raise ValidationError(_("Walk-ins can be added only around the time of the activity."), code="walk_ins_closed")
    reason = (reason or "").strip() or site_text(gettext_noop("Came on the day"))
    with transaction.atomic(), audit_context(actor=actor, via=VIA_PAGE):
        live = (Registration.objects.select_for_update()
                .filter(activity=activity, member=member, status__in=[CONFIRMED, WAITLISTED]).first())
        if live is not None and live.status == CONFIRMED:
            registration, _newly = registration_check_in(registration=live, actor=actor)
            return registration, False
        now = timezone.now()
        if live is not None:  # on the waitlist and here on the day
            Registration.objects.filter(pk=live.pk).update(
                status=CONFIRMED, walk_in=True, checked_in_at=now, checked_in_by=actor, updated_at=now)
            seats_move(activity.pk, live.seats)
            registration = live
            reason = site_text(gettext_noop("From the waitlist: %(reason)s")) % {"reason": reason}
        else:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        activity=activity, member=member, status=CONFIRMED, walk_in=True, queued_at=now,
                        checked_in_at=now, checked_in_by=actor)
                    seats_move(activity.pk, registration.seats)
            except IntegrityError:
                # Someone else added or registered them in the same second: the person has a seat now.
                existing = Registration.objects.get(activity=activity, member=member, status=CONFIRMED)
                registration, _newly = registration_check_in(registration=existing, actor=actor)
                return registration, False
        _event(registration, RegistrationEvent.Kind.WALK_IN, actor=actor, reason=reason)
        _event(registration, RegistrationEvent.Kind.CHECKED_IN, actor=actor)
        registration.refresh_from_db()
    return registration, True


def checkin_by_token(*, activity, token, actor):
    """Check in the member named by a scanned QR token. Returns ``(registration, newly)``.

    ValidationError with code ``invalid`` (or ``expired``, if tokens expire) for the token, ``other_activity``,
    ``unknown_member``, or ``not_registered`` (params: ``member_id``) when the member has no seat here — the page
    then offers a walk-in.
    """
    try:
        member_id, activity_id = read_checkin_token(token)
    except ValidationError:
        raise
    except ValueError:
        # checkin_token's own error for a garbled or foreign code (any ValueError): said the same way here.
        raise ValidationError(_("This is not a valid check-in code."), code="invalid") from None
    if activity_id != activity.pk:
        raise ValidationError(_("This check-in code is for a different activity."), code="other_activity")
    registration = (Registration.objects.select_related("member", "activity")
                    .filter(activity=activity, member_id=member_id, status=CONFIRMED).first())
    if registration is None:
        # Named (and offered as a walk-in) only if they could be added now: a code must not read out the roll.
        member = None
        if activity.walk_ins_open():
            member = members_eligible_for(activity).filter(pk=member_id).first()
        if member is None:
            raise ValidationError(_("This check-in code is not for anyone who can be checked in here now."),
                                  code="unknown_member")
        raise ValidationError(
            _("%(name)s has no seat for this activity. Add them as a walk-in if there is room."),
            code="not_registered", params={"name": member.name, "member_id": member.pk})
    return registration_check_in(registration=registration, actor=actor, via=VIA_QR)
