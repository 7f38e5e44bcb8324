"""The audit trail: who changed what, when, and from where (web request or background task).

Built on django-auditlog, which records create/update/delete of registered models with a field diff.
We add: an explicit actor for service calls and tasks (never guessed from the call stack), a
"via" label for background work, access entries for sensitive exports, masking of personal data in
the diffs, and a guard that makes log entries impossible to change or delete through the ORM.
"""

import contextlib
import time
from functools import partial

from auditlog.context import _set_extra_data, auditlog_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

#: Personal data never written into the audit diff in clear (PIPL): masked by auditlog.
SENSITIVE_MEMBER_FIELDS = ["id_number", "phone"]


@contextlib.contextmanager
def audit_context(*, actor=None, via=None, **extra):
    """Every audit entry written inside this block carries ``actor`` and, for tasks, ``via``.

    Unlike auditlog's own ``set_actor`` this one nests: the outer context is restored on exit.
    """
    additional = {key: value for key, value in {"via": via, **extra}.items() if value is not None}
    data = {"actor": actor, "signal_duid": ("audit_context", time.monotonic_ns(), id(additional))}
    if additional:
        data["additional_data"] = additional
    token = auditlog_value.set(data)
    receiver_fn = partial(_set_extra_data, signal_duid=data["signal_duid"])
    pre_save.connect(receiver_fn, sender=LogEntry, dispatch_uid=data["signal_duid"], weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(sender=LogEntry, dispatch_uid=data["signal_duid"])
        auditlog_value.reset(token)


def audit_access(instance, *, actor, action_label, details=None, via=None):
    """Record a read of sensitive data (e.g. a full export of ID numbers) as an ACCESS entry."""
    with audit_context(actor=actor, via=via):
        return LogEntry.objects.log_create(
            instance,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            changes={},
            additional_data={"access": action_label, **(details or {}), **({"via": via} if via else {})},
        )


@receiver(pre_save, sender=LogEntry, dispatch_uid="core.audit.append_only")
def _refuse_edit(sender, instance, **kwargs):
    if instance.pk is not None and not kwargs.get("raw"):
        raise PermissionError("Audit log entries are append-only.")


@receiver(pre_delete, sender=LogEntry, dispatch_uid="core.audit.no_delete")
def _refuse_delete(sender, instance, **kwargs):
    raise PermissionError("Audit log entries cannot be deleted.")


# Models whose audit entries only holders of the given permission may read (core.admin filters the log).
CONFIDENTIAL_ENTRIES = {}


def _register():
    from members import models as m

    auditlog.register(m.Member, mask_fields=SENSITIVE_MEMBER_FIELDS, exclude_fields=["updated_at", "name_initials"])
    auditlog.register(m.Department)
    auditlog.register(m.UnionGroup)
    auditlog.register(m.MembershipEvent)
    auditlog.register(m.PayItem)
    auditlog.register(m.MemberPayItem)
    from accounts import models as a

    auditlog.register(a.User, include_fields=["username", "email", "is_active", "is_staff", "is_superuser", "groups"],
                      m2m_fields={"groups"})
    auditlog.register(a.AccountInvitation, exclude_fields=["code_hash"])
    auditlog.register(a.Role)
    # What a role may do, and the beat schedule the chair can edit, are changes of record too.
    from django.contrib.auth.models import Group
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    auditlog.register(Group, m2m_fields={"permissions"})
    auditlog.register(PeriodicTask, exclude_fields=["last_run_at", "total_run_count", "date_changed"])
    auditlog.register(CrontabSchedule)
    # Where reminders go and how far ahead they look (the chair edits them in the admin).
    from core import models as c

    # The robot's address carries its access key: whoever reads the log (the auditor) could post to the group.
    auditlog.register(c.WorkChatWebhook, exclude_fields=["url"])
    auditlog.register(c.ReminderSettings)
    # Work plans and interest groups (activities/workplan.py, activities/interest.py).
    from activities import models as plans

    auditlog.register(plans.WorkPlan, exclude_fields=["updated_at"])
    auditlog.register(plans.WorkPlanSection)
    auditlog.register(plans.WorkPlanItem, m2m_fields={"activities"})
    auditlog.register(plans.InterestGroup)
    auditlog.register(plans.InterestGroupMembership)
    auditlog.register(plans.InterestGroupPlan)
    from activities import models as act

    auditlog.register(act.Activity, exclude_fields=["updated_at"],  # publish / cancel (activities.registration)
                      m2m_fields={"union_groups", "departments"})  # who may take part, edited in the admin
    auditlog.register(act.ActivityType)
    auditlog.register(act.RegistrationQuestion)
    auditlog.register(act.Registration, exclude_fields=["updated_at"])  # seats, waitlist, cancellations
    auditlog.register(act.RegistrationEvent)
    # The books (finance.services, finance.budgets, finance.spending).
    from finance import models as books

    for model in (books.Account, books.FiscalYear, books.Period, books.PeriodReopening, books.Voucher,
                  books.VoucherLine, books.Spending, books.Budget, books.BudgetLine, books.OverBudgetApproval):
        auditlog.register(model)

    from finance.models import reports as finance_reports  # the audit report and 财务公开 (finance/reports/writing.py)

    auditlog.register(finance_reports.AuditReport, exclude_fields=["updated_at"])
    auditlog.register(finance_reports.Disclosure)

    from welfare.models import care  # benefit policy and 慰问 (welfare/care/services.py)

    auditlog.register(care.Occasion)
    auditlog.register(care.BenefitPolicy)
    auditlog.register(care.OccasionRule)
    auditlog.register(care.Visit, m2m_fields={"visitor_members"})
    auditlog.register(care.CareReport)
    auditlog.register(care.Distribution)

    # Dues (finance.dues.services): the rule, the posted lists, payments in person, arrears flags. Records written
    # in bulk by a posted list are covered by the list's own entry (DuesImport) and its voucher.
    from finance.models import dues

    auditlog.register(dues.DuesRule)
    auditlog.register(dues.DuesImport)
    auditlog.register(dues.DuesRecord)
    auditlog.register(dues.DuesArrearsFlag)

    # Hardship cases and aid (welfare/models/hardship.py). Cases are confidential and the auditor reads this log:
    # the household's figures, findings and objections stay out of the diffs (the case's step log keeps them).
    from welfare.models import hardship as hs

    auditlog.register(hs.HardshipCase, m2m_fields={"causes"}, exclude_fields=[
        "household_income", "unavoidable_costs", "per_capita_monthly", "poverty_line_amount", "cause_text",
        "level_reason", "visit_findings", "visitors"])
    auditlog.register(hs.HardshipCaseStep, exclude_fields=["note", "details"])
    auditlog.register(hs.CaseObjection, exclude_fields=["text", "resolution"])
    auditlog.register(hs.CaseAttachment, exclude_fields=["original_name", "description", "file"])
    auditlog.register(hs.AidPayment, exclude_fields=["note"])
    # Even without figures, an entry says that a member has a case: only case handlers see these entries.
    for model in (hs.HardshipCase, hs.HardshipCaseStep, hs.CaseObjection, hs.CaseAttachment, hs.AidPayment):
        CONFIDENTIAL_ENTRIES[model] = "welfare.handle_hardship_case"
    auditlog.register(hs.PovertyLine)
    auditlog.register(hs.HardshipPolicy)
    auditlog.register(hs.HardshipCause)
    auditlog.register(hs.AidKind)
    auditlog.register(hs.EducationAidRate)
    auditlog.register(hs.WarmthRate)
    auditlog.register(hs.MedicalAidPlan)
    auditlog.register(hs.MedicalAidEnrolment)

_register()
