"""Every report URL for every persona: the committee (chair, treasurer, auditor) reads and downloads every report;
only the auditor writes and finalises the audit report; the treasurer prepares and the chair publishes 财务公开;
members see published disclosures only."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.books import services
from finance.books.services import LineInput
from finance.models import AuditReport, Disclosure, ReportDocument
from finance.reports import writing
from finance.reports.jobs import report_document_start
from tests.conftest import PERSONAS
from tests.pdfcheck import assert_cjk_font_embedded

pytestmark = pytest.mark.django_db

READERS = {"chair", "treasurer", "auditor"}
MEMBERS = {"chair", "treasurer", "auditor", "welfare_officer", "group_leader", "member_user"}


@pytest.fixture
def world(request, treasurer, chair, django_capture_on_commit_callbacks):
    voucher = services.voucher_create(date=datetime.date(2025, 2, 1), summary="会费", actor=treasurer, lines=[
        LineInput("102", debit=Decimal("50.00")), LineInput("401", credit=Decimal("50.00"))])
    services.voucher_post(voucher=voucher, actor=treasurer)
    with django_capture_on_commit_callbacks(execute=True):
        document = report_document_start(kind="ledger", fmt="pdf", date_from=datetime.date(2025, 1, 1),
                                          date_to=datetime.date(2025, 12, 31), actor=treasurer)
    published = writing.disclosure_publish(
        disclosure=writing.disclosure_prepare(year=2025, half=1, note="", actor=treasurer), actor=chair)
    draft = writing.disclosure_prepare(year=2025, half=2, note="", actor=treasurer)
    AuditReport.objects.create(year=2025)
    return {"document": document.pk, "published": published.pk, "draft": draft.pk}


def _client(persona, request, login):
    if persona == "anonymous":
        return Client()
    return login(request.getfixturevalue(persona), use_client=Client())


def _status(response):
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end: the client then closes the file
    return response.status_code


def expect(persona, *, readers=None, auditor=None, chair=None, treasurer=None, members=None, others=None):
    """The status a persona gets, from the most specific rule that names it."""
    if persona == "anonymous":
        return 302
    for rule, who in ((auditor, {"auditor"}), (chair, {"chair"}), (treasurer, {"treasurer"}), (readers, READERS),
                      (members, MEMBERS)):
        if rule is not None and persona in who:
            return rule
    return others


@pytest.mark.parametrize("persona", PERSONAS + ["anonymous"])
def test_every_report_url_answers_each_role_as_it_should(persona, world, request, login, settings):
    settings.LANGUAGE_CODE = "en"
    client = _client(persona, request, login)
    doc, published, draft = world["document"], world["published"], world["draft"]
    gets = {
        "/finance/reports/": expect(persona, readers=200, others=403),
        f"/finance/reports/documents/{doc}/": expect(persona, readers=200, others=404),
        f"/finance/reports/documents/{doc}/download/": expect(persona, readers=200, others=404),
        "/finance/reports/audit/": expect(persona, readers=200, others=403),
        "/finance/reports/audit/2025/": expect(persona, readers=200, others=403),
        "/finance/reports/audit/2025/finalise/": expect(persona, auditor=200, others=403),
        "/finance/reports/disclosures/": expect(persona, members=200, others=403),
        f"/finance/reports/disclosures/{published}/": expect(persona, members=200, others=403),
        f"/finance/reports/disclosures/{draft}/": expect(persona, readers=200, members=404, others=403),
        f"/finance/reports/disclosures/{draft}/publish/": expect(persona, chair=200, readers=403, members=404,
                                                                 others=403),
    }
    answers = {url: _status(client.get(url)) for url in gets}
    assert answers == gets
    if persona in READERS:
        response = client.get(f"/finance/reports/documents/{doc}/download/")
        data = b"".join(response.streaming_content)
        assert response["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")
        assert_cjk_font_embedded(data)


@pytest.mark.parametrize("persona", PERSONAS + ["anonymous"])
def test_only_the_right_role_changes_anything(persona, world, request, login, settings,
                                              django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"
    client = _client(persona, request, login)
    posts = {
        ("/finance/reports/start/", (("kind", "trial_balance"), ("fmt", "xlsx"), ("date_from", "2025-01-01"),
                                     ("date_to", "2025-12-31"))): expect(persona, readers=302, others=403),
        ("/finance/reports/audit/2025/pdf/", ()): expect(persona, readers=302, others=403),
        ("/finance/reports/audit/2025/", (("findings", "好"), ("compliance", "合规"))): expect(
            persona, auditor=302, others=403),
        ("/finance/reports/disclosures/prepare/", (("year", "2026"), ("half", "1"), ("note", "x"))): expect(
            persona, treasurer=302, others=403),
        (f"/finance/reports/disclosures/{world['draft']}/publish/", ()): expect(
            persona, chair=302, readers=403, members=404, others=403),
    }
    with django_capture_on_commit_callbacks(execute=True):
        answers = {key: client.post(key[0], dict(key[1])).status_code for key in posts}
    assert answers == posts
    assert AuditReport.objects.get(year=2025).findings == ("好" if persona == "auditor" else "")
    assert Disclosure.objects.get(pk=world["draft"]).is_published == (persona == "chair")
    assert ReportDocument.objects.count() == (3 if persona in READERS else 1)


def test_the_auditor_finalises_through_the_portal_and_the_page_then_stops_editing(world, auditor, login, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(auditor, use_client=Client())
    client.post("/finance/reports/audit/2025/", {"findings": "账实相符", "compliance": "符合预算"})
    assert client.post("/finance/reports/audit/2025/finalise/").status_code == 302
    report = AuditReport.objects.get(year=2025)
    assert report.is_final and report.finalised_by == auditor
    page = client.get("/finance/reports/audit/2025/").content.decode()
    assert 'id="audit-form"' not in page and "账实相符" in page
    assert client.post("/finance/reports/audit/2025/", {"findings": "改"}).status_code == 403


def test_members_see_published_figures_on_a_phone_friendly_page(world, member_user, login, settings):
    settings.LANGUAGE_CODE = "en"
    client = login(member_user, use_client=Client())
    page = client.get("/finance/reports/disclosures/").content.decode()
    assert f"/finance/reports/disclosures/{world['published']}/" in page
    assert f"/finance/reports/disclosures/{world['draft']}/" not in page
    detail = client.get(f"/finance/reports/disclosures/{world['published']}/").content.decode()
    assert 'id="total-income">50.00<' in detail and "Published on" in detail
