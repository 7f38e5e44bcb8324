"""Helpers shared by the welfare tests (fixtures are in conftest.py)."""

from core.models import ReminderDelivery


def keys(**filters):
    """The (recipient, key) pairs of the reminders delivered, for comparing who was told what."""
    return set(ReminderDelivery.objects.filter(**filters).values_list("recipient_id", "key"))
