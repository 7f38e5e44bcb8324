"""Celery finds tasks in ``<app>.tasks``: the welfare areas' tasks are imported here."""

from .care.tasks import sign_sheet_task  # noqa: F401
