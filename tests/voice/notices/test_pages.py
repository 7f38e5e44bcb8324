"""Notice pages: the member's list and a notice (read receipts), attachments, the 小组长's 未读 list with its nudge,
the chair's figures, and who gets 404."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Audience
from core.models import Notification
from tests.factories import MemberFactory, UnionGroupFactory
from tests.voice.helpers import member_with_login
from voice.models import NoticeAttachment, NoticeRead
from voice.notices.services import ATTACHMENT_MAX_BYTES, attachment_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _token(page):
    return page.split('name="form_token" value="', 1)[1].split('"', 1)[0]


def test_a_member_sees_the_notice_and_reading_it_leaves_one_receipt(client, login, member_user, make_notice):
    notice = make_notice(title="Spring outing", body="<p>Bring shoes</p>")
    login(member_user)
    page = client.get("/voice/notices/").content.decode()
    assert "Spring outing" in page and "Unread" in page
    for _ in range(2):
        assert "Bring shoes" in client.get(f"/voice/notices/{notice.pk}/").content.decode()
    assert NoticeRead.objects.filter(notice=notice, member=member_user.member).count() == 1
    assert "Unread" not in client.get("/voice/notices/").content.decode()


def test_outside_the_audience_drafts_and_expired_notices_are_404_for_members(client, login, member_user,
                                                                             chair, make_notice):
    women = make_notice(audience=Audience.WOMEN)  # the persona is a man
    draft = make_notice(published=False)
    expired = make_notice(expires_on="2000-01-01")
    login(member_user)
    for notice in (women, draft, expired):
        assert client.get(f"/voice/notices/{notice.pk}/").status_code == 404
    assert client.get(f"/voice/notices/{women.pk}/unread/").status_code == 404
    assert client.get("/voice/notices/figures/").status_code == 404
    client.logout()
    login(chair)
    assert client.get(f"/voice/notices/{draft.pk}/").status_code == 200
    assert not NoticeRead.objects.exists()  # the chair previewing a draft is no read receipt


def test_attachments_are_size_limited_and_served_to_the_audience_only(client, login, member_user, make_notice,
                                                                      private_media, make_persona):
    notice = make_notice()
    with pytest.raises(Exception, match="larger than"):
        attachment_add(notice=notice, upload=SimpleUploadedFile("big.pdf", b"x" * (ATTACHMENT_MAX_BYTES + 1)),
                       actor=None)
    with pytest.raises(Exception, match="Attach PDF, JPEG, PNG, Word, Excel files only"):
        attachment_add(notice=notice, upload=SimpleUploadedFile("run.exe", b"MZ"), actor=None)
    with pytest.raises(ValidationError, match="not a PDF file") as renamed:
        attachment_add(notice=notice, upload=SimpleUploadedFile("通知.pdf", b"MZ\x90\x00" + b"\x00" * 60), actor=None)
    assert renamed.value.code == "content" and not NoticeAttachment.objects.exists()
    attachment = attachment_add(notice=notice, upload=SimpleUploadedFile("通知.pdf", b"%PDF-1.4 hello"), actor=None)
    assert NoticeAttachment.objects.count() == 1 and "通知" not in attachment.file.name
    login(member_user)
    response = client.get(f"/voice/notices/{notice.pk}/files/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 hello"
    client.logout()
    other = make_persona("other")
    nobody_chosen = make_notice(audience=Audience.CHOSEN)
    hidden = attachment_add(notice=nobody_chosen, upload=SimpleUploadedFile("a.pdf", b"%PDF"), actor=None)
    login(other)
    assert client.get(f"/voice/notices/{nobody_chosen.pk}/files/{hidden.pk}/").status_code == 404
    assert client.get(f"/voice/notices/{notice.pk}/files/{hidden.pk}/").status_code == 404


def test_the_group_leader_sees_who_has_not_read_and_nudges_them_once(client, login, group_leader, make_notice):
    group = group_leader.member.union_group
    reader, late = member_with_login(union_group=group), member_with_login(union_group=group)
    stranger = member_with_login(union_group=UnionGroupFactory())
    notice = make_notice(title="Dues reminder")
    NoticeRead.objects.create(notice=notice, member=reader)
    login(group_leader)
    page = client.get(f"/voice/notices/{notice.pk}/unread/").content.decode()
    assert late.name in page and reader.name not in page and stranger.name not in page
    token = _token(page)
    for _ in range(2):  # a double click
        response = client.post(f"/voice/notices/{notice.pk}/unread/", {"group": group.pk, "form_token": token})
        assert response.status_code == 302
    assert Notification.objects.filter(user=late.user, title__contains="Dues reminder").count() == 1
    assert not Notification.objects.filter(user=reader.user).exists()
    assert not Notification.objects.filter(user=stranger.user).exists()
    other = stranger.union_group
    response = client.post(f"/voice/notices/{notice.pk}/unread/", {"group": other.pk, "form_token": token})
    assert response.status_code in (403, 404)


def test_the_chairs_figures_cost_the_same_queries_whatever_the_number_of_members(client, login, chair,
                                                                                   make_notice):
    notices = [make_notice(title=f"N{i}") for i in range(3)]
    login(chair)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/voice/notices/figures/")
        assert page.status_code == 200
        return len(ctx.captured_queries), page.content.decode()

    queries()  # the first request of a session does its own bookkeeping
    few, _ = queries()
    MemberFactory.create_batch(40)
    for member in MemberFactory.create_batch(5):
        NoticeRead.objects.create(notice=notices[0], member=member)
    many, page = queries()
    assert many == few
    assert "N0" in page and "%" in page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/voice/notices/{notices[0].pk}/unread/").status_code == 200
    assert len(ctx.captured_queries) < 40
