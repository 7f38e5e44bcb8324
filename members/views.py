from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import access, selectors, services
from .forms import ApplicationForm


def _profile_context(member, user):
    return {
        "member": member,
        "id_number_shown": selectors.shown_id_number(member, user),
        "phone_shown": selectors.shown_phone(member, user),
        "birth_date_shown": selectors.shown_birth_date(member, user),
        "history": selectors.member_history(member),
    }


@login_required
def my_record(request):
    """The member's own page: profile (masked), membership history, group, and links to their other records."""
    member = selectors.member_for_user(request.user)
    if member is None:
        return render(request, "members/no_record.html", status=404)
    return render(request, "members/me.html", _profile_context(member, request.user))


@login_required
@require_http_methods(["POST"])
def my_birthday_calendar(request):
    """The member chooses whether their birthday is remembered on its lunar date (the reminders use it)."""
    member = selectors.member_for_user(request.user)
    if member is None:
        raise Http404
    lunar = request.POST.get("birthday_lunar") == "1"
    try:
        services.member_update(member=member, actor=request.user, birthday_lunar=lunar)
    except ValidationError:
        messages.error(request, _("Your record has a problem the union office must fix first; please tell them."))
    else:
        messages.success(request, _("Your birthday will be remembered on the lunar calendar.") if lunar
                         else _("Your birthday will be remembered on the Gregorian calendar."))
    return redirect("members:me")


@login_required
def member_detail(request, pk):
    member = access.member_get_for_user(user=request.user, pk=pk)
    return render(request, "members/detail.html", _profile_context(member, request.user))


@login_required
def my_group(request):
    """A 小组长's view of their own group: names, departments and masked contact numbers."""
    members = list(selectors.group_members_for_leader(request.user))
    if not members and not access.can_see_roll(request.user):
        raise Http404
    rows = [(m, selectors.shown_phone(m, request.user)) for m in members]
    return render(request, "members/group.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def apply(request):
    """The online 入会申请. It creates an applicant; the union committee approves it in the admin."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Counted only for well-formed applications, so a typo does not use up the visitor's allowance.
        if not ratelimit.consume(request, action="membership_application"):
            form.add_error(None, _("Too many applications from here. Wait an hour and try again, or contact the "
                                   "union office."))
            return render(request, "members/apply.html", {"form": form}, status=429)
        data = form.cleaned_data
        # The same answer whether or not the ID number is on file (services.application_receive): the page must not
        # tell a stranger who is on the roll.
        try:
            services.application_receive(
                actor=request.user if request.user.is_authenticated else None, name=data["name"],
                id_number=data["id_number"], phone=data["phone"], department=data["department"],
                position=data["position"], statement=data["statement"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("members:apply_done")
    return render(request, "members/apply.html", {"form": form})


def apply_done(request):
    return render(request, "members/apply_done.html")
