"""The walk's printed documents: every PDF the portal prints, rendered from the demo union and read back as text.
Amounts print the way pages do (core.money.money(): "2,000.00"), never "2000.00"."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.translation import override

from tests.pdfcheck import pdf_text

from . import crawl

pytestmark = pytest.mark.django_db


def _year():
    from finance.models import Voucher

    return Voucher.objects.order_by("-date").values_list("date__year", flat=True).first()


def _finance(kind):
    def build():
        from accounts.models import User
        from finance.models import Account, ReportDocument, ReportFormat
        from finance.reports.jobs import render_document

        year = _year()
        document = ReportDocument(kind=kind, format=ReportFormat.PDF, date_from=datetime.date(year, 1, 1),
                                  date_to=datetime.date(year, 12, 31), stamp=timezone.now(),
                                  stamp_by=User.objects.get(username="treasurer"))
        if kind == "ledger":
            document.account = Account.objects.get(code="1001") if Account.objects.filter(code="1001").exists() \
                else Account.objects.order_by("code").first()
        return render_document(document)[2]
    return build


def _archive(name):
    """One of the documents only the year's archive prints (finance.reports.archive), for the demo's year."""
    def build():
        from accounts.models import User
        from finance.reports.archive import _renderers

        renderers = dict(_renderers(_year(), stamp=timezone.now(), by=User.objects.get(username="treasurer")))
        return renderers[name]()[2]
    return build


def _sign_sheet():
    from welfare.care.sheet import sign_sheet_pdf
    from welfare.models import Distribution

    return sign_sheet_pdf(Distribution.objects.order_by("pk").first())[2]


def _year_summary():
    from activities.models import WorkPlan
    from activities.workplan import year_summary_pdf

    return year_summary_pdf(WorkPlan.objects.order_by("-year").first())[2]


def _hardship_notice():
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="welfare"))
    response = client.get(reverse("welfare:hardship_notice_pdf"))
    assert response.status_code == 200, response.status_code
    return response.content


DOCUMENTS = {
    "ledger": _finance("ledger"),
    "trial_balance": _finance("trial_balance"),
    "income_statement": _finance("income_statement"),
    "budget_execution": _finance("budget_execution"),
    "dues_collection": _finance("dues_collection"),
    "audit_report": _finance("audit_report"),
    "holiday_sign_sheet": _sign_sheet,
    "year_summary": _year_summary,
    "hardship_notice": _hardship_notice,
    "archive_vouchers": _archive("01-vouchers.pdf"),
    "archive_summary_ledger": _archive("02-summary-ledger.pdf"),
    "archive_disclosures": _archive("08-disclosures.pdf"),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_printed_amounts_are_separated(name, walk_union):
    with override("zh-hans"):
        text = pdf_text(DOCUMENTS[name]())
    assert re.search(r"\d\.\d\d\b", text), f"{name}: the document printed no amount to check"
    raw = crawl.raw_amounts(text)
    assert not raw, f"{name}: amounts printed without core.money.money(): {', '.join(raw[:10])}"
