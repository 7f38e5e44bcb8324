"""The .ics calendar file: UTC times, a stable UID, RFC 5545 escaping and line folding, the download itself."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from activities.ics import activity_ics, escape_text, fold
from activities.models import Activity

from .factories import ActivityFactory, _english  # noqa: F401

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def unfold(text):
    return text.replace("\r\n ", "")


def test_it_writes_times_in_utc():
    """08:00–17:30 in Shanghai (UTC+8) is 00:00–09:30 UTC."""
    activity = ActivityFactory(starts_at=datetime.datetime(2026, 10, 18, 8, 0, tzinfo=SHANGHAI),
                               ends_at=datetime.datetime(2026, 10, 18, 17, 30, tzinfo=SHANGHAI),
                               registration_opens_at=datetime.datetime(2026, 9, 1, tzinfo=SHANGHAI),
                               registration_closes_at=datetime.datetime(2026, 10, 10, tzinfo=SHANGHAI))
    text = activity_ics(activity, url="https://portal.example.org/activities/1/", domain="portal.example.org")
    assert "DTSTART:20261018T000000Z\r\n" in text and "DTEND:20261018T093000Z\r\n" in text


def test_a_morning_start_falls_on_the_previous_utc_day():
    start = datetime.datetime(2026, 4, 5, 7, 0, tzinfo=SHANGHAI)
    activity = ActivityFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                               registration_opens_at=start - datetime.timedelta(days=9),
                               registration_closes_at=start - datetime.timedelta(days=1))
    assert "DTSTART:20260404T230000Z" in activity_ics(activity, url="u", domain="d")


def test_the_uid_is_stable_across_downloads_and_changes():
    activity = ActivityFactory()
    first = activity_ics(activity, url="u", domain="portal.example.org")
    activity.title = "改名了"
    activity.save()
    second = activity_ics(activity, url="u", domain="portal.example.org")
    uid = f"UID:activity-{activity.pk}@portal.example.org\r\n"
    assert uid in first and uid in second


def test_it_escapes_text_per_rfc_5545():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    activity = ActivityFactory(title="春游; 植物园, 一日", place="北京, 香山", description="第一行\n第二行")
    text = unfold(activity_ics(activity, url="u", domain="d"))
    assert "SUMMARY:春游\\; 植物园\\, 一日\r\n" in text
    assert "LOCATION:北京\\, 香山\r\n" in text
    assert "DESCRIPTION:第一行\\n第二行\r\n" in text


def test_it_folds_long_lines_at_75_octets_without_splitting_characters():
    activity = ActivityFactory(description="秋季登山活动说明" * 20)
    text = activity_ics(activity, url="u", domain="d")
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    text.encode("utf-8").decode("utf-8")  # every folded piece is whole characters
    assert f"DESCRIPTION:{'秋季登山活动说明' * 20}\r\n" in unfold(text)
    assert fold("x" * 75) == "x" * 75 and fold("x" * 76) == "x" * 75 + "\r\n x"


def test_it_ends_every_line_with_crlf_and_wraps_one_event():
    text = activity_ics(ActivityFactory(), url="u", domain="d")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 1 and "STATUS:CONFIRMED" in text


def test_a_cancelled_activity_is_marked_cancelled():
    activity = ActivityFactory(state=Activity.State.CANCELLED, cancelled_reason="台风")
    text = activity_ics(activity, url="u", domain="d")
    assert "STATUS:CANCELLED" in text and "SEQUENCE:1" in text and "台风" in text


def test_members_download_it(client, login, member_user):
    login(member_user)
    activity = ActivityFactory(title="重阳登高")
    response = client.get(f"/activities/{activity.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="activity-{activity.pk}.ics"'
    text = response.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "SUMMARY:重阳登高" in text
    assert f"URL:http://testserver/activities/{activity.pk}/" in unfold(text)
    assert f"UID:activity-{activity.pk}@" in text


def test_there_is_no_calendar_file_for_a_draft(client, login, member_user):
    login(member_user)
    activity = ActivityFactory(state=Activity.State.DRAFT)
    assert client.get(f"/activities/{activity.pk}/calendar.ics").status_code == 404
