"""The floor of a registration: a minimal authenticated write behind the same middleware as every page.

It reads the session and the user (as every request does), inserts one row and redirects — what any registration
must pay whatever the service does. benchmarks/registration_rush.py presses it in the same burst as the rush, on
the same server. Mounted only with ``UNIONPORTAL_BENCH_VIEWS`` on (refused in production by the settings).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from core.models import Notification

PATH = "/bench/minimal-write/"


@login_required
@require_POST
def minimal_write(request):
    Notification.objects.create(user=request.user, title="bench")
    return redirect("/")


urlpatterns = [path(PATH.strip("/") + "/", minimal_write, name="bench_minimal_write")]
