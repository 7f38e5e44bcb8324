"""Printed ballots (选票): one per voter on the roll who has not voted online, every page the same — no serial, no
name, no page number, no date — so a ballot cannot be traced to whoever it was handed to (无记名投票)."""

from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .models import Voter
from .selectors import ballot_candidates

TEMPLATE = "elections/pdf/ballot.html"


def ballots_pdf(election):
    """(filename, mimetype, bytes): the one ballot page, repeated once per voter still to vote (at least once)."""
    copies = max(1, Voter.objects.filter(election=election, voted=False).count())
    context = {"election": election, "candidates": list(ballot_candidates(election))}
    return render_pdf(TEMPLATE, context, filename=f"{_('Ballot')}-{election.title}.pdf", copies=copies)
