"""Registration, the waitlist, and the life of an activity (publish, cancel): every write goes through here.

Each service runs in one transaction with an explicit actor (audit trail), records every move on the list as a
``RegistrationEvent`` with its reason, and tells the people concerned (``core.notifications.notify``: in the portal
now, by email after commit).

Capacity and concurrency
    A registration, a cancellation and a promotion first lock the activity row (``SELECT … FOR UPDATE``) and only
    then count the seats held by confirmed registrations. All moves on one activity's list are therefore serialised:
    two members pressing "register" in the same millisecond cannot both take the last seat. ``queued_at`` is set
    while the lock is held, so the waitlist order is the order in which the lock was granted. (On SQLite the whole
    database is locked by the first write of an IMMEDIATE transaction, which serialises just the same.)

Seats
    A registration takes one seat, plus the number of family members it brings (the answer to questions marked
    "number of family members") when the activity's family members take seats.

Waitlist promotion: first fit, in queue order
    Whenever seats are free, the waitlist is walked in queue order and every registration whose party fits into
    the seats still free gets them. A party too large for the free seats keeps its place but does not block smaller
    parties behind it. So no seat stays empty while someone waiting would fit, and among those who fit the earlier
    one always wins. A new registration is confirmed when its party fits into the free seats — exactly what the
    promotion walk would give it if it were put at the end of the queue — so the rule is the same for newcomers and
    for the waitlist. The price: a large family party can be overtaken by single members while seats free up one at
    a time; the organiser can add seats (then call ``waitlist_fill``). Promotions happen only before the activity
    starts.

Answers
    Stored in ``Registration.answers`` keyed by the question's primary key as a string: text and choice answers as
    strings, number answers as ints. Unanswered optional questions are left out.

Texts written to the database (event reasons, notifications and their emails) are in the site language
(``settings.LANGUAGE_CODE``): they are read later by other people. Refusals (``ValidationError``) are in the active
language, because the person who caused them reads them right away.
"""

from auditlog.context import disable_auditlog
from auditlog.receivers import log_create
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.language import site_language
from core.notifications import notify

from .eligibility import Refusal, eligibility_refusal
from .models import Activity, Audience, Registration, RegistrationEvent, RegistrationQuestion

Status = Registration.Status
Event = RegistrationEvent.Kind

TEXT_ANSWER_MAX_LENGTH = 200
#: A number question without its own maximum still has one: nobody brings 1,000 relatives.
NUMBER_ANSWER_DEFAULT_MAX = 99


# --- reads the services need -------------------------------------------------------------------------------------

def seats_taken(activity):
    """Seats held by confirmed registrations (family members included), counted from the registrations."""
    total = Registration.objects.filter(activity=activity, status=Status.CONFIRMED).aggregate(n=Sum("seats"))["n"]
    return total or 0


def seats_free(activity):
    """Free seats, or None when the activity has no limit. Read from the counter: call it on a locked activity."""
    if activity.capacity is None:
        return None
    return max(0, activity.capacity - activity.seats_confirmed)


def live_registration(*, activity, member):
    """The member's seat or waitlist place for this activity, or None."""
    if member is None:
        return None
    # At most one (a unique constraint): ordered by key, not by the list's ordering (which joins the activity).
    return Registration.objects.filter(activity=activity, member=member,
                                       status__in=[Status.CONFIRMED, Status.WAITLISTED]).order_by("pk").first()


def waitlist_position(registration):
    """1 for the first person waiting, 2 for the next …; None when not on the waitlist."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(activity_id=registration.activity_id, status=Status.WAITLISTED).filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk))
    return ahead.count() + 1


# --- the rules ---------------------------------------------------------------------------------------------------

def state_refusal(*, activity, now=None):
    """Whether the activity takes registrations at ``now``: published, and inside the registration window.

    The window is half-open: registration opens at ``registration_opens_at`` exactly and is closed from
    ``registration_closes_at`` on (the same instants ``Activity.display_status`` uses).
    """
    now = now or timezone.now()
    if activity.state == Activity.State.CANCELLED:
        return Refusal("activity_cancelled", _("This activity has been cancelled."))
    if activity.state != Activity.State.PUBLISHED:
        return Refusal("not_published", _("This activity is not open for registration."))
    if now < activity.registration_opens_at:
        local = timezone.localtime(activity.registration_opens_at)
        return Refusal("not_open_yet", _("Registration opens on %(when)s.") % {
            "when": formats.date_format(local, "DATETIME_FORMAT")})
    if now >= activity.registration_closes_at:
        return Refusal("closed", _("Registration for this activity is closed."))
    return None


def already_refusal(registration):
    if registration is None:
        return None
    if registration.status == Status.WAITLISTED:
        return Refusal("already_waitlisted", _("You are already on the waitlist for this activity."))
    return Refusal("already_registered", _("You are already registered for this activity."))


def registration_refusal(*, activity, member, now=None, registration=None):
    """None when ``member`` may register for ``activity`` now; otherwise the first Refusal, in this order:
    activity cancelled / not published, window not open yet / closed, not eligible (and why), already registered.

    Pass ``registration`` (the member's live registration or None) when the caller has it, to save a query.
    """
    refusal = state_refusal(activity=activity, now=now) or eligibility_refusal(activity=activity, member=member)
    if refusal:
        return refusal
    if registration is None:
        registration = live_registration(activity=activity, member=member)
    return already_refusal(registration)


def answers_clean(*, questions, answers):
    """Check the answers against the questions; return them normalised (keys: question pk as a string).

    Raises ValidationError keyed by question pk: required question unanswered, a choice not in the list, a number
    that is not a whole number, negative or above the question's maximum, a text that is too long.
    """
    answers = {str(key): value for key, value in (answers or {}).items()}
    cleaned, errors = {}, {}
    for question in questions:
        key = str(question.pk)
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if question.required:
                errors[key] = ValidationError(_("Please answer “%(question)s”.") % {"question": question.label},
                                              code="required")
            continue
        if question.kind == RegistrationQuestion.Kind.NUMBER:
            try:
                number = int(value)
                if isinstance(value, float) and value != number:
                    raise ValueError
            except (TypeError, ValueError):
                errors[key] = ValidationError(_("“%(question)s” needs a whole number.") % {"question": question.label},
                                              code="not_a_number")
                continue
            largest = question.max_number if question.max_number is not None else NUMBER_ANSWER_DEFAULT_MAX
            if number < 0:
                errors[key] = ValidationError(_("“%(question)s” cannot be negative.") % {"question": question.label},
                                              code="negative")
            elif number > largest:
                errors[key] = ValidationError(
                    _("“%(question)s” can be at most %(max)s.") % {"question": question.label, "max": largest},
                    code="too_large")
            else:
                cleaned[key] = number
        elif question.kind == RegistrationQuestion.Kind.CHOICE:
            if str(value) not in question.choice_list:
                errors[key] = ValidationError(
                    _("“%(answer)s” is not one of the choices for “%(question)s”.") % {
                        "answer": value, "question": question.label}, code="invalid_choice")
            else:
                cleaned[key] = str(value)
        else:
            if len(str(value)) > TEXT_ANSWER_MAX_LENGTH:
                errors[key] = ValidationError(
                    _("The answer to “%(question)s” is too long (at most %(max)s characters).") % {
                        "question": question.label, "max": TEXT_ANSWER_MAX_LENGTH}, code="too_long")
            else:
                cleaned[key] = str(value)
    unknown = set(answers) - {str(question.pk) for question in questions}
    if unknown:
        errors["__all__"] = ValidationError(_("Some answers do not belong to this activity's questions."),
                                            code="unknown_question")
    if errors:
        raise ValidationError(errors)
    return cleaned


def party_seats(*, activity, questions, answers):
    """1 for the member, plus the family members they bring when the activity's family members take seats."""
    if not activity.family_takes_seats:
        return 1
    family = sum(int(answers.get(str(q.pk), 0) or 0) for q in questions
                 if q.counts_family and q.kind == RegistrationQuestion.Kind.NUMBER)
    return 1 + family


def _party_too_large(activity, seats):
    if activity.capacity is not None and seats > activity.capacity:
        return Refusal("party_too_large", _("Your party needs %(seats)s seats; this activity has only %(capacity)s "
                                            "in all.") % {"seats": seats, "capacity": activity.capacity})
    return None


# --- helpers for the writes --------------------------------------------------------------------------------------

def _lock(activity_id):
    """Lock the activity row: every move on its list waits here for the one before it to commit."""
    return Activity.objects.select_for_update().get(pk=activity_id)


def seats_move(activity_id, seats):
    """Move the activity's seat counter by ``seats`` (negative when seats are given up), in the caller's
    transaction. Every change of a registration into or out of CONFIRMED goes through here."""
    Activity.objects.filter(pk=activity_id).update(seats_confirmed=F("seats_confirmed") + seats)


def _when(activity):
    return formats.date_format(timezone.localtime(activity.starts_at), "DATETIME_FORMAT")


def _detail_url(activity):
    return reverse("activities:detail", kwargs={"pk": activity.pk})


def _event(registration, kind, *, reason="", actor, via=None):
    return RegistrationEvent.objects.create(registration=registration, kind=kind, reason=reason[:300], actor=actor,
                                            actor_label=via or "")


def _user_of(member):
    return getattr(member, "user", None)


def _acted_for_self(registration, actor):
    return actor is not None and registration.member.user_id == actor.pk


# --- services ----------------------------------------------------------------------------------------------------

def registration_create(*, activity, member, answers=None, actor, via=None, now=None):
    """Register ``member`` for ``activity``: a seat when their party fits into the free seats, else the waitlist.

    Refused (ValidationError with a code) when the activity is cancelled or not published, outside the registration
    window, when the member may not take part (see ``eligibility``), is already registered or waiting, when the
    answers are not valid, or when the party needs more seats than the activity has at all.

    The rush path: everything that can be decided without the lock is decided first. The locked section is one
    conditional UPDATE of ``Activity.seats_confirmed`` (it takes the seats only while they fit and the window is
    open), the insert, and the commit. Only a registration that does not fit reads the activity under the lock, to
    queue it or say why not. A second live registration of the same member (a second press, another tab) is
    refused by the unique constraint at the insert, which rolls its seats back, not by a read. The event, the notice and the audit entries follow in a transaction
    of their own once the seat is committed (inside a caller's transaction they simply join it: exactly once).
    """
    now = now or timezone.now()
    # Already registered or waiting is not read here: the unique constraint on live registrations refuses it at
    # the insert (below), with the same message.
    refusal = state_refusal(activity=activity, now=now) or eligibility_refusal(activity=activity, member=member)
    if refusal:
        raise refusal.as_error()
    questions = list(activity.questions.all())
    cleaned = answers_clean(questions=questions, answers=answers)
    seats = party_seats(activity=activity, questions=questions, answers=cleaned)
    refusal = _party_too_large(activity, seats)
    if refusal:
        raise refusal.as_error()
    try:
        # The registration's own audit entry is written below, with the others, after the seat is committed.
        with transaction.atomic(), disable_auditlog():
            registration, free = _seat_or_queue(activity=activity, member=member, seats=seats, answers=cleaned,
                                                now=now)
    except IntegrityError:
        live = live_registration(activity=activity, member=member)
        if live is None:
            raise
        raise already_refusal(live).as_error() from None
    registration.waitlist_position = waitlist_position(registration)
    with transaction.atomic(), audit_context(actor=actor, via=via), site_language():
        log_create(sender=Registration, instance=registration, created=True)
        if registration.status == Status.CONFIRMED:
            _event(registration, Event.REGISTERED, actor=actor, via=via)
            notify(user=_user_of(member), title=_("Registered: %(title)s") % {"title": activity.title},
                   body=_("You have a seat at %(title)s, %(when)s.") % {"title": activity.title,
                                                                        "when": _when(activity)},
                   url=_detail_url(activity))
        else:
            _event(registration, Event.WAITLISTED, actor=actor, via=via,
                   reason=_("Full: %(seats)s seat(s) needed, %(free)s free.") % {"seats": seats, "free": free})
            notify(user=_user_of(member), title=_("On the waitlist: %(title)s") % {"title": activity.title},
                   body=_("%(title)s is full. You are number %(position)s on the waitlist. When a seat frees "
                          "up it is given to the first person waiting whose party fits, automatically, and we "
                          "tell you.") % {"title": activity.title, "position": registration.waitlist_position},
                   url=_detail_url(activity))
    return registration


def _seat_or_queue(*, activity, member, seats, answers, now):
    """The locked section of a registration (in the caller's transaction). Returns ``(registration, free)``, free
    being the seats that were free when the registration was queued (None for a seat)."""
    open_now = Q(state=Activity.State.PUBLISHED, registration_opens_at__lte=now, registration_closes_at__gt=now)
    fits = Q(capacity__isnull=True) | Q(seats_after__lte=F("capacity"))
    taken = (Activity.objects.filter(open_now, pk=activity.pk).alias(seats_after=F("seats_confirmed") + seats)
             .filter(fits).update(seats_confirmed=F("seats_confirmed") + seats))
    free = None
    if not taken:
        # Full, or the activity changed since it was read: decide under the lock, as every move on its list does.
        locked = _lock(activity.pk)
        refusal = state_refusal(activity=locked, now=now) or _party_too_large(locked, seats)
        if refusal:
            raise refusal.as_error()
        free = seats_free(locked)
        if free is None or seats <= free:  # seats were freed between the update and the lock
            seats_move(activity.pk, seats)
            free = None
    registration = Registration.objects.create(
        activity_id=activity.pk, member=member, status=Status.CONFIRMED if free is None else Status.WAITLISTED,
        seats=seats, answers=answers, queued_at=timezone.now(),
    )
    registration.activity = activity
    return registration, free


def _promote_waiting(*, activity, actor, reason, via=None, now=None):
    """Give free seats to the waitlist, first fit in queue order (see the module docstring). Activity is locked."""
    now = now or timezone.now()
    if activity.state != Activity.State.PUBLISHED or now >= activity.starts_at:
        return []
    free = seats_free(activity)
    promoted = []
    # of=("self",): lock the registrations only; PostgreSQL cannot lock the nullable side of the join to the user.
    waiting = (Registration.objects.select_for_update(of=("self",))
               .filter(activity=activity, status=Status.WAITLISTED)
               .select_related("member__user").order_by("queued_at", "pk"))
    for registration in waiting:
        if free is not None and free <= 0:
            break
        if free is not None and registration.seats > free:
            continue  # a party too large for what is free keeps its place and does not block those behind it
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        seats_move(activity.pk, registration.seats)
        if free is not None:
            free -= registration.seats
        with site_language():
            _event(registration, Event.PROMOTED, actor=actor, via=via, reason=reason)
            notify(user=_user_of(registration.member),
                   title=_("You have a seat: %(title)s") % {"title": activity.title},
                   body=_("A seat became free and it is yours: you are now registered for %(title)s, %(when)s. "
                          "If you cannot come, please cancel so that the next person gets it.") % {
                       "title": activity.title, "when": _when(activity)},
                   url=_detail_url(activity))
        promoted.append(registration)
    return promoted


def waitlist_fill(*, activity, actor, reason="", via=None, now=None):
    """Give any free seats to the waitlist (e.g. after the organiser added seats). Returns the promoted."""
    with transaction.atomic(), audit_context(actor=actor, via=via):
        locked = _lock(activity.pk)
        with site_language():
            reason = reason or _("Seats became free.")
        return _promote_waiting(activity=locked, actor=actor, reason=reason, via=via, now=now)


def _lock_registration(registration):
    activity = _lock(registration.activity_id)  # always the activity first, then its registrations: no deadlocks
    locked = (Registration.objects.select_for_update(of=("self",)).select_related("member__user")
              .get(pk=registration.pk))
    return activity, locked


def registration_cancel(*, registration, actor, reason="", enforce_deadline=True, via=None, now=None):
    """Give up a seat. Members may cancel until the cancellation deadline (until registration closes when the
    activity sets none); the office cancels at any time with ``enforce_deadline=False``. The freed seats go to
    the waitlist at once (``_promote_waiting``)."""
    now = now or timezone.now()
    with transaction.atomic(), audit_context(actor=actor, via=via):
        activity, locked = _lock_registration(registration)
        if locked.status == Status.WAITLISTED:
            raise ValidationError(_("You are on the waitlist, not registered: leave the waitlist instead."),
                                  code="not_confirmed")
        if locked.status != Status.CONFIRMED:
            raise ValidationError(_("This registration is already cancelled."), code="not_live")
        if activity.state == Activity.State.CANCELLED:
            raise ValidationError(_("This activity has been cancelled."), code="activity_cancelled")
        if enforce_deadline and locked.checked_in_at is not None:
            raise ValidationError(_("You have already been checked in for this activity; it cannot be cancelled."),
                                  code="checked_in")
        deadline = min(activity.effective_cancellation_deadline, activity.starts_at)
        if enforce_deadline and now >= deadline:
            raise ValidationError(
                _("Registrations can no longer be cancelled: the deadline was %(when)s. Please contact the "
                  "organiser.") % {"when": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")},
                code="past_cancellation_deadline")
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        seats_move(activity.pk, -locked.seats)
        activity.seats_confirmed -= locked.seats
        member = locked.member
        with site_language():
            _event(locked, Event.CANCELLED, actor=actor, via=via, reason=reason)
            freed_by = _("Seat freed by the cancellation of %(name)s (registration %(id)s).") % {
                "name": member.name, "id": locked.pk}
            if not _acted_for_self(locked, actor):
                notify(user=_user_of(member), title=_("Registration cancelled: %(title)s") % {"title": activity.title},
                       body=_("Your registration for %(title)s was cancelled by the union office. %(reason)s") % {
                           "title": activity.title, "reason": reason},
                       url=_detail_url(activity))
        _promote_waiting(activity=activity, actor=actor, reason=freed_by, via=via, now=now)
    registration.refresh_from_db()
    return registration


def waitlist_leave(*, registration, actor, reason="", via=None):
    """Take oneself off the waitlist (at any time; it frees no seat, so nobody moves up into a seat)."""
    with transaction.atomic(), audit_context(actor=actor, via=via):
        activity_, locked = _lock_registration(registration)
        if locked.status != Status.WAITLISTED:
            raise ValidationError(_("You are not on the waitlist for this activity."), code="not_waitlisted")
        locked.status = Status.LEFT_WAITLIST
        locked.save(update_fields=["status", "updated_at"])
        with site_language():
            _event(locked, Event.LEFT_WAITLIST, actor=actor, via=via, reason=reason)
            if not _acted_for_self(locked, actor):
                notify(user=_user_of(locked.member),
                       title=_("Taken off the waitlist: %(title)s") % {"title": activity_.title},
                       body=reason, url=_detail_url(activity_))
    registration.refresh_from_db()
    return registration


def activity_publish(*, activity, actor, via=None):
    """草稿 → published: members see the activity and may register once its window opens.

    Refused unless it is a draft, when registration would close after the activity starts, when it has no seats
    (empty means no limit, 0 is not allowed), or when it is for chosen groups or departments but none is chosen.
    """
    with transaction.atomic(), audit_context(actor=actor, via=via):
        locked = _lock(activity.pk)
        if locked.state != Activity.State.DRAFT:
            raise ValidationError(_("Only a draft can be published."), code="not_draft")
        if locked.registration_closes_at > locked.starts_at:
            raise ValidationError(_("Registration must close no later than the activity starts."),
                                  code="window_after_start")
        if locked.capacity == 0:
            raise ValidationError(_("Give at least one seat, or leave the seats empty for no limit."),
                                  code="no_seats")
        if (locked.audience == Audience.CHOSEN and not locked.union_groups.exists()
                and not locked.departments.exists()):
            raise ValidationError(_("Choose the groups or departments this activity is for."), code="no_audience")
        locked.state = Activity.State.PUBLISHED
        locked.save(update_fields=["state", "updated_at"])
    activity.refresh_from_db()
    return activity


def activity_cancel(*, activity, reason, actor, via=None, now=None):
    """Cancel the activity (已取消): every live registration (seats and waitlist) is cancelled with an
    ACTIVITY_CANCELLED event, and every registrant is told, with the reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the activity; registrants are told."),
                              code="reason_required")
    with transaction.atomic(), audit_context(actor=actor, via=via):
        locked = _lock(activity.pk)
        if locked.state == Activity.State.CANCELLED:
            raise ValidationError(_("This activity has been cancelled."), code="activity_cancelled")
        if now >= locked.ends_at:
            raise ValidationError(_("This activity has already taken place."), code="finished")
        locked.state = Activity.State.CANCELLED
        locked.cancelled_reason = reason
        locked.seats_confirmed = 0  # every seat is given up below
        locked.save(update_fields=["state", "cancelled_reason", "seats_confirmed", "updated_at"])
        live = (Registration.objects.select_for_update(of=("self",)).select_related("member__user")
                .filter(activity=locked, status__in=[Status.CONFIRMED, Status.WAITLISTED]).order_by("queued_at", "pk"))
        with site_language():
            title = _("Cancelled: %(title)s") % {"title": locked.title}
            body = _("%(title)s (%(when)s) has been cancelled. Reason: %(reason)s") % {
                "title": locked.title, "when": _when(locked), "reason": reason}
            for registration in live:
                registration.status = Status.CANCELLED
                registration.save(update_fields=["status", "updated_at"])
                _event(registration, Event.ACTIVITY_CANCELLED, actor=actor, via=via, reason=reason)
                notify(user=_user_of(registration.member), title=title, body=body, url=_detail_url(locked))
    activity.refresh_from_db()
    return activity
