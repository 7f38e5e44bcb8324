"""The portal's own language (``settings.LANGUAGE_CODE``, Chinese): what is written for everyone — a notice sent to
members, a registration's messages, an issue frozen for the archive, the accounting archive's PDFs — is written in
it, whatever language the person who set it off reads the portal in."""

from django.conf import settings
from django.utils import translation


def site_language():
    """A context manager: inside it, gettext and formats speak the portal's own language."""
    return translation.override(settings.LANGUAGE_CODE)
