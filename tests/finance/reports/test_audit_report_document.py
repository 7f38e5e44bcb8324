"""The 经审报告 prints as an office document: a 落款 and no operator in its header (issue 10, finding 12)."""

from django.conf import settings
from django.utils import timezone, translation

from finance.reports import writing
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text


def _text(data):
    return " ".join(pdf_text(data).split())


def test_the_audit_report_ends_with_the_committees_signature_block(auditor):
    auditor.member.name = "钱审计"
    auditor.member.save()
    year = timezone.localdate().year
    report = writing.audit_report_save(year=year, actor=auditor, findings="账目清楚")
    with translation.override("zh-hans"):
        _name, _mimetype, data = writing.audit_report_pdf(report, stamp=timezone.now(), by=auditor)
    assert_cjk_font_embedded(data)
    text = _text(data)
    committee = settings.UNION_NAME.removesuffix("委员会") + "经费审查委员会"
    tail = text[text.index("账目清楚"):]
    assert committee in tail
    assert "主任（签字）" in tail and "委员（签字）" in tail
    assert "年 月 日" in tail  # a draft leaves the date to be written by hand
    # the header names the period, not who pressed the button
    assert "操作人" not in text and "钱审计" not in text


def test_a_final_report_is_dated_in_its_signature_block(auditor):
    report = writing.audit_report_save(year=2025, actor=auditor, findings="账目清楚", compliance="符合预算和制度")
    report = writing.audit_report_finalise(report=report, actor=auditor)
    day = timezone.localtime(report.finalised_at).date()
    with translation.override("zh-hans"):
        data = writing.audit_report_pdf(report, stamp=timezone.now(), by=auditor)[2]
    tail = _text(data)[_text(data).index("账目清楚"):]
    assert f"{day.year}年{day.month}月{day.day}日" in tail and "年 月 日" not in tail
