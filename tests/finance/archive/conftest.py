"""Fixtures of the accounting archive tests: private folders of their own, and closed years of books."""

import datetime

import pytest
from django.utils import translation

from finance.books import services
from finance.models import Period
from finance.reports import writing
from tests.finance.books.helpers import posted


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "private"


def close_year(year, actor):
    for period in Period.objects.filter(fiscal_year__year=year, closed_at__isnull=True).order_by("month"):
        services.period_close(period=period, actor=actor)


@pytest.fixture
def closed_year(private, treasurer, chair):
    services.year_open(year=2027, actor=treasurer)
    for day, amount in ((datetime.date(2027, 3, 5), "123.45"), (datetime.date(2027, 7, 9), "1000.00")):
        services.voucher_review(voucher=posted(treasurer, date=day, amount=amount), actor=chair)
    close_year(2027, treasurer)
    return 2027


@pytest.fixture
def full_year(private, treasurer, chair, auditor):
    """2025, a year that has ended: dues in, gifts out, both halves' 财务公开 published and the 经审报告 final."""
    services.year_open(year=2025, actor=treasurer)
    for day, debit, credit, amount in ((datetime.date(2025, 3, 5), "102", "401", "800.00"),
                                       (datetime.date(2025, 5, 20), "50105", "102", "300.50"),
                                       (datetime.date(2025, 9, 9), "102", "401", "1200.00"),
                                       (datetime.date(2025, 11, 2), "50105", "102", "99.99")):
        services.voucher_review(voucher=posted(treasurer, date=day, debit_code=debit, credit_code=credit,
                                               amount=amount), actor=chair)
    for half in (1, 2):
        disclosure = writing.disclosure_prepare(year=2025, half=half, note=f"第{half}次公开", actor=treasurer)
        writing.disclosure_publish(disclosure=disclosure, actor=chair)
    writing.audit_report_save(year=2025, actor=auditor, findings="账目清楚", compliance="符合预算")
    writing.audit_report_finalise(report=writing.AuditReport.objects.get(year=2025), actor=auditor)
    close_year(2025, treasurer)
    return 2025
