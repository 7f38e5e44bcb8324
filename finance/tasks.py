"""Celery finds tasks in ``<app>.tasks``: the finance areas' tasks are imported here."""

from .dues.tasks import dues_import_task  # noqa: F401
