"""Membership status and its dated history: only legal transitions, each recorded with who/when/why."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from members import services
from members.models import Member, MembershipEvent, MemberStatus
from members.models import MembershipEventKind as Kind
from tests.factories import DepartmentFactory, MemberFactory, valid_id_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
S = MemberStatus


def _days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def test_it_approves_an_application_and_dates_membership_from_approval(chair):
    applicant = services.member_create(kind=Kind.APPLY, effective_on=_days_ago(20), actor=chair, name="李新",
                                       id_number=valid_id_number(), department=DepartmentFactory())
    assert applicant.status == S.APPLICANT
    assert applicant.joined_on is None

    services.membership_change(member=applicant, kind=Kind.APPROVE, effective_on=_days_ago(5), actor=chair)

    applicant.refresh_from_db()
    assert applicant.status == S.ACTIVE
    assert applicant.joined_on == _days_ago(5)
    events = list(applicant.events.values_list("kind", "from_status", "to_status", "effective_on", "actor"))
    assert events == [
        (Kind.APPLY, "", S.APPLICANT, _days_ago(20), chair.pk),
        (Kind.APPROVE, S.APPLICANT, S.ACTIVE, _days_ago(5), chair.pk),
    ]


def test_it_derives_birth_date_and_sex_from_the_id_number(chair):
    number = valid_id_number(datetime.date(1979, 11, 2), sex="F")
    member = services.member_create(actor=chair, name="王芳", id_number=number.lower())
    assert member.id_number == number.upper()
    assert member.birth_date == datetime.date(1979, 11, 2)
    assert member.sex == "F"
    assert member.name_initials == "wf"


def test_it_refuses_a_birth_date_that_disagrees_with_the_id_number(chair):
    with pytest.raises(ValidationError) as error:
        services.member_create(actor=chair, name="王芳", id_number=valid_id_number(datetime.date(1979, 11, 2)),
                               birth_date=datetime.date(1979, 11, 3))
    assert "birth_date" in error.value.message_dict
    assert not Member.objects.filter(name="王芳").exists()


def test_it_refuses_a_sex_that_disagrees_with_the_id_number(chair):
    with pytest.raises(ValidationError) as error:
        services.member_create(actor=chair, name="王芳", id_number=valid_id_number(sex="F"), sex="M")
    assert "sex" in error.value.message_dict


def test_it_refuses_a_duplicate_id_number(chair):
    existing = MemberFactory()
    with pytest.raises(ValidationError) as error:
        services.member_create(actor=chair, name="重复", id_number=existing.id_number)
    assert "already on the roll" in str(error.value) or "已" in str(error.value)


def test_it_refuses_a_bad_phone_number(chair):
    with pytest.raises(ValidationError) as error:
        services.member_create(actor=chair, name="张三", phone="2345678901")
    assert "phone" in error.value.message_dict


ILLEGAL = [
    (S.APPLICANT, Kind.RETIRE), (S.APPLICANT, Kind.TRANSFER_OUT), (S.ACTIVE, Kind.APPROVE),
    (S.RETIRED, Kind.RETIRE), (S.RETIRED, Kind.TRANSFER_OUT), (S.DECEASED, Kind.REJOIN),
    (S.DECEASED, Kind.APPROVE), (S.WITHDRAWN, Kind.RETIRE), (S.EXPELLED, Kind.APPROVE),
    (S.TRANSFERRED_OUT, Kind.RETIRE), (S.REJECTED, Kind.APPROVE), (S.ACTIVE, Kind.REJOIN),
]


@pytest.mark.parametrize(("status", "kind"), ILLEGAL)
def test_it_refuses_illegal_transitions(chair, status, kind):
    member = MemberFactory(status=status)
    with pytest.raises(ValidationError) as error:
        services.membership_change(member=member, kind=kind, reason="r", actor=chair)
    assert error.value.code == "illegal_transition"
    member.refresh_from_db()
    assert member.status == status
    assert not MembershipEvent.objects.filter(member=member).exists()


@pytest.mark.parametrize(("status", "kind", "target"), [
    (S.ACTIVE, Kind.RETIRE, S.RETIRED), (S.ACTIVE, Kind.TRANSFER_OUT, S.TRANSFERRED_OUT),
    (S.ACTIVE, Kind.WITHDRAW, S.WITHDRAWN), (S.RETIRED, Kind.WITHDRAW, S.WITHDRAWN),
    (S.ACTIVE, Kind.EXPEL, S.EXPELLED), (S.ACTIVE, Kind.DEATH, S.DECEASED), (S.RETIRED, Kind.DEATH, S.DECEASED),
    (S.TRANSFERRED_OUT, Kind.TRANSFER_IN, S.ACTIVE), (S.WITHDRAWN, Kind.REJOIN, S.APPLICANT),
    (S.EXPELLED, Kind.REJOIN, S.APPLICANT), (S.REJECTED, Kind.REJOIN, S.APPLICANT),
    (S.APPLICANT, Kind.REJECT, S.REJECTED),
])
def test_it_allows_legal_transitions_and_records_them(chair, status, kind, target):
    member = MemberFactory(status=status, status_since=_days_ago(100))
    event = services.membership_change(member=member, kind=kind, reason="委员会决定", effective_on=_days_ago(3),
                                       counterpart="市总工会", actor=chair)
    member.refresh_from_db()
    assert member.status == target
    assert member.status_since == _days_ago(3)
    assert (event.from_status, event.to_status, event.actor, event.reason) == (status, target, chair, "委员会决定")


@pytest.mark.parametrize("kind", [Kind.WITHDRAW, Kind.EXPEL, Kind.REJECT])
def test_it_requires_a_reason_where_the_rules_need_one(chair, kind):
    member = MemberFactory(status=S.APPLICANT if kind == Kind.REJECT else S.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.membership_change(member=member, kind=kind, reason="  ", actor=chair)
    assert error.value.code == "reason_required"


def test_it_refuses_a_future_effective_date(chair):
    member = MemberFactory()
    with pytest.raises(ValidationError) as error:
        services.membership_change(member=member, kind=Kind.RETIRE, effective_on=TODAY + datetime.timedelta(days=1),
                                   actor=chair)
    assert error.value.code == "future_date"


def test_it_refuses_a_date_before_the_current_status_began(chair):
    member = MemberFactory(status_since=_days_ago(10))
    with pytest.raises(ValidationError) as error:
        services.membership_change(member=member, kind=Kind.RETIRE, effective_on=_days_ago(11), actor=chair)
    assert error.value.code == "date_before_status"


def test_it_keeps_the_history_of_a_member_who_leaves_and_rejoins(chair):
    member = services.member_create(actor=chair, name="赵六", id_number=valid_id_number(), effective_on=_days_ago(300))
    services.membership_change(member=member, kind=Kind.WITHDRAW, reason="本人申请", effective_on=_days_ago(200),
                               actor=chair)
    services.membership_change(member=member, kind=Kind.REJOIN, effective_on=_days_ago(100), actor=chair)
    services.membership_change(member=member, kind=Kind.APPROVE, effective_on=_days_ago(50), actor=chair)
    assert list(member.events.values_list("kind", flat=True)) == [Kind.ENROLL, Kind.WITHDRAW, Kind.REJOIN, Kind.APPROVE]
    member.refresh_from_db()
    assert member.status == S.ACTIVE
    assert member.joined_on == _days_ago(50)


def test_it_records_a_task_as_the_actor_when_no_user_acts(db):
    member = services.member_create(actor=None, via="task:roster_import", name="钱七", id_number=valid_id_number())
    event = member.events.get()
    assert event.actor is None and event.actor_label == "task:roster_import"
    entry = LogEntry.objects.get_for_object(member).get(action=LogEntry.Action.CREATE)
    assert entry.additional_data == {"via": "task:roster_import"}


def test_it_does_not_let_member_update_touch_the_status(chair):
    member = MemberFactory()
    with pytest.raises(ValueError):
        services.member_update(member=member, actor=chair, status=S.DECEASED)


def test_it_switches_the_login_off_when_a_member_leaves_and_on_when_they_return(chair, member_user):
    member = member_user.member
    services.membership_change(member=member, kind=Kind.TRANSFER_OUT, counterpart="省委机关工会", actor=chair)
    member_user.refresh_from_db()
    assert member_user.is_active is False
    services.membership_change(member=member, kind=Kind.TRANSFER_IN, counterpart="省委机关工会", actor=chair)
    member_user.refresh_from_db()
    assert member_user.is_active is True


def test_it_keeps_the_login_of_a_retired_member(chair, member_user):
    services.membership_change(member=member_user.member, kind=Kind.RETIRE, actor=chair)
    member_user.refresh_from_db()
    assert member_user.is_active is True


def test_a_lowercase_check_letter_is_accepted_as_x(chair):
    number = next(n for n in (valid_id_number(datetime.date(1979, 11, 2), sex="F") for _ in range(500))
                  if n.endswith("X"))
    member = services.member_create(actor=chair, name="王芳", id_number=number.lower())
    assert member.id_number == number
