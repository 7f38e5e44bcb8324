"""The row-printed reports read the real dues (and budget) figures once the finance app is ready."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from finance.models import ReportKind, VoucherLine
from finance.reports import documents, jobs, sources
from tests.factories import MemberFactory, UnionGroupFactory
from tests.finance.test_dues_arrears import post_month
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db


def test_dues_collection_is_registered_when_the_app_starts():
    assert jobs.ROW_SOURCES[ReportKind.DUES_COLLECTION] is sources.dues_rows
    assert ReportKind.DUES_COLLECTION in jobs.offered_kinds()


def test_the_dues_collection_report_adds_up_to_the_books(treasurer):
    first, second = UnionGroupFactory(name="机关一组"), UnionGroupFactory(name="机关二组")
    payer = MemberFactory(dues_base=Decimal("5678.90"), union_group=first)  # 28.35 a month
    debtor = MemberFactory(dues_base=Decimal("3000.00"), union_group=first)  # 15.00
    MemberFactory(dues_base=Decimal("2000.00"), union_group=second)  # 10.00
    post_month(2026, 3, skip={debtor.pk}, actor=treasurer)
    post_month(2026, 4, actor=treasurer)

    rows = sources.dues_rows(year=2026)
    assert [(r.label, r.members, r.due, r.paid) for r in rows] == [
        ("机关一组", 2, Decimal("86.70"), Decimal("71.70")),
        ("机关二组", 1, Decimal("20.00"), Decimal("20.00")),
    ]
    credited = VoucherLine.objects.filter(account__code="401").aggregate(total=Sum("credit"))["total"]
    assert sum(r.paid for r in rows) == credited == Decimal("91.70")

    _name, _mimetype, data = documents.dues_collection_pdf(
        rows, year=2026, stamp=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC), by=treasurer)
    assert_cjk_font_embedded(data)
    text = pdf_text(data)
    assert "91.70" in text and "106.70" in text and "机关二组" in text
    assert sources.dues_rows(year=2026, month=4)[0].paid == Decimal("43.35")
