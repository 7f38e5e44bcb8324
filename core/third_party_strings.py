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

# django_celery_beat's admin: titles and help texts its zh_Hans catalogue leaves in English or words like True/None.
CELERY_BEAT = [
    gettext_noop("Schedule"), gettext_noop("Arguments"), gettext_noop("Execution Options"), gettext_noop("Task Name"),
    gettext_noop("AMQP Message Headers"),
    gettext_noop("Datetime that the schedule last triggered the task to run. Reset to None if enabled is set to False."),
    gettext_noop("If True, the schedule will only run the task a single time"),
    gettext_noop('JSON encoded keyword arguments (Example: {"argument": "value"})'),
    gettext_noop("JSON encoded message headers for the AMQP message."),
    gettext_noop("Override Exchange for low-level AMQP routing"),
    gettext_noop("Override Routing Key for low-level AMQP routing"),
    gettext_noop("Priority Number between 0 and 255. Supported by: RabbitMQ, Redis (priority reversed, 0 is highest)."),
    gettext_noop("Set to False to disable the schedule"),
    gettext_noop('Cron Minutes to Run. Use "*" for "all". (Example: "0,30")'),
    gettext_noop('Cron Hours to Run. Use "*" for "all". (Example: "8,20")'),
    gettext_noop('Cron Days Of The Month to Run. Use "*" for "all". (Example: "1,15")'),
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    gettext_noop('Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. (Example: "0,5")'),
    gettext_noop("Timezone to Run the Cron Schedule on. Default is UTC."),
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop('The Name of the Celery Task that Should be Run.  (Example: "proj.tasks.import_contacts")'),
]
