"""The annual work plan (年度工作计划) and its year-end summary (年度工作总结): writes, reads and the two PDFs.

Rules (DOMAIN §7, issue 3 §5):

- A plan goes 草拟 (draft) → 委员会通过 (approved) → 已发布 (published), forward only. Each step is one service that
  locks the plan row, checks the state, stamps the time and leaves an audit entry with the actor.
- Once the committee has approved a plan its *content* is fixed: year, title, guiding paragraph, sections and the
  items' number, text, owner (责任人) and deadline (时限). What happens during the year stays editable: an item's
  status, the activities linked to it, and the chair's year-end words (``summary_text``).
- Next year's plan starts as a copy of this one (guiding text, sections, items with their deadlines as text),
  with every item back to "planned" and no linked activities.
- Both PDFs are rendered by a background job (``core.models.Job``) with progress; the admin page polls the job and
  offers the file when it is done.
"""

import datetime
import re
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.jobs import document_job_run, document_job_start
from core.pdf import render_pdf
from core.year_sections import year_sections

from . import attendance
from .charts import activities_by_type_chart
from .models import WorkPlan, WorkPlanItem, WorkPlanSection

JOB_KIND_PLAN = "workplan_pdf"
JOB_KIND_SUMMARY = "year_summary_pdf"
JOB_KINDS = (JOB_KIND_PLAN, JOB_KIND_SUMMARY)
#: Who may print a plan or its summary, and download a PDF somebody else started.
VIEW_PERMISSION = "activities.view_workplan"

#: Fields that are the plan's content: fixed once the committee has approved it.
PLAN_CONTENT_FIELDS = ("year", "title", "guiding")
SECTION_CONTENT_FIELDS = ("plan", "number", "title")
ITEM_CONTENT_FIELDS = ("section", "number", "text", "owner", "deadline")

_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(number):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九: the numbering of a document's sections (一、二、…)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return text + (_CN_DIGITS[ones] if ones else "")


def section_heading(number, title):
    """"七、宣传教育" in Chinese (the document's own numbering); "7. 宣传教育" in another language."""
    if (translation.get_language() or "").startswith("zh"):
        return f"{cn_numeral(number)}、{title}"
    return f"{number}. {title}"


def default_plan_title(year):
    return f"{settings.UNION_NAME}{year}年工作计划"


# --- content lock ------------------------------------------------------------------------------------------------

def workplan_content_locked_message(plan):
    return _("The work plan “%(title)s” has been %(state)s; its content (title, guiding paragraph, sections and "
             "the items' text, owners and deadlines) can no longer be changed. Item statuses, linked activities and "
             "the year-end summary text can still be updated.") % {"title": plan.title,
                                                                    "state": plan.get_state_display()}


def workplan_check_content_editable(*, plan, lock=False):
    """Refuse (ValidationError) a change of content of a plan the committee has approved.

    With ``lock`` the plan row is locked first (SELECT … FOR UPDATE) so the check holds until the surrounding
    transaction commits: an approval in another tab waits for the edit, or the edit sees the approval.
    """
    if plan is None or plan.pk is None:
        return
    if lock:
        rows = WorkPlan.objects.only("id", "state", "title", "year")
        if lock and connection.in_atomic_block:
            rows = rows.select_for_update()
        plan = rows.get(pk=plan.pk)
    if plan.state != WorkPlan.State.DRAFT:
        raise ValidationError(workplan_content_locked_message(plan), code="workplan_locked")


# --- state changes -----------------------------------------------------------------------------------------------

def _transition(*, plan, actor, source, target, stamp, action, refuse):
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.state != source:
            raise ValidationError(refuse % {"state": locked.get_state_display()}, code="illegal_transition")
        if target == WorkPlan.State.APPROVED and not WorkPlanItem.objects.filter(section__plan=locked).exists():
            raise ValidationError(_("A plan without any items cannot be approved: add its sections and items first."),
                                  code="empty_plan")
        locked.state = target
        setattr(locked, stamp, timezone.now())
        with audit_context(actor=actor, action=action):
            locked.save(update_fields=["state", stamp, "updated_at"])
    plan.state, plan.updated_at = locked.state, locked.updated_at
    setattr(plan, stamp, getattr(locked, stamp))
    return plan


def workplan_approve(*, plan, actor):
    """草拟 → 委员会通过: the committee has adopted the plan; from now on its content is fixed."""
    return _transition(plan=plan, actor=actor, source=WorkPlan.State.DRAFT, target=WorkPlan.State.APPROVED,
                       stamp="approved_at", action="activities.workplan.approved",
                       refuse=_("Only a draft plan can be approved by the committee; this plan is “%(state)s”."))


def workplan_publish(*, plan, actor):
    """委员会通过 → 已发布: the approved plan is announced to the members. Never from a draft: the committee first."""
    return _transition(plan=plan, actor=actor, source=WorkPlan.State.APPROVED, target=WorkPlan.State.PUBLISHED,
                       stamp="published_at", action="activities.workplan.published",
                       refuse=_("Only a plan approved by the committee can be published; this plan is “%(state)s”."))


def workplan_copy_to_next_year(*, plan, actor):
    """Start next year's plan from this one: guiding text, sections and items (deadlines kept as text), every item
    back to "planned", no linked activities, no year-end text. Refused if a plan for that year exists."""
    year = plan.year + 1
    existing = WorkPlan.objects.filter(year=year).first()
    if existing is not None:
        raise ValidationError(_("A work plan for %(year)s already exists: “%(title)s”.")
                              % {"year": year, "title": existing.title}, code="year_exists")
    title = plan.title.replace(str(plan.year), str(year)) if str(plan.year) in plan.title else default_plan_title(year)
    sections = list(plan.sections.prefetch_related("items"))
    try:
        with transaction.atomic(), audit_context(actor=actor, action="activities.workplan.copied",
                                                 copied_from=plan.pk):
            new_plan = WorkPlan.objects.create(year=year, title=title, guiding=plan.guiding)
            for section in sections:
                new_section = WorkPlanSection.objects.create(plan=new_plan, number=section.number,
                                                             title=section.title)
                for item in section.items.all():
                    WorkPlanItem.objects.create(section=new_section, number=item.number, text=item.text,
                                                owner=item.owner, deadline=item.deadline,
                                                status=WorkPlanItem.Status.PLANNED)
    except IntegrityError:
        # Two copies started at once: the year's unique constraint let one through.
        raise ValidationError(_("A work plan for %(year)s already exists.") % {"year": year},
                              code="year_exists") from None
    return new_plan


def workplan_item_set_status(*, item, status, actor):
    """An item's progress during the year (计划中 / 进行中 / 已完成 / 未完成): allowed in every state of the plan."""
    if status not in WorkPlanItem.Status.values:
        raise ValidationError(_("Unknown status “%(status)s”.") % {"status": status}, code="bad_status")
    with transaction.atomic(), audit_context(actor=actor):
        item.status = status
        item.save(update_fields=["status"])
    return item


def workplan_state_history(plan):
    """(action, actor, timestamp) of the plan's approvals, publication and copy, from the audit log."""
    entries = (LogEntry.objects.get_for_object(plan).select_related("actor")
               .filter(additional_data__action__startswith="activities.workplan.").order_by("timestamp"))
    return [(entry.additional_data["action"], entry.actor, entry.timestamp) for entry in entries]


# --- reads for the PDFs ------------------------------------------------------------------------------------------

def _sections_with_items(plan):
    return list(plan.sections.order_by("number").prefetch_related("items"))


def _paragraphs(text):
    return [line.strip() for line in re.split(r"\n\s*\n|\n", text or "") if line.strip()]


@dataclass
class Figures:
    """Registered in advance, checked in (walk-ins included) and walk-ins, with the rate as activities/attendance.py
    defines it: (checked in − walk-ins) ÷ registered."""

    registered: int = 0
    checked_in: int = 0
    walk_ins: int = 0

    def add(self, other):
        self.registered += other.registered
        self.checked_in += other.checked_in
        self.walk_ins += other.walk_ins

    @property
    def rate(self):
        return attendance.attendance_rate(registered=self.registered, checked_in=self.checked_in,
                                          walk_ins=self.walk_ins)

    @property
    def rate_display(self):
        return attendance.rate_display(self.rate)


@dataclass
class HeldActivity:
    pk: int
    title: str
    starts_at: datetime.datetime
    type: str
    figures: Figures


@dataclass
class SectionSummary:
    numeral: str
    title: str
    items_done: list = field(default_factory=list)
    items_open: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)

    @property
    def items_total(self):
        return len(self.items_done) + len(self.items_open)


@dataclass
class YearSummary:
    plan: WorkPlan
    year: int
    sections: list
    unlinked_activities: list
    by_type: list
    activities_held: int
    figures: Figures
    participants: int
    members_on_roll: int
    participation_rate_display: str
    items_total: int
    items_done: int

    @property
    def items_open(self):
        return self.items_total - self.items_done


def year_summary(plan, *, now=None):
    """The year-end summary of a plan, filled from the records: per section the items done and not done and the
    activities held that are linked to the section's items (each once), with their attendance; the activities held
    outside the plan; the year's totals and figures per kind of activity. Attendance comes from
    ``attendance.attendance_for_year`` (the same figures as everywhere in the portal). A constant number of queries
    (seven), whatever the size of the plan or the year."""
    year = attendance.attendance_for_year(plan.year, now=now)
    held = {row["id"]: HeldActivity(pk=row["id"], title=row["title"], starts_at=row["starts_at"], type=row["type"],
                                    figures=Figures(row["registered"], row["checked_in"], row["walk_ins"]))
            for row in year["activities"]}
    links = WorkPlanItem.activities.through.objects.filter(workplanitem__section__plan=plan).values_list(
        "workplanitem_id", "activity_id")
    activities_of_item = {}
    for item_id, activity_id in links:
        if activity_id in held:
            activities_of_item.setdefault(item_id, []).append(activity_id)
    sections, linked, items_total, items_done = [], set(), 0, 0
    for section in _sections_with_items(plan):
        summary = SectionSummary(numeral=cn_numeral(section.number), title=section.title)
        activity_ids = []
        for item in section.items.all():
            (summary.items_done if item.status == WorkPlanItem.Status.DONE else summary.items_open).append(item)
            activity_ids.extend(a for a in activities_of_item.get(item.pk, ()) if a not in activity_ids)
        for activity in sorted((held[a] for a in activity_ids), key=lambda a: (a.starts_at, a.pk)):
            summary.activities.append(activity)
            summary.figures.add(activity.figures)
        linked.update(activity_ids)
        items_total += summary.items_total
        items_done += len(summary.items_done)
        sections.append(summary)
    totals = year["totals"]
    by_type = [{"type": row["type"], "activities": row["activities"],
                "figures": Figures(row["registered"], row["checked_in"], row["walk_ins"])} for row in year["by_type"]]
    return YearSummary(
        plan=plan, year=plan.year, sections=sections,
        unlinked_activities=[a for a in held.values() if a.pk not in linked], by_type=by_type,
        activities_held=totals["activities"],
        figures=Figures(totals["registered"], totals["checked_in"], totals["walk_ins"]),
        participants=totals["participants"], members_on_roll=totals["members_on_roll"],
        participation_rate_display=attendance.rate_display(totals["participation_rate"]),
        items_total=items_total, items_done=items_done)


def summary_title(plan):
    if "工作计划" in plan.title:
        return plan.title.replace("工作计划", "工作总结")
    return f"{settings.UNION_NAME}{plan.year}年工作总结"


# --- the PDFs ------------------------------------------------------------------------------------------------------

def _pdf_filename(title, year, fallback):
    # The title is what the chair typed: keep it readable but never let it build a path.
    cleaned = re.sub(r'[\\/:*?"<>|\s]+', "", title)[:80]
    return f"{cleaned or f'{fallback}-{year}'}.pdf"


def workplan_pdf(plan):
    """The plan as it is printed: title, union, year, the guiding paragraph, sections numbered 一、二、… each with a
    table of items (序号, 工作内容, 责任人, 时限). Returns (filename, mimetype, bytes)."""
    sections = [{"numeral": cn_numeral(s.number), "title": s.title, "items": list(s.items.all())}
                for s in _sections_with_items(plan)]
    return render_pdf("activities/pdf/workplan.html",
                      {"plan": plan, "sections": sections, "guiding": _paragraphs(plan.guiding)},
                      filename=_pdf_filename(plan.title, plan.year, "workplan"))


def year_summary_pdf(plan, *, now=None):
    """The year-end summary: the chair's words, then the plan's record section by section, then what the other apps
    registered with core.year_sections (关爱慰问, 帮扶救助, 经费: counts and money). (filename, mimetype, bytes)."""
    summary = year_summary(plan, now=now)
    title = summary_title(plan)
    return render_pdf("activities/pdf/year_summary.html",
                      {"plan": plan, "summary": summary, "title": title,
                       "chair_text": _paragraphs(plan.summary_text), "year_sections": year_sections(plan.year),
                       "activity_chart": activities_by_type_chart(summary.by_type)},
                      filename=_pdf_filename(title, plan.year, "year-summary"))


_RENDERERS = {JOB_KIND_PLAN: workplan_pdf, JOB_KIND_SUMMARY: year_summary_pdf}


def workplan_pdf_start(*, plan, kind, actor, language=None):
    """Record a PDF job for ``plan`` and hand it to the worker once the transaction commits (eager in development
    and tests: it then runs at commit). Returns the job; the admin page polls it."""
    if kind not in JOB_KINDS:
        raise ValueError(kind)
    return document_job_start(kind=kind, actor=actor, task=workplan_pdf_task, total=3,
                              params={"plan": plan.pk, "year": plan.year}, language=language)


def workplan_pdf_job_run(*, job_id):
    """Render the PDF of a job. A task delivered twice renders once (core.jobs)."""
    return document_job_run(job_id=job_id, kinds=JOB_KINDS, render=_render_workplan_job)


@shared_task(name="activities.workplan_pdf", soft_time_limit=10 * 60, time_limit=12 * 60, ignore_result=True)
def workplan_pdf_task(job_id):
    """Render a work plan or year-end summary PDF (the kind is on the job). Claims the job, so a redelivery is a
    no-op."""
    workplan_pdf_job_run(job_id=job_id)


def _render_workplan_job(job):
    plan = WorkPlan.objects.filter(pk=job.params.get("plan")).first()
    if plan is None:
        job.finish(failed=True, message=_("The work plan no longer exists."))
        return None
    job.set_progress(1, message=_("Laying out the pages"))
    document = _RENDERERS[job.kind](plan)
    job.set_progress(2, message=_("Saving the file"))
    return f"{job.kind}-{plan.year}-{job.pk}.pdf", document, {"plan": plan.pk}


