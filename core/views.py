from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import Job, Notification
from .notifications import notifications_mark_read
from .paging import OneQueryPaginator


def healthz(request):
    """For load balancers and docker-compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def job_status(request, pk):
    """Progress of a background job, for the page that shows it: its starter, or staff who may view jobs (the chair),
    so a colleague opening the same job page sees the bar move too. Others get 404."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or not job.visible_to(request.user):
        raise Http404
    return JsonResponse({
        "status": job.status, "status_display": job.get_status_display(), "percent": job.percent,
        "done": job.progress_done, "total": job.progress_total, "message": job.message,
        "finished": job.is_finished,
    })


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's notifications, newest first; POST marks one (``id``) or all of them as read."""
    if request.method == "POST":
        # ids are plain ASCII digits of a sane length ("²".isdigit() is true, and int("²") fails).
        ids = None if "all" in request.POST else [int(v) for v in request.POST.getlist("id")
                                                  if v.isascii() and v.isdigit() and len(v) <= 18]
        notifications_mark_read(user=request.user, ids=ids)
        messages.success(request, _("Marked as read."))
        return redirect("core:notifications")
    page = OneQueryPaginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("page"))
    # The unread count comes from the context processor (counted once per page, for the badge too).
    return render(request, "core/notifications.html", {"page": page})
