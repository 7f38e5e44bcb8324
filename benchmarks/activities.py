"""The activities' figures for `make bench`: rendering a large work plan PDF."""

import time

from django.db import transaction

from activities import workplan
from activities.demo import DEMO_SECTIONS
from activities.models import WorkPlan, WorkPlanItem, WorkPlanSection


def benchmark_workplan_pdf(sections=8, items_per_section=6):
    """`make bench`: seconds to render the PDF of a plan with ``sections`` × ``items_per_section`` items, through
    the same ``workplan_pdf`` the job calls (its queries included). The plan is written in a transaction that is
    rolled back. Fonts are loaded once before timing (a worker process is warm after its first PDF)."""
    with transaction.atomic():
        year = (WorkPlan.objects.order_by("-year").values_list("year", flat=True).first() or 2000) + 100
        plan = WorkPlan.objects.create(year=year, title=workplan.default_plan_title(year),
                                       guiding="坚持以职工为中心的工作导向，围绕中心、服务大局。" * 6)
        for s in range(sections):
            section_title, demo_items = DEMO_SECTIONS[s % len(DEMO_SECTIONS)]
            section = WorkPlanSection.objects.create(plan=plan, number=s + 1, title=section_title)
            WorkPlanItem.objects.bulk_create([
                WorkPlanItem(section=section, number=i + 1, text=demo_items[i % len(demo_items)][0] * 2,
                             owner=demo_items[i % len(demo_items)][1], deadline=demo_items[i % len(demo_items)][2])
                for i in range(items_per_section)])
        workplan.workplan_pdf(plan)  # warm-up: fontconfig and the CJK font are loaded on the first render
        started = time.perf_counter()
        workplan.workplan_pdf(plan)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds
