"""The audit report (经审报告) the committee writes and finalises, and the half-yearly 财务公开 the treasurer prepares
and the chair publishes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from finance.books import services
from finance.books.services import LineInput
from finance.models import AuditReport, Disclosure, Spending, SpendingState, VoucherLine
from finance.reports import writing
from finance.reports.demo import build_demo_reports
from finance.spending import spending_post, spending_record
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # refusals matched by their English ids


def book(actor, date, summary, debit_code, credit_code, amount):
    voucher = services.voucher_create(date=date, summary=summary, actor=actor, lines=[
        LineInput(debit_code, debit=Decimal(amount)), LineInput(credit_code, credit=Decimal(amount))])
    return services.voucher_post(voucher=voucher, actor=actor)


def gift(actor, source, date, occasion, amount, *, post=True):
    """A holiday gift paid out through the spending door and, when ``post``, booked by the treasurer (spending_post)."""
    spending = spending_record(source=source, amount=Decimal(amount), account_code="50105", spent_on=date,
                               summary=f"{occasion} 慰问品", actor=actor, occasion=occasion)
    if post:
        spending_post(spendings=[spending], date=date, actor=actor)
    return spending


@pytest.fixture
def year_2025(treasurer, chair, auditor, member_user):
    book(treasurer, datetime.date(2025, 1, 5), "会费", "102", "401", "2400.00")
    book(treasurer, datetime.date(2025, 8, 5), "回拨", "102", "40301", "6000.00")
    book(treasurer, datetime.date(2025, 3, 8), "三八活动", "50102", "102", "700.00")
    gift(treasurer, treasurer.member, datetime.date(2025, 1, 20), "2025 春节", "1500.00")
    gift(treasurer, chair.member, datetime.date(2025, 1, 21), "2025 春节", "300.50")
    gift(treasurer, auditor.member, datetime.date(2025, 9, 30), "2025 中秋", "800.00")
    gift(treasurer, member_user.member, datetime.date(2025, 9, 30), "2025 国庆", "99.00", post=False)
    return treasurer


def test_it_fills_the_audit_report_from_the_books(year_2025):
    figures = writing.audit_figures(2025)
    assert figures["income"]["total"] == "8400.00"
    assert figures["spending"]["total"] == "3300.50"
    assert figures["surplus"] == "5099.50"
    assert figures["holiday_gifts"] == [  # posted only; the unposted 国庆 gift is not in the books
        {"occasion": "2025 春节", "count": 2, "amount": "1800.50"},
        {"occasion": "2025 中秋", "count": 1, "amount": "800.00"}]
    shares = {row["code"]: row["share"] for row in figures["spending"]["rows"]}
    assert shares["50105"] == "78.79"  # 2600.50 / 3300.50


def test_holiday_gifts_posted_the_welfare_way_are_listed_per_holiday(treasurer, chair, welfare_officer, auditor,
                                                                     settings):
    """Welfare records each gift (spending_record with its occasion), the treasurer books them together
    (spending_post): the audit report lists the holiday with the amount that reached the books."""
    settings.LANGUAGE_CODE = "en"
    day = datetime.date(2026, 9, 25)
    gifts = [spending_record(source=person.member, amount=Decimal(amount), account_code="50105", spent_on=day,
                             summary="中秋慰问品", actor=welfare_officer, occasion="2026 中秋")
             for person, amount in ((chair, "200.00"), (auditor, "150.35"))]
    other = spending_record(source=treasurer.member, amount=Decimal("66.00"), account_code="50301", spent_on=day,
                            summary="困难帮扶", actor=welfare_officer, occasion="2026 中秋")  # not a gift account
    voucher = spending_post(spendings=[*gifts, other], date=datetime.date(2026, 9, 28), actor=treasurer)
    assert {spending.state for spending in Spending.objects.all()} == {SpendingState.POSTED}
    booked = sum(line.debit for line in VoucherLine.objects.filter(voucher=voucher, account__code="50105"))
    figures = writing.audit_figures(2026)
    # One entry in the ledger: the voucher's debit line for 50105 and 2026 中秋 (one line per account and occasion).
    assert figures["holiday_gifts"] == [{"occasion": "2026 中秋", "count": 1, "amount": "350.35"}]
    assert Decimal(figures["holiday_gifts"][0]["amount"]) == booked
    report = writing.audit_report_save(year=2026, actor=auditor, findings="账目清楚")
    _name, _mimetype, data = writing.audit_report_pdf(report, stamp=timezone.now(), by=auditor)
    text = " ".join(pdf_text(data).split())
    assert "Entries Amount 2026 中秋 1 350.35" in text, text


def test_the_auditor_writes_then_finalises_and_the_report_freezes(year_2025, auditor, settings):
    settings.LANGUAGE_CODE = "en"
    report = writing.audit_report_save(year=2025, actor=auditor, findings="账目清楚", compliance="符合预算和制度")
    with pytest.raises(ValidationError, match="has not ended"):
        _finalise_this_year(auditor)
    report = writing.audit_report_finalise(report=report, actor=auditor)
    assert report.is_final and report.figures["surplus"] == "5099.50"
    with pytest.raises(ValidationError, match="finalised"):
        writing.audit_report_save(year=2025, actor=auditor, findings="改")
    # Later bookings do not change a finalised report.
    book(year_2025, datetime.date(2025, 12, 30), "补记", "50106", "102", "100.00")
    assert writing.audit_report_figures(report)["spending"]["total"] == "3,300.50"
    _name, _mimetype, data = writing.audit_report_pdf(report, stamp=report.finalised_at, by=auditor)
    assert_cjk_font_embedded(data)
    text = " ".join(pdf_text(data).split())
    assert "Total income 8,400.00" in text and "Total spending 3,300.50" in text
    assert "2025 春节 2 1,800.50" in text and "2025 中秋 1 800.00" in text
    assert "Balance carried forward 5,099.50" in text and "账目清楚" in text and "DRAFT" not in text


def _finalise_this_year(auditor):
    this_year = writing.audit_report_save(year=timezone.localdate().year, actor=auditor, findings="x",
                                          compliance="y")
    writing.audit_report_finalise(report=this_year, actor=auditor)


def test_it_refuses_to_finalise_without_findings(year_2025, auditor):
    report = writing.audit_report_save(year=2025, actor=auditor, findings="", compliance="")
    with pytest.raises(ValidationError, match="findings"):
        writing.audit_report_finalise(report=report, actor=auditor)


def test_a_published_disclosure_keeps_its_figures(year_2025, chair):
    disclosure = writing.disclosure_prepare(year=2025, half=1, note="上半年收支", actor=year_2025)
    assert writing.disclosure_figures(disclosure)["income"]["total"] == "2,400.00"
    disclosure = writing.disclosure_publish(disclosure=disclosure, actor=chair)
    assert disclosure.is_published and disclosure.published_at and disclosure.published_by == chair
    book(year_2025, datetime.date(2025, 6, 30), "补记会费", "102", "401", "100.00")
    disclosure.refresh_from_db()
    shown = writing.disclosure_figures(disclosure)
    assert shown["income"]["total"] == "2,400.00" and shown["spending"]["total"] == "2,500.50"
    assert shown["fund_balance"] == "-100.50"  # the first half spent more than came in
    with pytest.raises(ValidationError, match="published"):
        writing.disclosure_prepare(year=2025, half=1, note="改", actor=year_2025)
    with pytest.raises(ValidationError, match="already published"):
        writing.disclosure_publish(disclosure=disclosure, actor=chair)


def test_a_half_year_is_published_only_after_it_ends(treasurer, chair):
    today = timezone.localdate()
    disclosure = writing.disclosure_prepare(year=today.year, half=2, note="", actor=treasurer)
    with pytest.raises(ValidationError, match="not ended"):
        writing.disclosure_publish(disclosure=disclosure, actor=chair)
    assert Disclosure.objects.get(pk=disclosure.pk).state == Disclosure.State.DRAFT


def test_the_demo_reports_can_be_built_twice(year_2025, chair, auditor):
    build_demo_reports(year=2025)
    build_demo_reports(year=2025)
    year = 2025
    assert Disclosure.objects.get(year=year, half=1).is_published
    assert AuditReport.objects.get(year=year).compliance


def test_a_gift_reversed_in_the_same_year_leaves_the_holiday_list(year_2025, treasurer):
    spending = Spending.objects.get(occasion="2025 中秋")
    services.voucher_reverse(voucher=spending.voucher, date=datetime.date(2025, 10, 8), reason="重复发放",
                             actor=treasurer)
    figures = writing.audit_figures(2025)
    assert figures["holiday_gifts"] == [{"occasion": "2025 春节", "count": 2, "amount": "1800.50"}]
    assert figures["spending"]["total"] == "2500.50"  # the books agree: 3300.50 − 800.00


def test_the_admin_shows_a_published_disclosures_figures_as_a_table_not_json(year_2025, chair, login):
    """Issue 10 (walk): the change page printed the stored JSON (amount, code, depth, rows, share …)."""
    import re

    from django.test import Client

    disclosure = writing.disclosure_publish(
        disclosure=writing.disclosure_prepare(year=2025, half=1, note="上半年收支", actor=year_2025), actor=chair)
    client = login(chair, use_client=Client())
    page = client.get(f"/admin/finance/disclosure/{disclosure.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page.content.decode(), flags=re.S)
    assert not re.search(r"\b(amount|depth|rows|share|surplus)\b", text)
    assert "收入合计" in text and "2,400.00" in text
