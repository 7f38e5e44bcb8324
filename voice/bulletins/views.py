"""The members' archive of the 工作简报 (a list by year) and one issue's PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from . import access, selectors
from .pdf import bulletin_pdf


@login_required
def bulletin_list(request):
    return render(request, "voice/bulletins/list.html", {"years": selectors.published_by_year()})


@login_required
def bulletin_file(request, pk):
    bulletin = access.bulletin_for_user(user=request.user, pk=pk)
    filename, mimetype, data = bulletin_pdf(bulletin=bulletin)
    response = HttpResponse(data, content_type=mimetype)
    # inline: members read it on the phone, in the browser's own viewer
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
