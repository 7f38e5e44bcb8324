"""The work plan and the year-end summary end with a 落款: the union's name and the date (issue 10, finding 12)."""

from django.conf import settings
from django.utils import timezone, translation

from activities import workplan
from tests.activities.test_workplan_pdf import plan_with_demo_sections
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text


def _tail(data, marker):
    text = " ".join(pdf_text(data).split())
    return text[text.rindex(marker):]


def _chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_work_plan_ends_with_the_union_and_the_approval_date(chair, db):
    plan = plan_with_demo_sections(2027, sections=1, items_per_section=1)
    workplan.workplan_approve(plan=plan, actor=chair)
    with translation.override("zh-hans"):
        data = workplan.workplan_pdf(plan)[2]
    assert_cjk_font_embedded(data)
    last_item = plan.sections.get().items.get().text
    tail = _tail(data, last_item.split()[0][:6])
    assert settings.UNION_NAME in tail
    assert _chinese_date(timezone.localtime(plan.approved_at).date()) in tail


def test_the_year_summary_ends_with_the_union_and_the_date(db):
    plan = plan_with_demo_sections(2027, sections=1, items_per_section=1)
    with translation.override("zh-hans"):
        data = workplan.year_summary_pdf(plan)[2]
    text = " ".join(pdf_text(data).split())
    # the 落款 follows the last section: the union's name after the body, then today's date
    body_end = text.rindex("、")
    assert settings.UNION_NAME in text[body_end:]
    assert _chinese_date(timezone.localdate()) in text[body_end:]
