"""The member's voting page: mark up to ``seats`` candidates, confirm, cast once; then 已投票. The 小组长's
nomination page: the group's 推荐 for an election, editable while nominations are open, then read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.idempotency import AlreadySubmitted, submit_once

from . import access, selectors, services
from .forms import BallotForm, GroupNominationForm


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    election, voter = access.election_for_voter(user=request.user, pk=pk)
    candidates = list(selectors.ballot_candidates(election))
    form = BallotForm(request.POST or None, election=election, candidates=candidates)
    if request.method == "POST" and voter.voted:  # e.g. a second tab, after the first one cast
        messages.info(request, _("You have already voted."))
        return redirect("elections:vote", pk=election.pk)
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(request, scope="elections.ballot_cast",
                        perform=lambda: services.ballot_cast(election=election, member=voter.member,
                                                             candidate_ids=form.cleaned_data["candidates"]),
                        url=request.path)
        except AlreadySubmitted as repeated:
            return repeated.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your ballot was cast. It is kept with no link to you."))
            return redirect("elections:vote", pk=election.pk)
    return render(request, "elections/vote.html", {"election": election, "voted": voter.voted, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def group_nomination(request, pk, group_pk):
    election, group, record, editable = access.group_nomination_for_leader(
        user=request.user, pk=pk, group_pk=group_pk, change=request.method == "POST")
    form = GroupNominationForm(request.POST or None, election=election, record=record) if editable else None
    if request.method == "POST" and form.is_valid():
        try:
            services.group_nomination_save(election=election, union_group=group,
                                           members_present=form.cleaned_data["members_present"],
                                           nominees=form.cleaned_data["nominees"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The group's nominations are saved. You can change them until "
                                        "nominations close."))
            return redirect("elections:group_nomination", pk=election.pk, group_pk=group.pk)
    nominees = list(record.nominees.select_related("member", "member__department")) if record else []
    return render(request, "elections/group_nomination.html", {
        "election": election, "group": group, "record": record, "nominees": nominees, "form": form,
        "editable": editable, "in_service": selectors.group_size_on(group, election.roll_date)})
