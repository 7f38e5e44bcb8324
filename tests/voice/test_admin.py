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


def test_publishing_a_selection_leaves_the_published_ones_apart_and_says_so(client, login, chair):
    login(chair)
    draft = Notice.objects.create(title="Sports day", body="<p>x</p>", created_by=chair)
    published = Notice.objects.create(title="Congress on Friday", body="<p>x</p>", created_by=chair,
                                      state=Notice.State.PUBLISHED)
    asked = client.post("/admin/voice/notice/", {"action": "publish", "_selected_action": [draft.pk, published.pk]},
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 notice will be published" in asked
    to_publish, left = asked[asked.index("Notices to publish"):].split("Left as it is (1)")
    assert "Sports day" in to_publish and "Congress on Friday" not in to_publish
    assert "Congress on Friday" in left and "published already" in left
    client.post("/admin/voice/notice/", once({"action": "publish", "_selected_action": [draft.pk, published.pk],
                                              "confirmed": "yes"}))
    draft.refresh_from_db()
    assert draft.state == Notice.State.PUBLISHED


def test_nothing_to_do_when_every_selected_notice_is_published_already(client, login, chair):
    login(chair)
    published = Notice.objects.create(title="Congress on Friday", body="<p>x</p>", created_by=chair,
                                      state=Notice.State.PUBLISHED)
    response = client.post("/admin/voice/notice/", {"action": "publish", "_selected_action": [published.pk]},
                           follow=True)
    page = response.content.decode()
    assert "Nothing to do: the selected row is left as it is (published already)." in page
    assert "Notices to publish" not in page
