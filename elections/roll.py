"""The 选民名单: the frozen voter roll of an election as a PDF in the house style (core.pdf)."""

from django.utils.translation import gettext as _

from core.pdf import render_pdf

from .selectors import roll_rows

TEMPLATE = "elections/pdf/roll.html"


def roll_pdf(election):
    """(filename, mimetype, bytes) of the roll as it stands (frozen, with its logged changes applied)."""
    context = {"election": election, "voters": list(roll_rows(election)),
               "changes": election.roll_changes.count()}
    return render_pdf(TEMPLATE, context, filename=f"{_('Voter roll')}-{election.title}.pdf")
