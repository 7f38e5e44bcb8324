"""Member pages: the activities open to me, one activity with its registration form, cancelling (with a
confirmation step), leaving the waitlist, "my activities" with check-in QR codes, and the .ics calendar file.

Views stay thin: they find the member and the activity, call a service from ``registration``, and say what
happened with a message. Every refusal the service raises is shown as it is worded there.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.paging import OneQueryPaginator
from members.selectors import member_for_user, member_record_for_user

from . import access, selectors
from . import registration as services
from .checkin_token import checkin_qr_svg, make_checkin_token
from .eligibility import chosen_audience_text
from .forms import ReasonForm, RegistrationForm
from .ics import activity_ics
from .models import Activity, Audience, Registration

PAGE_SIZE = 20


@login_required
def activity_list(request):
    member = member_record_for_user(request.user)  # the record alone: the list needs only who it is for
    page = OneQueryPaginator(selectors.activities_for_member(member), PAGE_SIZE).get_page(request.GET.get("page"))
    not_on_roll = member is None or not member.is_on_roll
    return render(request, "activities/member/list.html", {"page": page, "member": member,
                                                            "not_on_roll": not_on_roll})


def _detail_context(request, activity, member, form=None):
    live = services.live_registration(activity=activity, member=member)
    refusal = services.registration_refusal(activity=activity, member=member, registration=live) if live is None \
        else None
    if form is None and live is None and refusal is None:
        form = RegistrationForm(questions=activity.questions.all())
    now = timezone.now()
    return {
        "activity": activity, "member": member, "registration": live, "refusal": refusal, "form": form,
        "position": services.waitlist_position(live) if live else None,
        "seats_left": None if activity.capacity is None else max(0, activity.capacity - activity.seats_taken),
        "can_cancel": bool(live and live.status == Registration.Status.CONFIRMED
                           and activity.state == Activity.State.PUBLISHED
                           and now < activity.effective_cancellation_deadline),
        "audience": _audience_text(activity),
        "my_answers": [(q.label, live.answers[str(q.pk)]) for q in activity.questions.all()
                       if live and str(q.pk) in live.answers],
    }


def _audience_text(activity):
    if activity.audience == Audience.WOMEN:
        text = _("Women members.")
    elif activity.audience == Audience.CHOSEN:
        text = chosen_audience_text(activity)
    else:
        text = _("All members on the roll.")
    if not activity.retirees_included:
        retirees = _("Retired members are not included.")
        text = f"{text} {retirees}"
    return text


@login_required
def activity_detail(request, pk):
    activity = access.activity_for_user(user=request.user, pk=pk)
    member = member_for_user(request.user)
    return render(request, "activities/member/detail.html", _detail_context(request, activity, member))


@login_required
@require_POST
def register(request, pk):
    activity = access.activity_to_register_for(user=request.user, pk=pk)
    member = member_record_for_user(request.user)
    detail = reverse("activities:detail", kwargs={"pk": pk})
    form = RegistrationForm(request.POST, questions=activity.questions.all())

    def answers_refused():  # the form again, with the detail page's full context (read only on this path)
        messages.error(request, _("Please check your answers."))
        shown = access.activity_for_user(user=request.user, pk=pk)
        return render(request, "activities/member/detail.html", _detail_context(request, shown, member, form),
                      status=400)

    if not form.is_valid():
        return answers_refused()
    try:
        registration = services.registration_create(activity=activity, member=member, answers=form.answers(),
                                                    actor=request.user, via="web")
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            form.add_service_errors(error)
            return answers_refused()
        messages.error(request, error.messages[0])
        return redirect(detail)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered for %(title)s.") % {"title": activity.title})
    else:
        messages.warning(request, _("%(title)s is full: you are number %(position)s on the waitlist. If a seat "
                                    "frees up you get it automatically, and we will tell you.") % {
            "title": activity.title, "position": registration.waitlist_position})
    return redirect(detail)


def _confirm(request, pk, *, status, template_texts, service):
    """The two steps of cancelling and of leaving the waitlist: GET asks, POST does it."""
    activity = access.activity_for_user(user=request.user, pk=pk)
    member = member_for_user(request.user)
    detail = reverse("activities:detail", kwargs={"pk": pk})
    live = services.live_registration(activity=activity, member=member)
    if live is None or live.status != status:
        messages.info(request, template_texts["nothing"])
        return redirect(detail)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(registration=live, actor=request.user, reason=form.cleaned_data["reason"], via="web")
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, template_texts["done"])
        return redirect(detail)
    return render(request, "activities/member/confirm.html",
                  {"activity": activity, "form": form, "registration": live, **template_texts})


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    return _confirm(request, pk, status=Registration.Status.CONFIRMED, service=services.registration_cancel,
                    template_texts={
                        "heading": _("Cancel your registration?"),
                        "explain": _("Your seat goes to the first person on the waitlist whose party fits. You can "
                                     "register again while registration is open, but you will have to queue if "
                                     "the activity is full by then."),
                        "button": _("Yes, cancel my registration"),
                        "nothing": _("You have no seat for this activity."),
                        "done": _("Your registration is cancelled."),
                    })


@login_required
@require_http_methods(["GET", "POST"])
def leave_waitlist(request, pk):
    return _confirm(request, pk, status=Registration.Status.WAITLISTED, service=services.waitlist_leave,
                    template_texts={
                        "heading": _("Leave the waitlist?"),
                        "explain": _("You lose your place in the queue. If you register again later, you start at "
                                     "the end."),
                        "button": _("Yes, leave the waitlist"),
                        "nothing": _("You are not on the waitlist for this activity."),
                        "done": _("You have left the waitlist."),
                    })


@login_required
def my_activities(request):
    member = member_for_user(request.user)
    if member is None:
        return render(request, "members/no_record.html", status=404)
    now = timezone.now()
    upcoming = OneQueryPaginator(selectors.my_registrations(member, upcoming=True, now=now), PAGE_SIZE).get_page(
        request.GET.get("upcoming"))
    past = OneQueryPaginator(selectors.my_registrations(member, upcoming=False, now=now), PAGE_SIZE).get_page(
        request.GET.get("past"))
    for registration in upcoming:
        registration.qr_svg = None
        if registration.status == Registration.Status.CONFIRMED:
            registration.qr_svg = checkin_qr_svg(make_checkin_token(member, registration.activity))
    return render(request, "activities/member/mine.html",
                  {"member": member, "upcoming": upcoming, "past": past, "now": now})


@login_required
def calendar_file(request, pk):
    activity = access.activity_for_user(user=request.user, pk=pk)
    text = activity_ics(activity, url=request.build_absolute_uri(reverse("activities:detail", kwargs={"pk": pk})),
                        domain=get_current_site(request).domain)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


urlpatterns = [
    path("", activity_list, name="list"),
    path("mine/", my_activities, name="mine"),
    path("<int:pk>/", activity_detail, name="detail"),
    path("<int:pk>/register/", register, name="register"),
    path("<int:pk>/cancel/", cancel, name="cancel"),
    path("<int:pk>/leave-waitlist/", leave_waitlist, name="leave_waitlist"),
    path("<int:pk>/calendar.ics", calendar_file, name="calendar"),
]
