"""Background jobs with progress: imports, large PDFs and other long work run by the Celery worker.

The page that started a job polls its progress; the job row is the single source of truth for
its state, so a page reload or a second tab shows the same thing.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("completed")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("progress message"), blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/in/%Y/%m/", blank=True)
    output_file = models.FileField(_("output file"), upload_to="jobs/out/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def visible_to(self, user, *, subject_permission=None):
        """The one rule for who may follow or download a job: its starter, whoever may view jobs
        (``core.view_job``, the chair), or whoever holds ``subject_permission`` (the permission to view what the
        job is about)."""
        if not user.is_authenticated:
            return False
        return (self.created_by_id == user.pk or user.has_perm("core.view_job")
                or bool(subject_permission and user.has_perm(subject_permission)))

    # State changes are single conditional UPDATEs: a job is claimed once even if the task runs twice.
    def claim(self):
        claimed = Job.objects.filter(pk=self.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=timezone.now()
        )
        if claimed:
            self.refresh_from_db()
        return bool(claimed)

    def set_progress(self, done, total=None, message=None):
        values = {"progress_done": done}
        if total is not None:
            values["progress_total"] = total
        if message is not None:
            values["message"] = message
        Job.objects.filter(pk=self.pk).update(**values)

    def finish_with_file(self, *, stored_name, filename, mimetype, data, message, **result):
        """Save a produced document (a PDF, a workbook) as the job's output and finish the job with it."""
        self.output_file.save(stored_name, ContentFile(data), save=False)
        Job.objects.filter(pk=self.pk).update(output_file=self.output_file.name)
        self.finish(result={"filename": filename, "mimetype": mimetype, "bytes": len(data), **result},
                    message=message)

    def discard_input_file(self):
        """Delete the uploaded file (a roll, a deduction list: personal data, PIPL) and forget it on every job of
        this kind that shares it (a preview and its confirmation use the same upload)."""
        name = self.input_file.name
        if name:
            self.input_file.storage.delete(name)
            Job.objects.filter(kind=self.kind, input_file=name).update(input_file="")

    def fail_import(self, error):
        """Finish an import job that stopped: a refusal (ValidationError) in its own words; anything else is
        logged and told plainly, since imports write all or nothing."""
        if isinstance(error, ValidationError):
            self.finish(failed=True, message=" ".join(error.messages))
            return
        logging.getLogger(__name__).error("%s job %s failed", self.kind, self.pk, exc_info=error)
        self.finish(failed=True, message=gettext("The import stopped because of an unexpected error; nothing was "
                                                 "written. The administrator can see the details in the server log."))

    def finish(self, *, result=None, message="", failed=False):
        self.status = Job.Status.FAILED if failed else Job.Status.DONE
        self.result = result or {}
        self.message = message
        self.finished_at = timezone.now()
        Job.objects.filter(pk=self.pk).update(
            status=self.status, result=self.result, message=message, finished_at=self.finished_at,
            progress_done=F("progress_total") if not failed else F("progress_done"),
        )


class Notification(models.Model):
    """An in-portal notification (the bell on the member's pages); also mailed when the person has an email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message text"), blank=True, default="")
    url = models.CharField(_("link"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


# --- The daily reminder job (core.reminder_engine): run log, delivery ledger, channels ----------------------------


class ReminderSettings(models.Model):
    """How far ahead the reminders look (one row, edited by the chair in the admin). Data, not code."""

    birthday_days_ahead = models.PositiveSmallIntegerField(
        _("birthday reminders: days ahead"), default=7,
        help_text=_("Group leaders and welfare officers are told this many days before a member's birthday."))
    retirement_days_ahead = models.PositiveSmallIntegerField(
        _("retirement reminders: days ahead"), default=60,
        help_text=_("Welfare officers and the chair are told this many days before a member's expected retirement."))
    school_aid_opens_month = models.PositiveSmallIntegerField(_("金秋助学 season opens: month"), default=7)
    school_aid_opens_day = models.PositiveSmallIntegerField(_("金秋助学 season opens: day"), default=1)
    school_aid_days_ahead = models.PositiveSmallIntegerField(_("金秋助学 reminder: days ahead"), default=14)
    holiday_days_ahead = models.PositiveSmallIntegerField(
        _("holiday reminders: days ahead"), default=14,
        help_text=_("Welfare officers and the chair are told this many days before each holiday in the benefit "
                    "policy who has not yet received its gift."))
    hardship_review_days_ahead = models.PositiveSmallIntegerField(
        _("hardship review reminders: days ahead"), default=30,
        help_text=_("Case handlers are told this many days before a hardship case's yearly review is due."))

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(school_aid_opens_month__gte=1, school_aid_opens_month__lte=12,
                                                      school_aid_opens_day__gte=1, school_aid_opens_day__lte=31),
                                   name="reminder_settings_school_aid_date_valid"),
        ]

    def __str__(self):
        return str(_("reminder settings"))

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


class ReminderRun(models.Model):
    """One run of the daily reminder job and the days it covered: (since, today].

    Only a run that finished marks its days done; the next run starts from the last finished one, so days
    missed while the worker was down, or by a run that crashed, are covered again.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("completed")
        FAILED = "failed", _("failed")

    since = models.DateField(_("covers the days after"))
    today = models.DateField(_("up to and including"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    collected = models.PositiveIntegerField(_("reminders found"), default=0)
    claimed = models.PositiveIntegerField(_("new reminders"), default=0)
    delivered = models.PositiveIntegerField(_("channel deliveries made"), default=0)
    failed = models.PositiveIntegerField(_("channel deliveries failed"), default=0)
    message = models.TextField(_("message"), blank=True, default="")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        indexes = [models.Index(fields=["status", "today"])]
        permissions = [("run_reminders", _("Can run the reminder job now"))]

    def __str__(self):
        return f"{self.since} → {self.today} ({self.get_status_display()})"


class ReminderDelivery(models.Model):
    """The ledger: one row per (recipient, key), ever. The unique constraint is what makes a reminder go once.

    A run claims a reminder by inserting its row (insert-or-ignore); only the run whose insert landed
    creates the channel rows below, and each channel row is delivered by whoever claims it first.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="reminder_deliveries")
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message text"), blank=True, default="")
    url = models.CharField(_("link"), max_length=300, blank=True, default="")
    remind_on = models.DateField(_("due to be told on"))
    due_on = models.DateField(_("date of the event"), null=True, blank=True)
    run = models.ForeignKey(ReminderRun, verbose_name=_("claimed by run"), on_delete=models.SET_NULL, null=True,
                            blank=True, related_name="deliveries")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="reminder_once_per_recipient_key")]

    def __str__(self):
        return f"{self.key} → {self.recipient_id}"


class ReminderDispatch(models.Model):
    """The state of one reminder on one channel (portal, email, a work-chat robot): each is retried on its own."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    delivery = models.ForeignKey(ReminderDelivery, verbose_name=_("reminder"), on_delete=models.CASCADE,
                                 related_name="dispatches")
    channel = models.CharField(_("channel"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    claim_token = models.UUIDField(_("claimed by"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["delivery", "channel"]
        verbose_name = _("reminder channel delivery")
        verbose_name_plural = _("reminder channel deliveries")
        constraints = [models.UniqueConstraint(fields=["delivery", "channel"], name="reminder_dispatch_once")]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["claim_token"])]

    def __str__(self):
        return f"{self.channel}: {self.get_status_display()}"


class WorkChatWebhook(models.Model):
    """A 企业微信 or 钉钉 group robot that also receives the reminders (configured by the chair, not in code)."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信) group robot")
        DINGTALK = "dingtalk", _("DingTalk (钉钉) group robot")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("webhook address"), max_length=500,
                          help_text=_("The robot's webhook address, copied from the group's robot settings."))
    keyword = models.CharField(
        _("keyword"), max_length=50, blank=True, default="",
        help_text=_("Put at the start of every message (DingTalk robots with the keyword security setting need it)."))
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("work-chat robot")
        verbose_name_plural = _("work-chat robots")

    def __str__(self):
        return self.name

    @property
    def channel(self):
        return f"webhook:{self.pk}"


class FormSubmission(models.Model):
    """A one-time form token that was used (core.idempotency): the form that records money or sends messages was
    submitted with it, and this is where its record can be seen. The unique token makes a second submit — a double
    click, a reload, two tabs, two requests at the same instant — find the first one instead of writing again."""

    token = models.CharField(_("form token"), max_length=32, unique=True)
    scope = models.CharField(_("form name"), max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    url = models.CharField(_("link"), max_length=300, blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return f"{self.scope} {self.submitted_at:%Y-%m-%d %H:%M}"
