"""The audit log is read by the auditor; entries of hardship cases are only for those who handle cases, and a
work-chat robot's secret address never reaches the log."""

import pytest
from django.test import Client

from core.models import WorkChatWebhook
from tests.factories import MemberFactory
from tests.welfare.hardship.helpers import open_case, poverty_line

pytestmark = pytest.mark.django_db


def test_the_auditor_does_not_see_hardship_entries_but_the_chair_does(login, chair, auditor, welfare_officer):
    poverty_line()
    member = MemberFactory(name="王秘密")
    case = open_case(welfare_officer, member=member)
    auditor_client, chair_client = login(auditor, use_client=Client()), login(chair, use_client=Client())

    page = auditor_client.get("/admin/auditlog/logentry/")
    assert page.status_code == 200
    # The member's own roll entry is there for both (the roll is not confidential); the case's entries are not.
    assert case.number not in page.content.decode()
    assert case.number in chair_client.get("/admin/auditlog/logentry/").content.decode()

    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk).first()
    assert auditor_client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code in (302, 404)
    assert chair_client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200


def test_a_robots_address_is_not_logged(chair):
    from auditlog.models import LogEntry

    WorkChatWebhook.objects.create(name="工会群", kind=WorkChatWebhook.Kind.WECOM,
                                   url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY")
    assert LogEntry.objects.exists()
    assert not any("SECRET-KEY" in str(entry.changes) for entry in LogEntry.objects.all())
