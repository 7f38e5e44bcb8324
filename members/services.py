"""Writes to the member roll. Every change goes through here, inside a transaction, with an explicit actor.

Membership status changes follow the 中国工会章程 and DOMAIN §1: only the transitions in
``TRANSITIONS`` exist, each is dated, and each leaves a MembershipEvent (who, when, why).
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import activation_url, invitation_issue, user_set_roles
from core.audit import audit_access, audit_context
from core.notifications import notify
from core.reminder_engine import role_user_ids

from .models import ON_ROLL_STATUSES, Member, MemberPayItem, MembershipEvent, MemberStatus, UnionGroup
from .models import MembershipEventKind as Kind

logger = logging.getLogger(__name__)

S = MemberStatus


@dataclass(frozen=True)
class Transition:
    sources: tuple  # statuses it may start from (None = a person not yet on file)
    target: str
    reason_required: bool = False


TRANSITIONS = {
    Kind.ENROLL: Transition(sources=(None,), target=S.ACTIVE),
    Kind.APPLY: Transition(sources=(None,), target=S.APPLICANT),
    Kind.APPROVE: Transition(sources=(S.APPLICANT,), target=S.ACTIVE),
    Kind.REJECT: Transition(sources=(S.APPLICANT,), target=S.REJECTED, reason_required=True),
    Kind.TRANSFER_IN: Transition(sources=(None, S.TRANSFERRED_OUT), target=S.ACTIVE),
    Kind.TRANSFER_OUT: Transition(sources=(S.ACTIVE,), target=S.TRANSFERRED_OUT),
    Kind.RETIRE: Transition(sources=(S.ACTIVE,), target=S.RETIRED),
    Kind.WITHDRAW: Transition(sources=(S.ACTIVE, S.RETIRED), target=S.WITHDRAWN, reason_required=True),
    Kind.EXPEL: Transition(sources=(S.ACTIVE, S.RETIRED), target=S.EXPELLED, reason_required=True),
    Kind.DEATH: Transition(sources=(S.ACTIVE, S.RETIRED), target=S.DECEASED),
    Kind.REJOIN: Transition(sources=(S.WITHDRAWN, S.EXPELLED, S.REJECTED, S.TRANSFERRED_OUT), target=S.APPLICANT),
}

#: Event kinds that create a member record.
CREATING_KINDS = (Kind.ENROLL, Kind.APPLY, Kind.TRANSFER_IN)


def allowed_transitions(member):
    """The status changes the member's current status allows (for menus and checks)."""
    return [kind for kind, rule in TRANSITIONS.items() if member.status in rule.sources]


def _check_transition(*, member, kind, effective_on, reason):
    rule = TRANSITIONS[kind]
    current = member.status if member.pk else None
    if current not in rule.sources:
        raise ValidationError(
            _("“%(event)s” is not possible for a member whose status is “%(status)s”.")
            % {"event": Kind(kind).label, "status": MemberStatus(current).label if current else _("not on file")},
            code="illegal_transition",
        )
    if rule.reason_required and not (reason or "").strip():
        raise ValidationError(_("Give the reason for “%(event)s”.") % {"event": Kind(kind).label}, code="reason_required")
    if effective_on > timezone.localdate():
        raise ValidationError(_("The effective date cannot be in the future."), code="future_date")
    if member.pk and member.status_since and effective_on < member.status_since:
        raise ValidationError(
            _("The effective date %(date)s is before the current status began (%(since)s).")
            % {"date": effective_on, "since": member.status_since},
            code="date_before_status",
        )
    return rule


def _record_event(*, member, kind, from_status, rule, effective_on, reason, counterpart, actor, via):
    return MembershipEvent.objects.create(
        member=member, kind=kind, from_status=from_status or "", to_status=rule.target, effective_on=effective_on,
        reason=reason or "", counterpart=counterpart or "", actor=actor, actor_label=via or "",
    )


def member_create(*, kind=Kind.ENROLL, effective_on=None, reason="", counterpart="", actor, via=None, **fields):
    """Put a person on file: enrolled as an existing member, an applicant, or transferred in.

    For ENROLL and TRANSFER_IN, ``joined_on`` is the original date of joining (kept across unions);
    for APPLY, it stays empty until the application is approved.
    """
    if kind not in CREATING_KINDS:
        raise ValueError(f"{kind} does not create a member")
    effective_on = effective_on or timezone.localdate()
    member = Member(**fields)
    rule = _check_transition(member=member, kind=kind, effective_on=effective_on, reason=reason)
    member.status = rule.target
    member.status_since = effective_on
    if kind == Kind.APPLY:
        member.joined_on = None
    elif member.joined_on is None:
        member.joined_on = effective_on
    member.full_clean()
    with transaction.atomic(), audit_context(actor=actor, via=via):
        member.save()
        _record_event(member=member, kind=kind, from_status=None, rule=rule, effective_on=effective_on,
                      reason=reason, counterpart=counterpart, actor=actor, via=via)
    return member


APPLICATION_VIA = "web:application"


def application_receive(*, name, id_number, phone, department, position="", statement="", actor=None,
                        via=APPLICATION_VIA):
    """The online 入会申请 of a person who may be a stranger: the answer never tells whether the ID number is on file.

    A new ID number becomes an applicant (APPLY), for the committee to approve. An ID number already on file changes
    nothing on that record: the committee (the chair) is told, and the office contacts the person through the
    details on the record — never through those typed into the application, which anyone could have typed. Both paths
    validate the same way and return nothing, so the page answers identically (members.views.apply). A typing error
    in the data (ValidationError) is raised alike for both.
    """
    fields = {"name": name, "id_number": id_number, "phone": phone, "department": department, "position": position}
    Member(**fields, status=S.APPLICANT).full_clean(validate_unique=False, validate_constraints=False)
    existing = Member.objects.filter(id_number=id_number).first()
    if existing is None:
        try:
            with transaction.atomic():
                member_create(kind=Kind.APPLY, actor=actor, via=via, reason=statement, **fields)
            return
        except (IntegrityError, ValidationError):
            existing = Member.objects.filter(id_number=id_number).first()
            if existing is None:
                raise
    _application_for_member_on_file(existing, actor=actor, via=via)


def _application_for_member_on_file(member, *, actor, via):
    with transaction.atomic():
        audit_access(member, actor=actor, action_label="members.application_for_member_on_file", via=via)
        title = _("Online application with an ID number already on file")
        body = _("An online membership application came in with the ID number of %(name)s (%(status)s), who is "
                 "already on file. Nothing was changed and no new record was made. Ask %(name)s, through the "
                 "contact details on their record, whether they applied; the application's own contact details may "
                 "have been typed by someone else.") % {"name": member.name, "status": member.get_status_display()}
        url = reverse("admin:members_member_change", args=[member.pk])
        for user in User.objects.filter(pk__in=role_user_ids(Role.CHAIR)):
            notify(user=user, title=title, body=body, url=url)


def member_update(*, member, actor, via=None, **fields):
    """Change a member's record (not their status). Validates the whole record before saving."""
    for name in ("status", "status_since", "dues_base", "user", "id", "pk"):
        if name in fields:
            raise ValueError(f"{name} is not changed through member_update")
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    with transaction.atomic(), audit_context(actor=actor, via=via):
        member.save()
    return member


def membership_change(*, member, kind, effective_on=None, reason="", counterpart="", actor, via=None):
    """Move a member along one legal membership transition, dated, with who and why.

    Approval sets the membership start (入会日期) to the approval date (DOMAIN §1).
    """
    if kind in (Kind.ENROLL, Kind.APPLY):
        raise ValueError(f"{kind} creates a member; use member_create")
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic(), audit_context(actor=actor, via=via):
        locked = Member.objects.select_for_update().get(pk=member.pk)
        rule = _check_transition(member=locked, kind=kind, effective_on=effective_on, reason=reason)
        from_status = locked.status
        locked.status = rule.target
        locked.status_since = effective_on
        update_fields = ["status", "status_since", "updated_at"]
        if kind == Kind.APPROVE:
            locked.joined_on = effective_on
            update_fields.append("joined_on")
        locked.save(update_fields=update_fields)
        _sync_account_access(locked, actor=actor)
        event = _record_event(member=locked, kind=kind, from_status=from_status, rule=rule, effective_on=effective_on,
                              reason=reason, counterpart=counterpart, actor=actor, via=via)
    member.refresh_from_db()
    return event


def _sync_account_access(member, *, actor):
    """A portal login belongs to people on the roll: leaving the roll (transfer out, 退会, 除名, death)
    switches the account off; coming back onto it (approval, transfer back in) switches it on again."""
    user = member.user
    if user is None:
        return
    should_be_active = member.status in ON_ROLL_STATUSES
    if user.is_active != should_be_active and not user.is_superuser:
        user.is_active = should_be_active
        user.save(update_fields=["is_active"])


def members_change_group(*, members, union_group, actor):
    """Move the given members to another 工会小组 (bulk action in the admin)."""
    changed = 0
    with transaction.atomic(), audit_context(actor=actor):
        for member in members:
            if member.union_group_id != (union_group.pk if union_group else None):
                member.union_group = union_group
                member.save(update_fields=["union_group", "updated_at"])
                changed += 1
    return changed


def group_leader_set(*, union_group, member, actor):
    """小组长: the member the group chose ("组长由小组全体会员推选并报上级工会备案") leads it and holds the group leader
    role; a former leader who now leads no group loses that role. ``member`` None leaves the group without one."""
    with transaction.atomic(), audit_context(actor=actor):
        group = UnionGroup.objects.select_for_update().get(pk=union_group.pk)
        if member is not None and (member.union_group_id != group.pk or not member.is_in_service):
            raise ValidationError(_("A group leader must be a member of the group in service."), code="not_in_group")
        previous = group.leader
        group.leader = member
        group.save(update_fields=["leader"])
        role = Role.objects.select_related("group").get(code=Role.GROUP_LEADER)
        if member is not None and member.user_id:
            user_role_change(user=member.user, add=role, actor=actor)
        if (previous is not None and previous != member and previous.user_id
                and not previous.led_groups.exists()):
            user_role_change(user=previous.user, remove=role, actor=actor)
    return group


def user_role_change(*, user, add=None, remove=None, actor):
    """Give ``user`` one role more (``add``) or one fewer (``remove``), keeping the others (e.g. 小组长 or 主席 on
    an election's acceptance)."""
    roles = set(Role.objects.filter(group__user=user).select_related("group"))
    changed = (roles | ({add} if add else set())) - {remove}
    if changed != roles:
        user_set_roles(user=user, roles=changed, actor=actor)


def dues_base_set(*, member, amounts, actor, via=None):
    """Record the member's monthly pay items and recompute the dues base from those the union counts.

    ``amounts`` maps PayItem → Decimal (None or missing removes the item). Which items count is data
    on PayItem (DOMAIN §2: e.g. 职务工资 + 级别工资 for civil servants).
    """
    with transaction.atomic(), audit_context(actor=actor, via=via):
        for item, amount in amounts.items():
            if amount is None:
                MemberPayItem.objects.filter(member=member, item=item).delete()
                continue
            amount = Decimal(amount)
            if amount < 0:
                raise ValidationError(_("Pay item amounts cannot be negative."), code="negative_pay")
            MemberPayItem.objects.update_or_create(member=member, item=item, defaults={"amount": amount})
        return member_recompute_dues_base(member=member, actor=actor, via=via)


def member_recompute_dues_base(*, member, actor, via=None):
    total = sum(
        (row.amount for row in MemberPayItem.objects.filter(member=member, item__counts_for_dues=True)),
        Decimal("0.00"),
    )
    if member.dues_base != total:
        with audit_context(actor=actor, via=via):
            member.dues_base = total
            member.save(update_fields=["dues_base", "updated_at"])
    return member


# --- portal accounts for members ---------------------------------------------------------------------------------

def _username_for(member):
    base = member.card_number or f"m{member.pk}"
    candidate = base
    suffix = 1
    while User.objects.filter(username=candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def account_skip_reason(member):
    """Why ``accounts_create_for_members`` skips ``member`` (it already has an account, or it is not on the roll),
    or "" when it gets one: the confirmation page asks before, the service again under its lock."""
    if member.user_id is not None:
        return _("already has an account")
    if not member.is_on_roll:
        return _("is not on the roll")
    return ""


def accounts_create_for_members(*, members, actor, request=None):
    """Create a portal account for each member on the roll who has none (no open sign-up).

    Each new account gets an unusable password and a one-time activation code. Returns a list of
    (member, username, code) for the chair to hand out; members with an email also get the link by mail.
    Members who already have an account or are not on the roll are skipped, and listed as such.
    """
    created, skipped = [], []
    member_role = Role.objects.select_related("group").get(code=Role.MEMBER)
    with transaction.atomic(), audit_context(actor=actor):
        # Lock the rows: the chair's double click must not give one member two accounts.
        # order_by(): Member's default ordering joins the (nullable) department, which PostgreSQL cannot lock.
        locked = Member.objects.select_for_update(of=("self",)).order_by().in_bulk([member.pk for member in members])
        for member in members:
            member = locked.get(member.pk, member)
            why = account_skip_reason(member)
            if why:
                skipped.append((member, why))
                continue
            # allauth finds accounts for a password reset by the lower-cased address.
            user = User(username=_username_for(member), email=(member.email or "").lower(),
                        first_name=member.name[:150])
            user.set_unusable_password()
            user.save()
            user.groups.add(member_role.group)
            member.user = user
            member.save(update_fields=["user", "updated_at"])
            code = invitation_issue(user=user, actor=actor)
            created.append((member, user.username, code))
            if member.email:
                transaction.on_commit(lambda m=member, c=code: _send_activation_mail(m, c, request))
    return created, skipped


def _send_activation_mail(member, code, request):
    # The accounts exist already and the chair's result page lists every code: a mail server that is down must
    # not turn that page into an error and lose the codes.
    try:
        _send_activation_mail_now(member, code, request)
    except Exception:  # noqa: BLE001 — any SMTP/socket failure
        logger.exception("Activation mail to member %s failed; the code is on the chair's result page.", member.pk)


def _send_activation_mail_now(member, code, request):
    send_mail(
        subject=_("Your union portal account"),
        message=_(
            "Dear %(name)s,\n\nan account on the union portal has been created for you.\n"
            "Open %(url)s (or enter the code %(code)s on the activation page) to set your password.\n"
            "The code can be used once and expires in 30 days."
        ) % {"name": member.name, "url": activation_url(code, request), "code": code},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[member.email],
    )
