"""Background jobs with progress: imports, large PDFs and other long work run by the Celery worker.

The page that started a job polls its progress; the job row is the single source of truth for
its state, so a page reload or a second tab shows the same thing.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
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

    def progress_visible_to(self, user):
        """Who may follow the progress bar: the starter, and staff who may view jobs (the chair)."""
        return user.is_authenticated and (self.created_by_id == user.pk or user.has_perm("core.view_job"))

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
        from django.core.files.base import ContentFile

        self.output_file.save(stored_name, ContentFile(data), save=False)
        Job.objects.filter(pk=self.pk).update(output_file=self.output_file.name)
        self.finish(result={"filename": filename, "mimetype": mimetype, "bytes": len(data), **result},
                    message=message)

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
