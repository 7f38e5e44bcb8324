"""The chair writes a notice in the admin (body sanitised, a file attached) and publishes it with the action."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.once import once
from voice.models import Notice, Survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "private_media")]


def test_the_chair_writes_attaches_and_publishes_a_notice(client, login, chair, make_survey):
    login(chair)
    response = client.post("/admin/voice/notice/add/", {
        "title": "Congress on Friday", "body": "<p>Hall A<script>x()</script></p>", "audience": "all",
        "retirees_included": "on", "attach": SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 agenda"),
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get()
    assert notice.body == "<p>Hall A</p>" and notice.attachments.get().original_name == "agenda.pdf"
    assert notice.state == Notice.State.DRAFT and notice.created_by == chair
    asked = client.post("/admin/voice/notice/", {"action": "publish", "_selected_action": [notice.pk]},
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    notice.refresh_from_db()
    assert notice.state == Notice.State.DRAFT  # asked first: nothing published yet
    assert "1 notice will be published; its audience is told with the next reminder run." in asked
    assert "Congress on Friday" in asked[asked.index("Notices to publish"):]
    client.post("/admin/voice/notice/", once({"action": "publish", "_selected_action": [notice.pk],
                                              "confirmed": "yes"}))
    notice.refresh_from_db()
    assert notice.state == Notice.State.PUBLISHED and notice.published_at
    survey = make_survey(state=Survey.State.DRAFT)
    client.post("/admin/voice/survey/", {"action": "publish", "_selected_action": [survey.pk]})
    survey.refresh_from_db()
    assert survey.state == Survey.State.DRAFT
    client.post("/admin/voice/survey/", {"action": "publish", "_selected_action": [survey.pk], "confirmed": "yes"})
    survey.refresh_from_db()
    assert survey.state == Survey.State.PUBLISHED
    assert client.get(f"/admin/voice/survey/{survey.pk}/change/").status_code == 200


def test_a_member_cannot_open_the_voice_admin(client, login, member_user):
    login(member_user)
    assert client.get("/admin/voice/notice/").status_code in (302, 403)
