"""Writing the tracker: an item is received, accepted (受理) or declined with a reason, handed to an owner (a person or
a department) with a deadline, answered, rated by the member, and closed when the member is satisfied or by the chair
after a second answer (销号). 提案 are reviewed by the 提案审查 committee first (立案, merged, or turned into an
opinion). Each step is one function: it locks the item, refuses an illegal transition with a clear message, records
the step (who, when) and writes the audit entry with the actor.

Anonymous items link nobody: the receipt and the member's rating are recorded with no actor (not on the step, not in
the audit trail), and the follow-up code is shown once and kept only as a keyed hash.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.notifications import notify

from ..models import Congress, Item, ItemAttachment, ItemStep
from ..notices.services import attachment_values

Source, State, Step = Item.Source, Item.State, ItemStep.Kind
#: What a member may file from the portal; 接待日 visits and 谈心 are recorded by whoever received or held them.
MEMBER_SOURCES = (Source.BOX, Source.CHAIR, Source.PROPOSAL)
STAFF_SOURCES = (Source.RECEPTION, Source.TALK, Source.BOX, Source.CHAIR)
#: A follow-up code: 12 characters of an alphabet without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX-XXXX.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def code_hash(code):
    """The stored form of a follow-up code: a keyed hash (the code itself is never stored)."""
    normal = "".join(ch for ch in str(code or "").upper() if ch in CODE_ALPHABET)
    return hmac.new(settings.SECRET_KEY.encode(), f"tracker:{normal}".encode(), hashlib.sha256).hexdigest()


def new_follow_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _lock(item):
    return Item.objects.select_for_update().get(pk=item.pk)


def _require(item, states, message, code):
    if item.state not in states:
        _refuse(message, code)


def _step(item, kind, actor, note="", fields=(), save=True):
    """Record a step (who and when); with ``save``, the item's state and ``fields`` are saved first."""
    if save:
        item.save(update_fields=["state", *fields])
    return ItemStep.objects.create(item=item, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                   note=note)


def _attach(item, upload):
    return ItemAttachment.objects.create(item=item, **attachment_values(upload))


def _check_text(title, text):
    if not (title or "").strip() or not (text or "").strip():
        _refuse(_("Give the item a title and say what it is about."), "empty")


def item_submit(*, member, source, title, text, category=None, anonymous=False, congress=None, upload=None,
                actor, today=None):
    """A member files an item from the portal. Returns ``(item, code)``: ``code`` is the follow-up code of an
    anonymous item (shown to the member once), None for a named one."""
    today = today or timezone.localdate()
    if member is None:
        _refuse(_("Only members on the roll can file items."), "not_member")
    if source not in MEMBER_SOURCES:
        _refuse(_("This kind of item is recorded by the union, not filed from the portal."), "source")
    _check_text(title, text)
    if source == Source.PROPOSAL:
        if anonymous:
            _refuse(_("A congress proposal carries the proposer's name."), "anonymous_proposal")
        if congress is None or not congress.is_collecting(today):
            _refuse(_("Proposals are collected only in the window before the congress."), "window")
    code = new_follow_code() if anonymous else None
    # An anonymous receipt is written with no actor at all: the audit trail would otherwise name the member.
    with transaction.atomic(), audit_context(actor=None if anonymous else actor, via="anonymous" if anonymous else None):
        item = Item.objects.create(source=source, title=title.strip(), text=text.strip(), category=category,
                                   anonymous=anonymous, member=None if anonymous else member,
                                   congress=congress if source == Source.PROPOSAL else None,
                                   follow_code_hash=code_hash(code) if code else None, received_on=today)
        _step(item, Step.RECEIVED, None if anonymous else actor, save=False)
        if upload:
            _attach(item, upload)
    return item, code


def item_record(*, source, title, text, actor, member=None, category=None, upload=None, today=None):
    """The union records an item it received in person (a 接待日 visit, a letter) or a 谈心 it held."""
    if source not in STAFF_SOURCES:
        _refuse(_("Proposals are filed by their proposers in the collection window."), "source")
    _check_text(title, text)
    if source == Source.TALK and member is None:
        _refuse(_("Say with whom the talk was held."), "talk_member")
    with transaction.atomic(), audit_context(actor=actor):
        item = Item.objects.create(source=source, title=title.strip(), text=text.strip(), category=category,
                                   member=member, held_by=actor if source == Source.TALK else None,
                                   received_on=today or timezone.localdate())
        _step(item, Step.RECEIVED, actor, save=False)
        if upload:
            _attach(item, upload)
    return item


def item_accept(*, item, actor, note=""):
    """受理: the union takes the item up."""
    with transaction.atomic(), audit_context(actor=actor):
        item = _lock(item)
        if item.is_proposal:
            _refuse(_("A proposal is taken up by the proposals committee's review, not accepted directly."),
                    "proposal")
        _require(item, [State.RECEIVED], _("Only an item just received can be accepted."), "not_received")
        item.state = State.ACCEPTED
        _step(item, Step.ACCEPTED, actor, note)
    return item


def item_decline(*, item, reason, actor):
    """Decline an item just received, with the reason the member will read."""
    with transaction.atomic(), audit_context(actor=actor):
        item = _lock(item)
        _require(item, [State.RECEIVED], _("Only an item just received can be declined."), "not_received")
        if not (reason or "").strip():
            _refuse(_("Say why the item is declined: the member reads the reason."), "reason")
        item.state, item.decline_reason, item.closed_at = State.DECLINED, reason.strip(), timezone.now()
        _step(item, Step.DECLINED, actor, reason.strip(), fields=["decline_reason", "closed_at"])
        _tell_member(item, _("Your item was declined: %(title)s") % {"title": item.title})
    return item


def proposal_review(*, item, outcome, actor, merged_into=None, note=""):
    """The 提案审查 committee's decision: 立案 (a number in the congress's register), merged with a registered
    proposal of the same congress, or turned into an opinion (handled like one from then on)."""
    with transaction.atomic(), audit_context(actor=actor):
        item = _lock(item)
        if not item.is_proposal:
            _refuse(_("Only congress proposals are reviewed by the proposals committee."), "not_proposal")
        _require(item, [State.RECEIVED], _("This proposal has been reviewed already."), "reviewed")
        fields = ["review"]
        if outcome == Item.Review.REGISTERED:
            Congress.objects.select_for_update().get(pk=item.congress_id)  # numbers are handed out one at a time
            last = Item.objects.filter(congress_id=item.congress_id).aggregate(n=Max("proposal_number"))["n"]
            item.proposal_number, item.state = (last or 0) + 1, State.ACCEPTED
            fields.append("proposal_number")
        elif outcome == Item.Review.OPINION:
            item.state = State.ACCEPTED
        elif outcome == Item.Review.MERGED:
            target = merged_into
            if target is None or target.pk == item.pk or target.congress_id != item.congress_id or \
                    target.review != Item.Review.REGISTERED:
                _refuse(_("A proposal is merged into a registered proposal of the same congress."), "merge_target")
            item.state, item.merged_into = State.MERGED, target
            fields.append("merged_into")
        else:
            _refuse(_("Choose what the committee decided."), "outcome")
        item.review = outcome
        _step(item, Step.REVIEWED, actor, note or Item.Review(outcome).label, fields=fields)
    return item


def item_assign(*, item, deadline, actor, owner_user=None, owner_department=None, today=None):
    """Hand the item to its owner (a person, a department, or a person for a department) with a deadline; an item
    with its owner may be handed on again."""
    today = today or timezone.localdate()
    with transaction.atomic(), audit_context(actor=actor):
        item = _lock(item)
        _require(item, [State.ACCEPTED, State.ASSIGNED],
                 _("An item is handed to an owner once it has been accepted, and before it is answered."),
                 "not_accepted")
        if owner_user is None and owner_department is None:
            _refuse(_("Name the owner: a person or a department."), "owner")
        if deadline is None or deadline < today:
            _refuse(_("The deadline is a day from today on."), "deadline")
        item.state, item.owner_user, item.owner_department, item.deadline = (
            State.ASSIGNED, owner_user, owner_department, deadline)
        owner = ", ".join(str(o) for o in (owner_department, getattr(owner_user, "member", owner_user)) if o)
        _step(item, Step.ASSIGNED, actor, f"{owner} · {deadline.isoformat()}",
              fields=["owner_user", "owner_department", "deadline"])
        if owner_user is not None and owner_user != actor:
            notify(user=owner_user, title=_("An item for you to answer: %(title)s") % {"title": item.title},
                   body=_("Please answer by %(date)s.") % {"date": deadline.isoformat()},
                   url=reverse("voice:tracker_item", args=[item.pk]))
    return item


def item_answer(*, item, answer, actor):
    """The owner's answer (a second one after the member was not satisfied)."""
    with transaction.atomic(), audit_context(actor=actor):
        item = _lock(item)
        _require(item, [State.ASSIGNED], _("Only an item with its owner can be answered."), "not_assigned")
        if not (answer or "").strip():
            _refuse(_("Write the answer."), "empty")
        item.state, item.answer, item.answer_count = State.ANSWERED, answer.strip(), item.answer_count + 1
        _step(item, Step.ANSWERED, actor, answer.strip(), fields=["answer", "answer_count"])
        _tell_member(item, _("Your item has been answered: %(title)s") % {"title": item.title})
    return item


def item_rate(*, item, rating, actor, comment=""):
    """The member's rating of the answer: satisfied closes the item; not satisfied sends it back to its owner for
    a second answer. ``actor`` is None for an anonymous item (followed with its code)."""
    with transaction.atomic(), audit_context(actor=None if item.anonymous else actor):
        item = _lock(item)
        if item.is_talk:
            _refuse(_("A talk record is not rated."), "talk")
        _require(item, [State.ANSWERED], _("Only an answer can be rated, and only once."), "not_answered")
        if rating not in Item.Rating.values:
            _refuse(_("Say whether you are satisfied with the answer."), "rating")
        item.rating, item.rating_comment = rating, (comment or "").strip()
        if rating == Item.Rating.SATISFIED:
            item.state, item.closed_at = State.CLOSED, timezone.now()
        else:
            item.state = State.ASSIGNED
            if item.owner_user_id:
                notify(user=item.owner_user, title=_("Not satisfied with the answer: %(title)s") % {"title": item.title},
                       body=_("Please answer a second time."), url=reverse("voice:tracker_item", args=[item.pk]))
        _step(item, Step.RATED, None if item.anonymous else actor,
              f"{Item.Rating(rating).label} {item.rating_comment}".strip(),
              fields=["rating", "rating_comment", "closed_at"])
        if rating == Item.Rating.SATISFIED:
            _step(item, Step.CLOSED, None, _("The member is satisfied."), save=False)
    return item


def item_close(*, item, actor, note=""):
    """销号 by the chair: an item answered a second time may be closed without the member's satisfaction; a talk
    record is closed by the chair or the person who held it when nothing more is to be done."""
    with transaction.atomic(), audit_context(actor=actor):
        item = _lock(item)
        if item.state in (State.CLOSED, State.DECLINED, State.MERGED):
            _refuse(_("This item is closed already."), "closed")
        if not item.is_talk and not (item.state == State.ANSWERED and item.answer_count >= 2):
            _refuse(_("An item is closed when the member is satisfied, or by the chair after a second answer."),
                    "not_second_answer")
        item.state, item.closed_at = State.CLOSED, timezone.now()
        _step(item, Step.CLOSED, actor, note.strip(), fields=["closed_at"])
    return item


def _tell_member(item, title):
    """Tell a named member (never a talk's subject: the record is not theirs to know of)."""
    if item.member_id and not item.is_talk and item.member.user_id:
        notify(user=item.member.user, title=title, body=item.title,
               url=reverse("voice:tracker_item", args=[item.pk]))
