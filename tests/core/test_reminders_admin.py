"""The committee's console for reminders: read-only ledger, run now (with confirmation), robots for the chair."""

import pytest
from django.test import Client

from core.models import ReminderDelivery, ReminderRun, WorkChatWebhook
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_chair_runs_the_reminders_now_after_confirming(chair, login, django_capture_on_commit_callbacks):
    client = Client()
    login(chair, use_client=client)
    listing = client.get("/admin/core/reminderrun/")
    assert listing.status_code == 200 and "tool-run-reminders" in listing.content.decode()
    confirm = client.get("/admin/core/reminderrun/run-now/")
    assert confirm.status_code == 200 and "Yes, run the reminders now" in confirm.content.decode()
    assert not ReminderRun.objects.exists()  # asking is not doing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/core/reminderrun/run-now/", once())
    assert response.status_code == 302
    assert ReminderRun.objects.get().status == "done"


def test_the_ledger_is_read_only(chair, welfare_officer, login):
    ReminderDelivery.objects.create(recipient=welfare_officer, key="test:1", kind="test", title="hello",
                                    remind_on="2027-01-01")
    delivery = ReminderDelivery.objects.get()
    for user in (chair, welfare_officer):
        client = Client()
        login(user, use_client=client)
        assert client.get("/admin/core/reminderdelivery/").status_code == 200
        page = client.get(f"/admin/core/reminderdelivery/{delivery.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client.get("/admin/core/reminderdelivery/add/").status_code == 403
        assert client.post(f"/admin/core/reminderdelivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ReminderDelivery.objects.count() == 1


def test_only_the_chair_configures_work_chat_robots(chair, welfare_officer, group_leader, login):
    client = Client()
    login(chair, use_client=client)
    response = client.post("/admin/core/workchatwebhook/add/", {
        "name": "工会委员群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
        "keyword": "工会", "enabled": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WorkChatWebhook.objects.get().kind == "dingtalk"

    officer = Client()
    login(welfare_officer, use_client=officer)
    assert officer.get("/admin/core/workchatwebhook/").status_code == 403
    assert officer.get("/admin/core/reminderrun/run-now/").status_code == 200

    leader = Client()
    login(group_leader, use_client=leader)
    assert leader.get("/admin/core/reminderrun/run-now/").status_code in (302, 403)
    assert leader.post("/admin/core/reminderrun/run-now/").status_code in (302, 403)
    assert not ReminderRun.objects.exists()
