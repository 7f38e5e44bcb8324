"""Starting and running background jobs that produce a document (PDFs, workbooks).

One shape for every such job: the job row is created with the starter's language, the task is queued
after commit, and the run claims the job (a redelivered task does nothing), renders in that language,
saves the file on the job, and turns any unexpected error into a failed job with a plain message.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)


def document_job_start(*, kind, actor, task, params, total=0, language=None):
    """Record a job and hand it to ``task`` (a Celery task taking the job id) once the transaction commits."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    job = Job.objects.create(kind=kind, created_by=actor, progress_total=total,
                             params={**params, "language": language})
    transaction.on_commit(lambda: task.delay(job.pk))
    return job


def document_job_run(*, job_id, kinds, render):
    """Run one document job. ``render(job)`` returns ``(stored_name, (filename, mimetype, data), result)``, or
    None after failing the job itself (e.g. its subject was deleted). Returns the job, or None if not claimed."""
    job = Job.objects.filter(pk=job_id, kind__in=kinds).first()
    if job is None or not job.claim():
        return None
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            produced = render(job)
            if produced is not None:
                stored_name, (filename, mimetype, data), result = produced
                job.finish_with_file(stored_name=stored_name, filename=filename, mimetype=mimetype, data=data,
                                     message=ready_message(filename), **result)
    except Exception:
        logger.exception("%s job %s failed", job.kind, job.pk)
        job.finish(failed=True, message=_("The document could not be produced because of an unexpected error. "
                                          "The administrator can see the details in the server log."))
    return job


def ready_message(filename):
    """What a finished document job says: it names the format the person asked for (a workbook is not a PDF)."""
    extension = str(filename).rsplit(".", 1)[-1].lower() if "." in str(filename) else str(filename).lower()
    if extension == "pdf":
        return _("The PDF is ready.")
    if extension in {"xlsx", "xls", "csv"}:
        return _("The spreadsheet is ready.")
    return _("The file is ready.")


class JobProgress:
    """Writes a job's progress every ``EVERY`` rows (or ``every``) so the page that polls it can show a bar.

    An import runs inside a transaction; a progress update made on the same connection would stay invisible
    to the poller until the end. On PostgreSQL it is therefore written through a second, autocommit
    connection (with a short lock timeout, and only if the job row was not touched inside a transaction that
    is still open, so the two connections can never wait on each other). SQLite allows one writer at a time,
    so there it goes through the import's own connection (the bar then moves at the end; SQLite is for
    development only).
    """

    EVERY = 200

    def __init__(self, job, *, total, message="", every=None):
        self.job = job
        self.total = total
        self.every = every or self.EVERY
        self.last = 0
        self._side = None
        connection = connections[DEFAULT_DB_ALIAS]
        self._side_allowed = connection.vendor == "postgresql" and not connection.in_atomic_block
        job.set_progress(0, total=total, message=message)

    def __call__(self, done):
        if done - self.last < self.every and done < self.total:
            return
        self.last = done
        self.write(done)

    def write(self, done):
        if self._side_allowed and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            try:
                self._write_side(done)
                return
            except DatabaseError:
                logger.warning("job %s: progress not written through a second connection", self.job.pk,
                               exc_info=True)
                self._side_allowed = False
        self.job.set_progress(done)

    def _write_side(self, done):
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
        with self._side.cursor() as cursor:
            cursor.execute(f'UPDATE "{Job._meta.db_table}" SET "progress_done" = %s WHERE "id" = %s',
                           [done, self.job.pk])

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None


def job_for_user(*, user, job_id, kinds, subject_permission=None, **params):
    """Fetch and authorise a job in one call — the one rule for who may follow or download a job: its starter,
    whoever may view jobs (``core.view_job``, the chair), or whoever holds ``subject_permission`` (the permission
    to view what the job is about). ``params`` narrow the job to its subject (e.g. ``activity=5``). 404 for
    everyone else: they should not learn that the job exists."""
    lookups = {f"params__{key}": value for key, value in params.items()}
    job = Job.objects.filter(pk=job_id, kind__in=list(kinds), **lookups).first()
    if job is None or not job.visible_to(user, subject_permission=subject_permission):
        raise Http404
    return job

