"""What people write into the reports: the audit committee's 经审报告 text, and the treasurer's half-yearly 财务公开
that the chair publishes to the members.

Decision (auditor's rights): the audit committee is independent of those who keep the books, so the auditor
role may change nothing in the books; the one thing it writes is the audit report of a year (add/change on
AuditReport while it is a draft, and `finalise_auditreport`). Finalising stores the year's figures with the report
and freezes it. The treasurer prepares a disclosure; only the chair (`publish_disclosure`) publishes it, and its
figures are stored at that moment, so what the members saw never changes when later corrections are booked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from core.audit import audit_context
from core.pdf import render_pdf
from finance.charts import composition_chart
from finance.models import AuditReport, Disclosure

from . import books
from .documents import printable, report_context, report_filename, statement_figures

AUDIT_TEXT_FIELDS = ("basis", "findings", "problems", "recommendations", "compliance")


def audit_figures(year):
    """The figures of the 经审报告 for ``year``: the income and spending statement of the year, the fund balance
    brought forward and carried forward, and the holiday gifts per occasion."""
    figures = statement_figures(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    figures["holiday_gifts"] = [{"occasion": occasion, "count": count, "amount": str(amount)}
                                for occasion, count, amount in books.holiday_gifts(year=year)]
    return figures


def _audit_figures_raw(report):
    """Stored figures once the report is final, the books' figures of today while it is a draft."""
    return report.figures if report.is_final else audit_figures(report.year)


def audit_report_figures(report):
    return printable(_audit_figures_raw(report))


def audit_report_charts(figures):
    """Income and spending composition of the report's own (unformatted) figures: the tables' rows, drawn."""
    return [composition_chart(_("Income composition"), figures["income"]),
            composition_chart(_("Spending composition"), figures["spending"])]


def audit_report_save(*, year, actor, **text):
    """Create or change the draft audit report of ``year``. A finalised report cannot change."""
    unknown = set(text) - set(AUDIT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown audit report fields: {sorted(unknown)}")
    with transaction.atomic(), audit_context(actor=actor):
        report, _created = AuditReport.objects.get_or_create(year=year)
        report = AuditReport.objects.select_for_update().get(pk=report.pk)
        if report.is_final:
            raise ValidationError(_("The audit report for %(year)s is finalised and can no longer be changed.")
                                  % {"year": year})
        for name, value in text.items():
            setattr(report, name, value.strip())
        report.updated_by = actor
        report.save()
    return report


def audit_report_finalise(*, report, actor):
    """Freeze the audit report with the year's figures as they are now. Only after the year has ended, and only
    with the committee's findings and compliance statement written."""
    with transaction.atomic(), audit_context(actor=actor):
        report = AuditReport.objects.select_for_update().get(pk=report.pk)
        if report.is_final:
            raise ValidationError(_("The audit report for %(year)s is already finalised.") % {"year": report.year})
        if timezone.localdate() <= datetime.date(report.year, 12, 31):
            raise ValidationError(_("The year %(year)s has not ended yet: its audit report cannot be finalised.")
                                  % {"year": report.year})
        if not report.findings or not report.compliance:
            raise ValidationError(_("Write the findings and the statement on budget and rule compliance before "
                                    "finalising."))
        report.figures = audit_figures(report.year)
        report.state = AuditReport.State.FINAL
        report.finalised_by = actor
        report.finalised_at = timezone.now()
        report.save()
    return report


def disclosure_figures(disclosure):
    """Stored figures once published; the books' figures of today for a draft."""
    if disclosure.is_published:
        return printable(disclosure.figures)
    return printable(statement_figures(date_from=disclosure.date_from, date_to=disclosure.date_to))


def disclosure_prepare(*, year, half, note, actor):
    """The treasurer prepares (or edits) the draft disclosure of a half year."""
    if half not in (1, 2):
        raise ValidationError(_("A half year is 1 or 2."))
    with transaction.atomic(), audit_context(actor=actor):
        disclosure, created = Disclosure.objects.get_or_create(year=year, half=half,
                                                               defaults={"note": note, "prepared_by": actor})
        if not created:
            disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
            if disclosure.is_published:
                raise ValidationError(_("This disclosure is published and can no longer be changed."))
            disclosure.note = note
            disclosure.prepared_by = actor
            disclosure.save(update_fields=["note", "prepared_by"])
    return disclosure


def disclosure_publish(*, disclosure, actor):
    """The chair publishes a disclosure to every member: its figures are stored now and never recomputed."""
    with transaction.atomic(), audit_context(actor=actor):
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if disclosure.is_published:
            raise ValidationError(_("This disclosure is already published."))
        if timezone.localdate() <= disclosure.date_to:
            raise ValidationError(_("The half year has not ended yet: publish its disclosure after %(date)s.")
                                  % {"date": disclosure.date_to})
        disclosure.figures = statement_figures(date_from=disclosure.date_from, date_to=disclosure.date_to)
        disclosure.state = Disclosure.State.PUBLISHED
        disclosure.published_by = actor
        disclosure.published_at = timezone.now()
        disclosure.save()
    return disclosure


def audit_report_pdf(report, *, stamp, by):
    """The 经审报告 of ``report.year`` as a PDF: the committee's text around the figures from the books."""
    date_from, date_to = datetime.date(report.year, 1, 1), datetime.date(report.year, 12, 31)
    title = _("Audit report")
    figures = _audit_figures_raw(report)
    context = report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by, report=report,
                             figures=printable(figures), charts=audit_report_charts(figures))
    return render_pdf("finance/pdf/audit_report.html", context,
                      filename=report_filename(title, date_from, date_to, "pdf"))


def disclosures_pdf(*, year, stamp, by):
    """The 财务公开 of ``year`` as the members saw them: every published half year with its stored figures and note
    (drafts were never shown, so they are not in it)."""
    date_from, date_to = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    title = _("Financial disclosures")
    published = (Disclosure.objects.filter(year=year, state=Disclosure.State.PUBLISHED)
                 .select_related("published_by").order_by("half"))
    items = [{"disclosure": disclosure, "figures": printable(disclosure.figures),
              "published_by": display_name(disclosure.published_by) if disclosure.published_by else ""}
             for disclosure in published]
    context = report_context(title=title, date_from=date_from, date_to=date_to, stamp=stamp, by=by,
                             disclosures=items)
    return render_pdf("finance/pdf/disclosures.html", context,
                      filename=report_filename(title, date_from, date_to, "pdf"))
