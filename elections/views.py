"""The member's voting page: mark up to ``seats`` candidates, confirm, cast once; then 已投票."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.idempotency import AlreadySubmitted, submit_once

from . import access, selectors, services
from .forms import BallotForm


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
