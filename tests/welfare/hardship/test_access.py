"""Confidentiality: only the chair and welfare officers see cases — everyone else gets 404 on every case URL and in
the admin. Attachments are private files behind the same check. The public notice shows masked names only."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.models import Notification
from finance.models import Spending
from tests.factories import MemberFactory
from tests.once import once
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text
from welfare.hardship import services
from welfare.hardship.selectors import case_handlers
from welfare.models import AidKind, CaseAttachment, CaseObjection, MedicalAidPlan

from .helpers import approved_case, noticed_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HANDLERS = ["chair", "welfare_officer"]
OTHERS = ["treasurer", "auditor", "group_leader", "member_user", "outsider"]


@pytest.fixture
def world(welfare_officer, member_user, private_media):
    case = approved_case(welfare_officer)
    attachment = services.attachment_add(case=case, upload=SimpleUploadedFile("户口簿.pdf", PDF), actor=welfare_officer)
    noticed = noticed_case(welfare_officer, start=2, member=_member("王小明"))
    objection = services.objection_submit(case=noticed, text="异议内容", actor=member_user)
    plan = MedicalAidPlan.objects.first()
    return {"case": case, "attachment": attachment, "noticed": noticed, "objection": objection, "plan": plan}


def _member(name):
    return MemberFactory(name=name)


def case_urls(w):
    c, a, n, o, p = w["case"].pk, w["attachment"].pk, w["noticed"].pk, w["objection"].pk, w["plan"].pk
    get = ["/welfare/cases/", "/welfare/cases/new/", f"/welfare/cases/{c}/", f"/welfare/cases/{n}/step/approve/",
           f"/welfare/cases/{c}/step/review/", f"/welfare/cases/{c}/step/close/",
           f"/welfare/cases/{c}/attachments/{a}/", f"/welfare/cases/{c}/payments/new/", "/welfare/cases/warmth/",
           "/welfare/cases/medical/", f"/welfare/cases/medical/{p}/", f"/welfare/cases/medical/{p}/enrol-all/",
           f"/welfare/cases/medical/{p}/export/", "/welfare/cases/notices/print/",
           "/admin/welfare/hardshipcase/", f"/admin/welfare/hardshipcase/{c}/change/",
           f"/admin/welfare/hardshipcase/{c}/history/", "/admin/welfare/aidpayment/",
           "/admin/welfare/medicalaidenrolment/", "/admin/welfare/povertyline/"]
    post = [f"/welfare/cases/{c}/step/close/", f"/welfare/cases/{n}/objections/{o}/resolve/",
            f"/welfare/cases/{c}/attachments/", f"/welfare/cases/{c}/payments/new/", "/welfare/cases/new/",
            f"/welfare/cases/medical/{p}/enrol-all/", f"/welfare/cases/medical/{p}/"]
    return get, post


@pytest.mark.parametrize("persona", OTHERS)
def test_everyone_but_the_handlers_gets_404_on_every_case_url(request, login, world, persona):
    client = login(request.getfixturevalue(persona), use_client=Client())
    get, post = case_urls(world)
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(url, {"reason": "died", "closed_on": "2020-01-01"}).status_code == 404, url
    assert world["case"].state == "approved" and not CaseObjection.objects.exclude(resolution="").exists()


@pytest.mark.parametrize("persona", HANDLERS)
def test_the_chair_and_welfare_officers_open_every_case_url(request, login, world, persona):
    client = login(request.getfixturevalue(persona), use_client=Client())
    get, _post = case_urls(world)
    for url in get:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end: the client then closes the file


def test_anonymous_visitors_are_sent_to_log_in(world):
    client = Client()
    get, _post = case_urls(world)
    for url in get:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert "张三明" not in response.content.decode()


@pytest.mark.parametrize("persona", ["treasurer", "auditor"])
def test_the_admin_index_does_not_show_the_hardship_section_to_others(request, login, world, persona):
    client = login(request.getfixturevalue(persona), use_client=Client())
    page = client.get("/admin/").content.decode()
    assert "hardshipcase" not in page and "aidpayment" not in page


def test_the_admin_index_shows_it_to_the_welfare_officer(login, world, welfare_officer):
    client = login(welfare_officer, use_client=Client())
    assert "/admin/welfare/hardshipcase/" in client.get("/admin/").content.decode()


def test_the_case_page_shows_the_per_capita_calculation(login, world, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(welfare_officer, use_client=Client())
    page = client.get(f"/welfare/cases/{world['case'].pk}/").content.decode()
    assert "(30,000.00 − 6,000.00) ÷ 12 ÷ 3 = <strong data-per-capita>666.67</strong>" in page
    assert "户口簿.pdf" in page


# Attachments -------------------------------------------------------------------------------------------------------


def test_attachments_are_stored_outside_media_and_have_no_public_url(world, tmp_path):
    attachment = world["attachment"]
    path = Path(attachment.file.path)
    assert path.exists() and path.read_bytes() == PDF
    assert not str(path).startswith(str(django_settings.MEDIA_ROOT))
    assert "户口簿" not in path.name  # random name on disk; the original name stays on the row
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_a_handler_downloads_an_attachment(login, world, chair):
    client = login(chair, use_client=Client())
    response = client.get(f"/welfare/cases/{world['case'].pk}/attachments/{world['attachment'].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment;" in response["Content-Disposition"]


def test_an_attachment_is_reached_only_through_its_own_case(login, world, chair, welfare_officer):
    other = approved_case(welfare_officer, member=_member("赵六"))
    client = login(chair, use_client=Client())
    assert client.get(f"/welfare/cases/{other.pk}/attachments/{world['attachment'].pk}/").status_code == 404


@pytest.mark.parametrize(("name", "content", "message"), [
    ("scan.exe", b"MZ....", "Attach PDF, JPEG, PNG files only"),
    ("scan.pdf", b"<html>not a pdf", "does not match its type"),
    ("photo.png", b"\xff\xd8\xff\xe0jpeg-really", "does not match its type"),
])
def test_an_attachment_of_the_wrong_type_is_refused(world, welfare_officer, name, content, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(services.ValidationError, match=message):
        services.attachment_add(case=world["case"], upload=SimpleUploadedFile(name, content), actor=welfare_officer)
    assert CaseAttachment.objects.count() == 1


def test_an_attachment_that_is_too_large_is_refused(world, welfare_officer, monkeypatch):
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 10)
    with pytest.raises(services.ValidationError, match="larger than"):
        services.attachment_add(case=world["case"], upload=SimpleUploadedFile("a.pdf", PDF), actor=welfare_officer)


def test_upload_through_the_page(login, world, welfare_officer):
    client = login(welfare_officer, use_client=Client())
    upload = SimpleUploadedFile("bill.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    response = client.post(f"/welfare/cases/{world['case'].pk}/attachments/", {"file": upload, "description": "发票"})
    assert response.status_code == 302
    assert world["case"].attachments.filter(original_name="bill.png", content_type="image/png").exists()


def test_a_program_renamed_as_a_pdf_is_refused_on_the_page_in_chinese(login, world, welfare_officer):
    client = login(welfare_officer, use_client=Client())
    upload = SimpleUploadedFile("户口簿.pdf", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf")
    response = client.post(f"/welfare/cases/{world['case'].pk}/attachments/", {"file": upload, "description": "x"},
                           follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "“户口簿.pdf”的内容与文件类型不符：它不是 PDF 文件。" in response.content.decode()
    assert world["case"].attachments.count() == 1  # only the one the case had


# The public notice (公示) ------------------------------------------------------------------------------------------


def test_members_see_the_notice_with_masked_names_and_no_identifying_figures(login, world, member_user):
    noticed = world["noticed"]
    client = login(member_user, use_client=Client())
    page = client.get("/welfare/cases/notices/").content.decode()
    assert "王*明" in page and "王小明" not in page
    assert noticed.member.id_number not in page and noticed.member.id_number[-4:] not in page
    assert "2,000.00" in page and str(noticed.notice_end) in page
    assert "666.67" not in page and "30000" not in page  # no household figures
    assert "张*明" not in page  # the approved case is no longer on notice


def test_outsiders_do_not_see_the_notice(login, world, outsider):
    client = login(outsider, use_client=Client())
    assert client.get("/welfare/cases/notices/").status_code == 404


def test_a_member_objects_from_the_notice_page_confidentially(login, world, group_leader, chair):
    noticed = world["noticed"]
    client = login(group_leader, use_client=Client())
    response = client.post(f"/welfare/cases/notices/{noticed.pk}/object/", once(text="情况不实"))
    assert response.status_code == 302
    objection = noticed.objections.get(text="情况不实")
    assert objection.submitted_by == group_leader
    # The objector cannot read the case or its objections.
    assert client.get(f"/welfare/cases/{noticed.pk}/").status_code == 404
    chair_client = login(chair, use_client=Client())
    assert "情况不实" in chair_client.get(f"/welfare/cases/{noticed.pk}/").content.decode()


def test_objections_cannot_be_sent_to_a_case_not_on_notice(login, world, member_user):
    client = login(member_user, use_client=Client())
    assert client.post(f"/welfare/cases/notices/{world['case'].pk}/object/", {"text": "x"}).status_code == 404


# Money pages through the browser client -------------------------------------------------------------------------


def test_the_warmth_page_records_all_at_once(login, world, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(welfare_officer, use_client=Client())
    url = "/welfare/cases/warmth/?year=2027&holiday=春节"
    page = client.get(url).content.decode()
    assert world["case"].number in page and world["noticed"].number not in page
    response = client.post(url, once({f"amount-{world['case'].pk}": "1000.00"}))
    assert response.status_code == 302
    assert Spending.objects.filter(account__code="50302", amount=Decimal("1000.00")).count() == 1


def test_the_payment_page_refuses_out_of_season_education_aid(login, world, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(welfare_officer, use_client=Client())
    response = client.post(f"/welfare/cases/{world['case'].pk}/payments/new/", once({
        "kind": AidKind.objects.get(code="education").pk, "amount": "3000", "paid_on": str(world["case"].approved_on),
        "applied_on": f"{world['case'].approved_on.year - 1}-10-01", "education_stage": "university"}))
    assert response.status_code == 200
    assert "金秋助学 applications are taken from month 7 to month 8" in response.content.decode()


def test_steps_from_the_case_page(login, world, welfare_officer, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(welfare_officer, use_client=Client())
    noticed = world["noticed"]
    response = client.post(f"/welfare/cases/{noticed.pk}/step/approve/", {"approved_on": str(noticed.notice_start)})
    assert response.status_code == 200 and "objection window runs until" in response.content.decode()
    response = client.post(f"/welfare/cases/{noticed.pk}/step/visit/", {
        "visited_on": str(noticed.notice_start), "visitors": "x", "findings": "y"})
    assert "The next step is “approval”" in response.content.decode()
    assert client.get(f"/welfare/cases/{noticed.pk}/step/nonsense/").status_code == 404



def test_the_notice_prints_as_a_pdf_with_a_cjk_font_and_masked_names(login, world, welfare_officer):
    client = login(welfare_officer, use_client=Client())
    response = client.get("/welfare/cases/notices/print/")
    assert response["Content-Type"] == "application/pdf"
    assert_cjk_font_embedded(response.content)
    text = pdf_text(response.content)
    assert "王*明" in text and "2,000.00" in text and "KB" in text
    assert "王小明" not in text and world["noticed"].member.id_number not in text


def test_thirty_objections_in_a_row_record_one_and_notify_the_handlers_once(login, world, group_leader):
    """A flood (or a double click) from one member: one open objection, one notification per handler."""
    noticed = world["noticed"]
    client = login(group_leader, use_client=Client())
    before = Notification.objects.count()
    for attempt in range(30):
        response = client.post(f"/welfare/cases/notices/{noticed.pk}/object/", once(text=f"情况不实 {attempt}"),
                               follow=True)
    assert noticed.objections.filter(submitted_by=group_leader).count() == 1
    assert Notification.objects.count() - before == len(case_handlers()) >= 1
    assert "您已对此公示提出异议" in " ".join(str(m) for m in response.context["messages"])  # the page is in Chinese
