"""The 选举结果报告 for the higher union: the counted figures as the close recorded them, per candidate the
yes-votes and whether elected, and the rules the count applied."""

from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .models import Candidate

TEMPLATE = "elections/pdf/result.html"


def result_report_pdf(election):
    """(filename, mimetype, bytes) of the result report of a counted election."""
    candidates = list(Candidate.objects.filter(election=election, approved=True)
                      .select_related("member", "member__department").order_by("-votes", "member__name_initials"))
    context = {"election": election, "rules": election.rules, "candidates": candidates,
               "valid_ballots": election.ballots_returned - election.ballots_invalid,
               "entitled": election.voters.count(), "elected": [c for c in candidates if c.elected]}
    return render_pdf(TEMPLATE, context, filename=f"{_('Election result report')}-{election.title}.pdf")
