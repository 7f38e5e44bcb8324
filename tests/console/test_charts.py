"""Every chart's numbers are the numbers of the table beside it (same selector), and the PDFs carry the charts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from accounts.models import User
from activities.charts import activities_by_type_chart
from activities.models import WorkPlan
from activities.workplan import year_summary, year_summary_pdf
from core.charts import Chart, Row, render
from core.workbench import charts_for
from finance.books.selectors import budget_vs_actual
from finance.dues.selectors import dues_collection
from finance.models import AccountKind
from finance.reports.documents import budget_execution_chart, budget_execution_pdf, statement_figures
from finance.reports.sources import budget_rows
from finance.reports.writing import audit_report_charts
from members.models import Member, MemberStatus
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text
from welfare.care.selectors import occasion_spending, year_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _charts(username):
    user = User.objects.get(username=username)
    return {chart.key: chart for chart in charts_for(user, year=timezone.localdate().year)}


def test_the_budget_chart_is_budget_vs_actual(demo_union):
    year = timezone.localdate().year
    chart = _charts("chair")["finance.budget"]
    table = {row.account.name: [row.budget, row.actual] for row in budget_vs_actual(year=year)
             if row.depth == 0 and row.budget and row.account.kind == AccountKind.EXPENSE}
    assert table and chart.figures() == table
    # …and the printed budget execution report draws the same lines.
    assert budget_execution_chart(budget_rows(year=year)).figures() == table


def test_a_line_past_90_per_cent_is_red():
    from finance.charts import budget_chart

    chart = budget_chart([("会员活动", Decimal("1000.00"), Decimal("901.00")), ("维权", Decimal("1000.00"),
                                                                            Decimal("900.00"))])
    assert [row.alert for row in chart.rows] == [True, False]
    assert 'fill="#c62828"' in chart.svg()


def test_the_dues_chart_is_the_dues_collection(demo_union):
    figures = dues_collection(year=timezone.localdate().year)
    chart = _charts("treasurer")["finance.dues"]
    assert figures["months"]
    assert list(chart.figures().values()) == [[m["expected"], m["paid"]] for m in figures["months"]]


def test_the_status_chart_counts_the_roll(demo_union):
    chart = _charts("chair")["members.by_status"]
    expected = {str(label): [Member.objects.with_status(value).count()] for value, label in MemberStatus.choices
                if Member.objects.with_status(value).exists()}
    assert chart.figures() == expected


def test_the_care_chart_is_the_year_end_summarys_table(demo_union):
    year = timezone.localdate().year
    chart = _charts("welfare")["care.occasions"]
    section = year_section(year)
    assert chart.figures() == {row[0]: [row_amount] for row, row_amount in
                               zip(section.rows, [r["amount"] for r in occasion_spending(year)], strict=True)}
    assert section.chart.figures() == chart.figures()


def test_the_participation_chart_adds_up_to_the_roll(demo_union):
    chart = _charts("chair")["activities.participation"]
    assert sum(values[0] for values in chart.figures().values()) == Member.objects.on_roll().count()


def test_the_activities_chart_is_the_summarys_by_type_table(demo_union):
    plan = WorkPlan.objects.get(year=timezone.localdate().year)
    summary = year_summary(plan)
    assert summary.by_type
    chart = activities_by_type_chart(summary.by_type)
    assert chart.figures() == {row["type"]: [row["activities"], row["figures"].checked_in] for row in summary.by_type}


def test_the_audit_report_charts_are_the_statements_top_lines(demo_union):
    year = timezone.localdate().year
    figures = statement_figures(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    income, spending = audit_report_charts(figures)
    assert income.figures() == {r["name"]: [Decimal(r["amount"])] for r in figures["income"]["rows"] if r["depth"] == 0}
    assert spending.figures() == {r["name"]: [Decimal(r["amount"])] for r in figures["spending"]["rows"]
                                  if r["depth"] == 0}
    assert spending.rows


def test_the_budget_report_pdf_carries_its_chart_in_chinese(demo_union):
    year = timezone.localdate().year
    _name, _mime, data = budget_execution_pdf(budget_rows(year=year), year=year, stamp=timezone.now(), by=None)
    text = pdf_text(data)
    assert "各预算项目执行情况" in text and "红色" in text
    assert_cjk_font_embedded(data)


def test_the_year_summary_pdf_carries_its_charts(demo_union):
    plan = WorkPlan.objects.get(year=timezone.localdate().year)
    _name, _mime, data = year_summary_pdf(plan)
    text = pdf_text(data)
    assert "参加人次" in text  # the activities chart's legend (the table says 签到)
    assert "元 · " in text  # the care chart's bar texts: amount and gifts per occasion
    assert_cjk_font_embedded(data)


def test_labels_are_escaped_and_long_ones_shortened():
    svg = render(Chart(title="<x>", series=["a"], rows=[Row(label="<script>" + "很长的名字" * 6, values=[3])]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "…" in svg
