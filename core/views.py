from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from members.selectors import member_for_user

from .models import Job


def healthz(request):
    """For load balancers and docker-compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    member = member_for_user(request.user)
    return render(request, "core/home.html", {"member": member})


@login_required
def job_status(request, pk):
    """Progress of a background job, for the page that started it (only its starter or a superuser)."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
        raise Http404
    return JsonResponse({
        "status": job.status, "status_display": job.get_status_display(), "percent": job.percent,
        "done": job.progress_done, "total": job.progress_total, "message": job.message,
        "finished": job.is_finished,
    })
