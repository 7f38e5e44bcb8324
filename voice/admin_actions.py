"""The voice's admin actions run a service on each chosen object and say what was done or refused."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def run_on_each(modeladmin, request, queryset, service, done):
    count = 0
    for obj in queryset:
        try:
            service(obj, request.user)
            count += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)
