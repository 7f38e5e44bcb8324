"""Starting and running background jobs that produce a document (PDFs, workbooks).

One shape for every such job: the job row is created with the starter's language, the task is queued
after commit, and the run claims the job (a redelivered task does nothing), renders in that language,
saves the file on the job, and turns any unexpected error into a failed job with a plain message.
"""

import logging

from django.conf import settings
from django.db import transaction
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
                                     message=_("The PDF is ready."), **result)
    except Exception:
        logger.exception("%s job %s failed", job.kind, job.pk)
        job.finish(failed=True, message=_("The PDF could not be produced because of an unexpected error. The "
                                          "administrator can see the details in the server log."))
    return job
