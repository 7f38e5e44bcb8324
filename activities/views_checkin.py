"""Check-in pages for the organiser on the day, made for a phone (joined under /activities/, app "activities").

Every page works without JavaScript (a GET search form, POST buttons that redirect back). With JavaScript
(static/js/checkin.js) the search updates as you type and ticks are sent with ``fetch``: the same views then
answer with JSON (``{"ok", "message", "counts", "results"}``), ``results`` being the list re-rendered on the server.
Anyone who may not check people in at an activity gets a 404 (access.check_in_activity_for_user).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, checkin
from .models import Registration

SEARCH_MAX_LENGTH = 50


class WalkInForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"), max_length=200, required=False,
        help_text=gettext_lazy("For example: signed up with the group leader, on the waitlist, came in place of a "
                               "colleague."))


class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Check-in code"), max_length=500,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off",
                                                          "spellcheck": "false", "autofocus": True}))


def _wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


def _query(request):
    return (request.GET.get("q") or request.POST.get("q") or "").strip()[:SEARCH_MAX_LENGTH]


def _counts_json(counts):
    return {"registered": counts.registered, "checked_in": counts.checked_in, "walk_ins": counts.walk_ins}


def _results_html(request, activity, query):
    context = {
        "activity": activity, "q": query,
        "registrations": checkin.checkin_registrations(activity=activity, query=query),
        "others": checkin.checkin_others(activity=activity, query=query),
    }
    return render_to_string("activities/checkin_results.html", context, request=request)


def _page_url(activity, query=""):
    url = reverse("activities:checkin", args=[activity.pk])
    return f"{url}?{urlencode({'q': query})}" if query else url


def _answer(request, activity, *, ok, message, query="", include_results=True):
    """JSON for fetch, otherwise a flash message and a redirect back to the list (POST → redirect → GET)."""
    if _wants_json(request):
        data = {"ok": ok, "message": message, "counts": _counts_json(checkin.checkin_counts(activity))}
        if include_results:
            data["results"] = _results_html(request, activity, query)
        return JsonResponse(data, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return HttpResponseRedirect(_page_url(activity, query))


@login_required
@require_GET
def checkin_list(request):
    """The activities this person may check people in at (organisers: their own)."""
    if not access.can_use_check_in(request.user):
        raise Http404
    activities = checkin.activities_for_check_in(request.user)
    return render(request, "activities/checkin_list.html", {"activities": activities})


@login_required
@require_GET
def checkin_page(request, pk):
    activity = access.check_in_activity_for_user(user=request.user, pk=pk)
    query = _query(request)
    counts = checkin.checkin_counts(activity)
    if _wants_json(request) or request.GET.get("partial"):
        return JsonResponse({"ok": True, "counts": _counts_json(counts),
                             "results": _results_html(request, activity, query)})
    context = {
        "activity": activity, "q": query, "counts": counts,
        "registrations": checkin.checkin_registrations(activity=activity, query=query),
        "others": checkin.checkin_others(activity=activity, query=query),
        "is_open": activity.state == activity.State.PUBLISHED,
    }
    return render(request, "activities/checkin.html", context)


def _registration(activity, request):
    try:
        registration_id = int(request.POST.get("registration", ""))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Registration.objects.select_related("member", "activity"), pk=registration_id,
                             activity=activity)


@login_required
@require_POST
def checkin_tick(request, pk):
    activity = access.check_in_activity_for_user(user=request.user, pk=pk)
    registration = _registration(activity, request)
    query = _query(request)
    try:
        registration, newly = checkin.registration_check_in(registration=registration, actor=request.user)
    except ValidationError as error:
        return _answer(request, activity, ok=False, message=" ".join(error.messages), query=query)
    return _answer(request, activity, ok=True, message=_checked_in_message(registration.member.name, newly),
                   query=query)


def _checked_in_message(name, newly):
    text = _("%(name)s is checked in.") if newly else _("%(name)s was already checked in.")
    return text % {"name": name}


@login_required
@require_POST
def checkin_undo(request, pk):
    activity = access.check_in_activity_for_user(user=request.user, pk=pk)
    registration = _registration(activity, request)
    query = _query(request)
    undone = checkin.registration_check_in_undo(registration=registration, actor=request.user,
                                                reason=request.POST.get("reason", "")[:200])
    name = registration.member.name
    if undone:
        message = _("Check-in of %(name)s undone.") % {"name": name}
    else:
        message = _("%(name)s was not checked in.") % {"name": name}
    return _answer(request, activity, ok=True, message=message, query=query)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_walk_in(request, pk, member_pk):
    """Confirm and add a walk-in (a member who may take part, without a seat), with an optional reason: only during
    the activity's check-in window, and only for its audience (access.walk_in_member_for_user; 404 otherwise)."""
    activity = access.check_in_activity_for_user(user=request.user, pk=pk)
    member = access.walk_in_member_for_user(user=request.user, activity=activity, pk=member_pk)
    query = _query(request)
    form = WalkInForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            registration, created = checkin.checkin_walk_in(activity=activity, member=member, actor=request.user,
                                                            reason=form.cleaned_data["reason"])
        except ValidationError as error:
            refusal = " ".join(error.messages)
            if _wants_json(request):
                return _answer(request, activity, ok=False, message=refusal, query=query)
        else:
            if created:
                message = _("%(name)s added as a walk-in and checked in.") % {"name": member.name}
            else:
                message = _("%(name)s already had a seat and is checked in.") % {"name": member.name}
            return _answer(request, activity, ok=True, message=message, query=query)
    waitlisted = Registration.objects.filter(activity=activity, member=member,
                                             status=Registration.Status.WAITLISTED).exists()
    context = {"activity": activity, "member": member, "form": form, "q": query, "refusal": refusal,
               "waitlisted": waitlisted, "back_url": _page_url(activity, query)}
    return render(request, "activities/checkin_walk_in.html", context, status=400 if refusal else 200)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_scan(request, pk):
    """Scan a member's QR code with the camera (BarcodeDetector), or paste the code a scanner app read."""
    activity = access.check_in_activity_for_user(user=request.user, pk=pk)
    form = TokenForm(request.POST or None)
    walk_in_url = None
    if request.method == "POST":
        if not form.is_valid():
            message = _("Scan a code or paste it into the field.")
            if _wants_json(request):
                return _scan_answer(activity, ok=False, message=message)
            messages.error(request, message)
        else:
            try:
                registration, newly = checkin.checkin_by_token(activity=activity, token=form.cleaned_data["token"],
                                                               actor=request.user)
            except ValidationError as error:
                message = " ".join(error.messages)
                if error.code == "not_registered":
                    walk_in_url = reverse("activities:checkin_walk_in", args=[activity.pk, error.params["member_id"]])
                if _wants_json(request):
                    return _scan_answer(activity, ok=False, message=message, walk_in_url=walk_in_url)
                messages.error(request, message)
            else:
                name = registration.member.name
                message = _checked_in_message(name, newly)
                if _wants_json(request):
                    return _scan_answer(activity, ok=True, message=message, name=name, newly=newly)
                messages.success(request, message)
                return HttpResponseRedirect(reverse("activities:checkin_scan", args=[activity.pk]))
        form = TokenForm()
    context = {"activity": activity, "form": form, "counts": checkin.checkin_counts(activity),
               "walk_in_url": walk_in_url, "is_open": activity.state == activity.State.PUBLISHED}
    return render(request, "activities/checkin_scan.html", context)


def _scan_answer(activity, *, ok, message, **extra):
    data = {"ok": ok, "message": message, "counts": _counts_json(checkin.checkin_counts(activity)), **extra}
    return JsonResponse(data, status=200 if ok else 400)


urlpatterns = [
    path("check-in/", checkin_list, name="checkin_list"),
    path("<int:pk>/check-in/", checkin_page, name="checkin"),
    path("<int:pk>/check-in/tick/", checkin_tick, name="checkin_tick"),
    path("<int:pk>/check-in/undo/", checkin_undo, name="checkin_undo"),
    path("<int:pk>/check-in/walk-in/<int:member_pk>/", checkin_walk_in, name="checkin_walk_in"),
    path("<int:pk>/check-in/scan/", checkin_scan, name="checkin_scan"),
]
