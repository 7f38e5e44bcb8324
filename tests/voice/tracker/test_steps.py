"""Each step of the tracker and each refusal: received → accepted or declined → assigned → answered → rated →
closed (satisfied, or 销号 by the chair after a second answer); every step records who and when."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import DepartmentFactory
from tests.voice.helpers import member_with_login
from voice.models import Item, ItemStep
from voice.tracker import services as s

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Step, State = ItemStep.Kind, Item.State
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _filed(member, **kw):
    item, code = s.item_submit(member=member, source=kw.pop("source", Item.Source.BOX), title="Canteen",
                               text="Please open the canteen earlier.", actor=member.user, **kw)
    return item


def _answered(item, chair, owner=None, answer="Opens at 7 from Monday."):
    item = s.item_accept(item=item, actor=chair)
    item = s.item_assign(item=item, owner_user=owner or chair, deadline=TOMORROW, actor=chair)
    return s.item_answer(item=item, answer=answer, actor=owner or chair)


def test_it_walks_a_named_item_from_received_to_closed_recording_who_and_when(chair, treasurer):
    member = member_with_login()
    item = _filed(member)
    assert item.state == State.RECEIVED and item.member == member
    item = _answered(item, chair, owner=treasurer)
    assert (item.state, item.owner_user, item.answer_count) == (State.ANSWERED, treasurer, 1)
    item = s.item_rate(item=item, rating=Item.Rating.SATISFIED, actor=member.user)
    assert item.state == State.CLOSED and item.closed_at is not None
    steps = list(item.steps.values_list("kind", "actor"))
    assert steps == [(Step.RECEIVED, member.user_id), (Step.ACCEPTED, chair.pk), (Step.ASSIGNED, chair.pk),
                     (Step.ANSWERED, treasurer.pk), (Step.RATED, member.user_id), (Step.CLOSED, None)]
    assert all(step.at is not None for step in item.steps.all())
    actors = set(LogEntry.objects.get_for_object(item).values_list("actor_id", flat=True))
    assert {member.user_id, chair.pk, treasurer.pk} <= actors


def test_an_unsatisfied_member_sends_it_back_and_the_chair_closes_it_after_the_second_answer(chair):
    member = member_with_login()
    item = _answered(_filed(member), chair)
    with pytest.raises(ValidationError, match="after a second answer"):
        s.item_close(item=item, actor=chair)
    item = s.item_rate(item=item, rating=Item.Rating.UNSATISFIED, comment="Still too late", actor=member.user)
    assert item.state == State.ASSIGNED and item.closed_at is None
    item = s.item_answer(item=item, answer="Opens at 6:30.", actor=chair)
    assert item.answer_count == 2
    item = s.item_close(item=item, actor=chair, note="销号")
    assert item.state == State.CLOSED
    assert item.steps.last().kind == Step.CLOSED and item.steps.last().actor == chair


def test_a_declined_item_needs_its_reason_and_is_final(chair):
    item = _filed(member_with_login())
    with pytest.raises(ValidationError, match="Say why"):
        s.item_decline(item=item, reason="  ", actor=chair)
    item = s.item_decline(item=item, reason="Not the union's matter.", actor=chair)
    assert item.state == State.DECLINED and item.decline_reason == "Not the union's matter."
    for step in (lambda: s.item_accept(item=item, actor=chair),
                 lambda: s.item_decline(item=item, reason="again", actor=chair),
                 lambda: s.item_assign(item=item, owner_user=chair, deadline=TOMORROW, actor=chair),
                 lambda: s.item_close(item=item, actor=chair)):
        with pytest.raises(ValidationError):
            step()


@pytest.mark.parametrize("step, message", [
    ("assign", "once it has been accepted"),
    ("answer", "Only an item with its owner"),
    ("rate", "Only an answer can be rated"),
    ("close", "after a second answer"),
])
def test_each_step_out_of_order_is_refused_with_its_message(chair, step, message):
    member = member_with_login()
    item = _filed(member)
    calls = {"assign": lambda: s.item_assign(item=item, owner_user=chair, deadline=TOMORROW, actor=chair),
             "answer": lambda: s.item_answer(item=item, answer="x", actor=chair),
             "rate": lambda: s.item_rate(item=item, rating=Item.Rating.SATISFIED, actor=member.user),
             "close": lambda: s.item_close(item=item, actor=chair)}
    with pytest.raises(ValidationError, match=message):
        calls[step]()
    item.refresh_from_db()
    assert item.state == State.RECEIVED and item.steps.count() == 1


def test_accepting_twice_rating_twice_and_answering_a_closed_item_are_refused(chair):
    member = member_with_login()
    item = _filed(member)
    s.item_accept(item=item, actor=chair)
    with pytest.raises(ValidationError, match="just received"):
        s.item_accept(item=item, actor=chair)
    item = s.item_assign(item=item, owner_user=chair, deadline=TOMORROW, actor=chair)
    item = s.item_answer(item=item, answer="Done.", actor=chair)
    s.item_rate(item=item, rating=Item.Rating.SATISFIED, actor=member.user)
    with pytest.raises(ValidationError, match="only once"):
        s.item_rate(item=item, rating=Item.Rating.UNSATISFIED, actor=member.user)
    with pytest.raises(ValidationError, match="with its owner"):
        s.item_answer(item=item, answer="More.", actor=chair)
    with pytest.raises(ValidationError, match="closed already"):
        s.item_close(item=item, actor=chair)


def test_an_owner_and_a_deadline_from_today_on_are_required(chair):
    item = s.item_accept(item=_filed(member_with_login()), actor=chair)
    with pytest.raises(ValidationError, match="Name the owner"):
        s.item_assign(item=item, deadline=TOMORROW, actor=chair)
    with pytest.raises(ValidationError, match="from today on"):
        s.item_assign(item=item, owner_user=chair, deadline=timezone.localdate() - datetime.timedelta(days=1),
                      actor=chair)
    item = s.item_assign(item=item, owner_department=DepartmentFactory(name="办公室"), deadline=TOMORROW, actor=chair)
    assert item.owner_department.name == "办公室" and item.owner_user is None
    item = s.item_assign(item=item, owner_user=chair, deadline=TOMORROW, actor=chair)  # handed on
    assert item.steps.filter(kind=Step.ASSIGNED).count() == 2


def test_an_anonymous_item_links_nobody_and_is_followed_with_a_code_kept_only_hashed(chair):
    member = member_with_login()
    item, code = s.item_submit(member=member, source=Item.Source.CHAIR, title="Overtime", text="Too much overtime.",
                               anonymous=True, actor=member.user)
    assert item.member is None and len(code) == 14
    assert item.follow_code_hash == s.code_hash(code) and code not in item.follow_code_hash
    assert s.code_hash(code.lower().replace("-", "")) == item.follow_code_hash  # typed without dashes
    assert item.steps.get().actor is None
    assert not LogEntry.objects.filter(actor=member.user).exists()
    item = _answered(item, chair)
    item = s.item_rate(item=item, rating=Item.Rating.SATISFIED, actor=None)
    assert item.state == State.CLOSED
    assert not item.steps.filter(actor=member.user).exists()


def test_members_file_only_from_the_box_the_mailbox_or_a_proposal_and_need_text():
    member = member_with_login()
    for source in (Item.Source.TALK, Item.Source.RECEPTION):
        with pytest.raises(ValidationError, match="recorded by the union"):
            s.item_submit(member=member, source=source, title="x", text="y", actor=member.user)
    with pytest.raises(ValidationError, match="title"):
        s.item_submit(member=member, source=Item.Source.BOX, title=" ", text="y", actor=member.user)
    with pytest.raises(ValidationError, match="Only members"):
        s.item_submit(member=None, source=Item.Source.BOX, title="x", text="y", actor=None)


def test_a_talk_is_recorded_by_whoever_held_it_is_not_rated_and_is_closed_by_them(welfare_officer):
    member = member_with_login()
    talk = s.item_record(source=Item.Source.TALK, title="After the transfer", text="Worried about the commute.",
                         member=member, actor=welfare_officer)
    assert talk.held_by == welfare_officer and talk.member == member
    with pytest.raises(ValidationError, match="with whom"):
        s.item_record(source=Item.Source.TALK, title="x", text="y", actor=welfare_officer)
    with pytest.raises(ValidationError, match="not rated"):
        s.item_rate(item=talk, rating=Item.Rating.SATISFIED, actor=member.user)
    talk = s.item_close(item=talk, actor=welfare_officer, note="Nothing more to do.")
    assert talk.state == State.CLOSED


def test_the_members_notifications_name_the_item_so_three_answers_are_told_apart(chair):
    from django.utils import translation

    from core.models import Notification

    member = member_with_login()
    for title in ("Canteen hours", "Parking", "Library"):
        item, _code = s.item_submit(member=member, source=Item.Source.BOX, title=title, text="Please.",
                                    actor=member.user)
        _answered(item, chair)
    declined, _code = s.item_submit(member=member, source=Item.Source.BOX, title="Gym", text="Please.",
                                    actor=member.user)
    with translation.override("zh-hans"):
        s.item_decline(item=declined, reason="不在工会职责内", actor=chair)
    titles = set(Notification.objects.filter(user=member.user).values_list("title", flat=True))
    assert {"Your item has been answered: Canteen hours", "Your item has been answered: Parking",
            "Your item has been answered: Library", "您反映的事项不予受理：Gym"} <= titles
