"""Writes for the 工作简报: saving a draft and publishing it (once)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.language import site_language

from ..models import Bulletin
from .selectors import bulletin_figures


def bulletin_save(*, bulletin, actor):
    """Save a draft issue; a published issue is not edited (its figures were frozen the day it went out)."""
    with transaction.atomic(), audit_context(actor=actor):
        if bulletin.pk and Bulletin.objects.filter(pk=bulletin.pk, state=Bulletin.State.PUBLISHED).exists():
            raise ValidationError(_("A published bulletin is not changed."), code="published")
        bulletin.save()
    return bulletin


def bulletin_publish(*, bulletin, actor):
    """Publish the issue to members: its figures are computed now and frozen on the row, so the PDF says later
    what it said today. Publishing twice (two clicks, two admins) publishes once: the second call changes
    nothing and returns False. The frozen headings are in the union's language (``LANGUAGE_CODE``), whatever
    language the person publishing reads the console in: the issue is one document for every member."""
    with transaction.atomic(), audit_context(actor=actor):
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.state == Bulletin.State.PUBLISHED:
            return False
        with site_language():
            bulletin.figures = bulletin_figures(bulletin)
        bulletin.state, bulletin.published_at, bulletin.published_by = (
            Bulletin.State.PUBLISHED, timezone.now(), actor)
        bulletin.save(update_fields=["figures", "state", "published_at", "published_by"])
    return True
