"""django_celery_beat's admin in Chinese (issue 10 #8): schedules described in words, Beijing time first."""

import pytest
from django.test import Client
from django.utils import translation
from django_celery_beat.models import CrontabSchedule

from core.admin_beat import describe, zone_choices

pytestmark = pytest.mark.django_db


def test_a_schedule_reads_as_words_in_the_pages_language():
    crontab = CrontabSchedule(minute="30", hour="3", timezone="Asia/Shanghai")
    with translation.override("zh-hans"):
        assert describe(crontab) == "在 03:30（北京时间）"
    with translation.override("en"):
        assert describe(crontab) == "At 03:30, Beijing time (UTC+8)"


def test_the_zone_picker_offers_beijing_time_first_and_keeps_a_stored_zone():
    assert [str(zone) for zone, _label in zone_choices()] == ["Asia/Shanghai", "UTC"]
    assert [str(zone) for zone, _label in zone_choices("Europe/Berlin")][-1] == "Europe/Berlin"


def test_the_crontab_form_lists_only_the_allowed_zones(chair, login):
    chair.is_superuser = True
    chair.save()
    client = login(chair, use_client=Client())
    html = client.get("/admin/django_celery_beat/crontabschedule/add/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "北京时间" in html and "Africa/Abidjan" not in html
    assert html.index("Asia/Shanghai") < html.index('value="UTC"')
