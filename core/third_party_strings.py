"""Strings shown by third-party apps that ship no Simplified Chinese catalogue (django-auditlog).

Marked here so makemessages keeps them in our catalogue, which Django consults first (LOCALE_PATHS).
"""

from django.utils.translation import gettext_noop

AUDITLOG = [
    gettext_noop("Audit log"), gettext_noop("Audit log: %s"), gettext_noop("Action"), gettext_noop("Changes"),
    gettext_noop("Correlation ID"), gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("Created {repr:s}"), gettext_noop("Created"), gettext_noop("Deleted {repr:s}"),
    gettext_noop("Field"), gettext_noop("From"), gettext_noop("Logged {repr:s}"), gettext_noop("Objects"),
    gettext_noop("Relationship"), gettext_noop("Resource Type"), gettext_noop("Resource"), gettext_noop("To"),
    gettext_noop("Updated {repr:s}"), gettext_noop("User"), gettext_noop("View"), gettext_noop("access"),
    gettext_noop("action"), gettext_noop("actor email"), gettext_noop("actor"), gettext_noop("additional data"),
    gettext_noop("change message"), gettext_noop("content type"), gettext_noop("create"), gettext_noop("delete"),
    gettext_noop("log entries"), gettext_noop("log entry"), gettext_noop("object id"), gettext_noop("object pk"),
    gettext_noop("object representation"), gettext_noop("remote address"), gettext_noop("remote port"),
    gettext_noop("timestamp"), gettext_noop("update"),
]

# Django 5.2 admin's app list headers (read by screen readers) that its zh_Hans catalogue leaves untranslated.
DJANGO_ADMIN = [gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link")]

# django-allauth's zh_Hans catalogue leaves "token" in English on a wrong password-reset link.
ALLAUTH = [gettext_noop("Bad Token")]
