"""Notices reach their audience through the reminder engine's channels exactly once, however often it runs."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from activities.models import Audience
from core.models import Notification, ReminderDelivery, ReminderDispatch
from core.reminder_engine import reminders_run
from members.models import MemberStatus
from tests.factories import DepartmentFactory, MemberFactory, UnionGroupFactory
from tests.voice.helpers import member_with_login
from voice.audience import in_audience, members_in_audience
from voice.models import Notice
from voice.notices.services import notice_publish, notice_save, notice_withdraw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_voice_reminders", "english")]


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_each_member_is_told_once_however_often_the_job_runs(make_notice):
    today = timezone.localdate()
    first, second = member_with_login(), member_with_login()
    MemberFactory()  # no portal account: nobody to tell
    notice = make_notice(published_at=_at(today))
    for _ in range(3):
        reminders_run(today=today)
    reminders_run(today=today + datetime.timedelta(days=1))
    rows = ReminderDelivery.objects.filter(key=f"notice:{notice.pk}")
    assert set(rows.values_list("recipient_id", flat=True)) == {first.user_id, second.user_id}
    assert Notification.objects.filter(user=first.user).count() == 1
    assert Notification.objects.filter(user=second.user).count() == 1
    channels = set(ReminderDispatch.objects.filter(delivery__in=rows).values_list("channel", flat=True))
    assert {"portal", "email"} <= channels


def test_a_notice_published_later_is_delivered_on_its_day_and_a_withdrawn_one_never(make_notice):
    today = timezone.localdate()
    member = member_with_login()
    reminders_run(today=today - datetime.timedelta(days=1))
    withdrawn = make_notice(published_at=_at(today))
    notice_withdraw(notice=withdrawn, actor=None)
    later = make_notice(published=False, title="Later")
    reminders_run(today=today)
    assert not ReminderDelivery.objects.exists()
    notice_publish(notice=later, actor=None)
    reminders_run(today=today)
    assert list(ReminderDelivery.objects.values_list("recipient_id", "key")) == [(member.user_id, f"notice:{later.pk}")]


def test_a_run_after_an_outage_still_delivers_what_was_published_meanwhile(make_notice):
    today = timezone.localdate()
    member = member_with_login()
    reminders_run(today=today - datetime.timedelta(days=4))
    notice = make_notice(published_at=_at(today - datetime.timedelta(days=2)))
    reminders_run(today=today)
    assert ReminderDelivery.objects.filter(recipient=member.user, key=f"notice:{notice.pk}").exists()


def test_publishing_twice_is_refused(make_notice):
    notice = make_notice()
    with pytest.raises(Exception, match="published already"):
        notice_publish(notice=notice, actor=None)


def test_the_body_is_sanitised_when_saved():
    notice = notice_save(notice=Notice(title="T", body='<p onclick="x()">Hi<script>alert(1)</script></p>'
                                                     '<a href="javascript:alert(1)">x</a><strong>b</strong>'),
                         actor=None)
    assert "script" not in notice.body and "onclick" not in notice.body and "javascript" not in notice.body
    assert "<strong>b</strong>" in notice.body and "<p>Hi</p>" in notice.body


@pytest.mark.parametrize("audience", [Audience.ALL, Audience.WOMEN, Audience.CHOSEN])
@pytest.mark.parametrize("retirees", [True, False])
@pytest.mark.parametrize("with_role", [True, False])
def test_the_audience_query_and_the_single_check_agree(make_notice, audience, retirees, with_role):
    group, department = UnionGroupFactory(), DepartmentFactory()
    people = [
        member_with_login(male=False), member_with_login(), member_with_login(union_group=group),
        member_with_login(department=department, male=False), member_with_login(status=MemberStatus.RETIRED),
        member_with_login(status=MemberStatus.RETIRED, male=False, union_group=group),
    ]
    notice = make_notice(audience=audience, retirees_included=retirees)
    if audience == Audience.CHOSEN:
        notice.union_groups.add(group)
        notice.departments.add(department)
    if with_role:
        chair = Role.objects.get(code=Role.CHAIR)
        notice.roles.add(chair)
        people[2].user.groups.add(chair.group)
    chosen = set(members_in_audience(notice).values_list("pk", flat=True))
    assert chosen == {m.pk for m in people if in_audience(notice, m)}
    if audience == Audience.WOMEN:
        assert all(m.sex == "F" for m in people if m.pk in chosen)
    if not retirees:
        assert people[4].pk not in chosen and people[5].pk not in chosen
    if with_role:
        assert chosen <= {people[2].pk}
    if audience == Audience.ALL and retirees and not with_role:
        assert chosen == {m.pk for m in people}
