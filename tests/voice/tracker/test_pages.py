"""The tracker on the phone: a member files an item and follows it, an anonymous one is followed with its code
(shown once), the member rates the answer; the handlers' list and step forms; the home card."""

import datetime

import pytest
from django.utils import timezone

from core.idempotency import new_token
from tests.voice.helpers import member_with_login
from voice.models import Item
from voice.tracker import services as s

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "private_media")]
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _answered(item, chair):
    s.item_accept(item=item, actor=chair)
    s.item_assign(item=item, owner_user=chair, deadline=TOMORROW, actor=chair)
    return s.item_answer(item=item, answer="Opens at 7 from Monday.", actor=chair)


def test_a_member_files_a_named_item_sees_it_on_the_home_card_and_rates_the_answer(client, login, chair):
    member = member_with_login()
    login(member.user)
    response = client.post("/voice/tracker/new/", {"source": "box", "title": "Canteen hours", "text": "Earlier please.",
                                                   "form_token": new_token()})
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/voice/tracker/{item.pk}/"
    assert item.member == member and not item.anonymous
    assert "Canteen hours" in client.get("/").content.decode()
    assert "Canteen hours" in client.get("/voice/tracker/").content.decode()
    _answered(item, chair)
    page = client.get(f"/voice/tracker/{item.pk}/").content.decode()
    assert "Opens at 7 from Monday." in page and 'name="rating"' in page
    client.post(f"/voice/tracker/{item.pk}/step/rate/", {"rating": "satisfied"})
    item.refresh_from_db()
    assert item.state == Item.State.CLOSED


def test_an_anonymous_item_shows_its_code_once_and_is_followed_and_rated_without_login(client, login, chair):
    member = member_with_login()
    login(member.user)
    response = client.post("/voice/tracker/new/", {"source": "chair", "title": "Overtime", "text": "Too much.",
                                                   "anonymous": "on", "form_token": new_token()})
    code = response.context["code"]
    assert response.status_code == 200 and code in response.content.decode()
    item = Item.objects.get()
    assert item.member is None and code not in str(Item.objects.values().get())
    assert "Overtime" not in client.get("/voice/tracker/").content.decode()  # not linked to the member
    assert client.get(f"/voice/tracker/{item.pk}/").status_code == 404
    _answered(item, chair)
    client.logout()
    assert "No item has this code" in client.post("/voice/tracker/follow/", {"code": "AAAA-BBBB-CCCC"}).content.decode()
    page = client.post("/voice/tracker/follow/", {"code": code.lower()}).content.decode()
    assert "Overtime" in page and "Opens at 7 from Monday." in page
    client.post("/voice/tracker/follow/", {"code": code, "rating": "unsatisfied", "comment": "Not enough"})
    item.refresh_from_db()
    assert item.state == Item.State.ASSIGNED and item.rating_comment == "Not enough"


def test_the_chair_takes_each_step_on_the_item_page_and_a_refusal_is_shown(client, login, chair):
    member = member_with_login()
    item, _code = s.item_submit(member=member, source="box", title="Lift", text="Broken.", actor=member.user)
    login(chair)
    assert 'data-step="accept"' in client.get(f"/voice/tracker/{item.pk}/").content.decode()
    client.post(f"/voice/tracker/{item.pk}/step/accept/")
    response = client.post(f"/voice/tracker/{item.pk}/step/accept/", follow=True)
    assert "Only an item just received can be accepted." in response.content.decode()
    client.post(f"/voice/tracker/{item.pk}/step/assign/", {"owner_user": chair.pk, "deadline": TOMORROW.isoformat()})
    client.post(f"/voice/tracker/{item.pk}/step/answer/", {"answer": "Repaired."})
    item.refresh_from_db()
    assert (item.state, item.answer) == (Item.State.ANSWERED, "Repaired.")
    assert client.post(f"/voice/tracker/{item.pk}/step/rate/", {"rating": "satisfied"}).status_code == 403
    assert "Lift" in client.get("/voice/tracker/manage/?state=answered").content.decode()


def test_a_member_cannot_take_the_union_s_steps_or_see_another_member_s_item(client, login):
    owner, other = member_with_login(), member_with_login()
    item, _code = s.item_submit(member=owner, source="box", title="Lift", text="Broken.", actor=owner.user)
    login(other.user)
    assert client.get(f"/voice/tracker/{item.pk}/").status_code == 404
    assert client.post(f"/voice/tracker/{item.pk}/step/accept/").status_code == 404
    assert client.get("/voice/tracker/manage/").status_code == 404
    client.logout()
    login(owner.user)
    assert client.post(f"/voice/tracker/{item.pk}/step/accept/").status_code == 403
    item.refresh_from_db()
    assert item.state == Item.State.RECEIVED


def test_the_union_records_a_reception_day_visit(client, login, chair):
    member = member_with_login()
    login(chair)
    response = client.post("/voice/tracker/manage/record/", {"source": "reception", "member": member.pk,
                                                             "title": "Parking", "text": "No spaces left.",
                                                             "form_token": new_token()})
    item = Item.objects.get()
    assert response.status_code == 302 and item.source == "reception" and item.member == member


def test_an_attachment_is_stored_privately_and_read_only_by_who_may_see_the_item(client, login, chair):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner, other = member_with_login(), member_with_login()
    login(owner.user)
    client.post("/voice/tracker/new/", {"source": "box", "title": "Leak", "text": "See photo.", "form_token": new_token(),
                                        "attach": SimpleUploadedFile("漏水.png", b"\x89PNG data", "image/png")})
    attachment = Item.objects.get().attachments.get()
    assert attachment.original_name == "漏水.png" and "漏水" not in attachment.file.name
    url = f"/voice/tracker/{attachment.item_id}/files/{attachment.pk}/"
    assert b"".join(client.get(url).streaming_content) == b"\x89PNG data"
    client.logout()
    login(other.user)
    assert client.get(url).status_code == 404


def test_a_program_renamed_as_a_pdf_is_refused_on_the_form_in_chinese(client, login, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LANGUAGE_CODE = "zh-hans"
    member = member_with_login()
    login(member.user)
    response = client.post("/voice/tracker/new/", {
        "source": "box", "title": "Leak", "text": "See file.", "form_token": new_token(),
        "attach": SimpleUploadedFile("照片.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf")})
    assert response.status_code == 200 and not Item.objects.exists()
    assert "“照片.pdf”的内容与文件类型不符：它不是 PDF 文件。" in response.content.decode()


def test_the_chair_exports_the_list_as_on_the_page_and_an_anonymous_item_names_nobody(client, login, chair):
    import io

    from openpyxl import load_workbook

    named, hidden = member_with_login(name="张实名"), member_with_login(name="李匿名")
    s.item_submit(member=named, source=Item.Source.BOX, title="Canteen", text="Earlier.", actor=named.user)
    s.item_submit(member=hidden, source=Item.Source.BOX, title="Parking", text="More.", actor=hidden.user,
                  anonymous=True)
    accepted, _code = s.item_submit(member=named, source=Item.Source.BOX, title="Gym", text="Open.",
                                    actor=named.user)
    s.item_accept(item=accepted, actor=chair)
    login(chair)

    def rows(query=""):
        response = client.get("/voice/tracker/manage/items.xlsx" + query)
        assert response.status_code == 200
        return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]

    every = rows()
    assert {r[3] for r in every} == {"Canteen", "Parking", "Gym"}
    by_title = {r[3]: r for r in every}
    assert by_title["Canteen"][5] == "张实名" and by_title["Parking"][5] in ("", None)
    assert "李匿名" not in str(every)
    assert [r[3] for r in rows("?state=accepted")] == ["Gym"]
    client.logout()
    login(named.user)
    assert client.get("/voice/tracker/manage/items.xlsx").status_code == 404
