"""Interest group pages for members (phone-first): see the groups, join, leave; and for a group's leader: the
members and the yearly activity and budget plan. Joined under /activities/ (app_name "activities")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.selectors import member_for_user

from . import access, interest
from .models import InterestGroup, InterestGroupPlan


class InterestPlanForm(forms.Form):
    activities = forms.CharField(
        label=gettext_lazy("Planned activities"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("What the group will do this year: one activity per line, with the month if known."))
    budget = forms.DecimalField(
        label=gettext_lazy("Budget requested (yuan)"), min_value=0, max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


def _member_or_404(request):
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    return member


@login_required
@require_GET
def interest_groups(request):
    """Every active group with its leader and size; the member's own groups marked, with join / leave buttons."""
    member = member_for_user(request.user)
    if member is None:
        return render(request, "members/no_record.html", status=404)
    groups = list(interest.interest_groups_for_member(member))
    return render(request, "activities/interest/list.html", {"groups": groups, "member": member})


@login_required
@require_POST
def interest_join(request, pk):
    member = _member_or_404(request)
    group = get_object_or_404(InterestGroup, pk=pk, active=True)
    try:
        interest.interest_group_join(group=group, member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have joined “%(group)s”.") % {"group": group.name})
    return redirect("activities:interest_groups")


@login_required
@require_POST
def interest_leave(request, pk):
    member = _member_or_404(request)
    group = get_object_or_404(InterestGroup, pk=pk)
    try:
        interest.interest_group_leave(group=group, member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have left “%(group)s”.") % {"group": group.name})
    return redirect("activities:interest_groups")


@login_required
@require_GET
def interest_lead(request, pk):
    """The leader's page: the group's members and its yearly plans with the chair's decisions."""
    group = access.interest_group_for_leader(user=request.user, pk=pk)
    plans = {plan.year: plan for plan in group.plans.all()}
    years = sorted(set(interest.interest_plan_years()) | set(plans), reverse=True)
    return render(request, "activities/interest/lead.html", {
        "group": group, "memberships": list(interest.interest_group_members(group)),
        "plan_rows": [(year, plans.get(year)) for year in years],
    })


@login_required
@require_http_methods(["GET", "POST"])
def interest_plan(request, pk, year):
    """The leader writes the plan for a year, saves it as a draft or submits it; sees the chair's decision, and
    edits and resubmits a returned plan."""
    group = access.interest_group_for_leader(user=request.user, pk=pk)
    plan = InterestGroupPlan.objects.filter(group=group, year=year).select_related("decided_by").first()
    if plan is None and year not in interest.interest_plan_years():
        raise Http404
    editable = plan is None or plan.status in interest.EDITABLE_PLAN_STATUSES
    initial = {"activities": plan.activities, "budget": plan.budget} if plan else {}
    form = InterestPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and editable and form.is_valid():
        submit = "submit" in request.POST
        try:
            plan = interest.interest_plan_save(group=group, year=year, actor=request.user, submit=submit,
                                               activities=form.cleaned_data["activities"],
                                               budget=form.cleaned_data["budget"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The plan was submitted to the union.") if submit
                             else _("The plan was saved as a draft."))
            return redirect("activities:interest_plan", pk=group.pk, year=year)
    return render(request, "activities/interest/plan.html",
                  {"group": group, "year": year, "plan": plan, "form": form, "editable": editable})


urlpatterns = [
    path("interest/", interest_groups, name="interest_groups"),
    path("interest/<int:pk>/join/", interest_join, name="interest_join"),
    path("interest/<int:pk>/leave/", interest_leave, name="interest_leave"),
    path("interest/<int:pk>/lead/", interest_lead, name="interest_lead"),
    path("interest/<int:pk>/plan/<int:year>/", interest_plan, name="interest_plan"),
]
