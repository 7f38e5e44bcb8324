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
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core import models as c


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


def audited(model, *, confidential_permission=None, **options):
    """Put `model` on the audit trail. Each app registers its own models from its ``AppConfig.ready()``, with
    its own field lists (``include_fields`` / ``exclude_fields`` / ``mask_fields`` / ``m2m_fields``, as
    django-auditlog takes them): core knows no app. With ``confidential_permission``, only holders of that
    permission read the model's entries in the log."""
    auditlog.register(model, **options)
    if confidential_permission:
        CONFIDENTIAL_ENTRIES[model] = confidential_permission


def register_core_models():
    """The portal's own settings of record, and the beat schedule the chair can edit."""
    audited(PeriodicTask, exclude_fields=["last_run_at", "total_run_count", "date_changed"])
    audited(CrontabSchedule)
    # The robot's address carries its access key: whoever reads the log (the auditor) could post to the group.
    audited(c.WorkChatWebhook, exclude_fields=["url"])
    audited(c.ReminderSettings)
