"""The year's 提案 and how each was handled, as a PDF in the house style (core.pdf): the register of the congresses
held that year — number, title, proposer, the committee's decision, owner, answer and the proposer's rating."""

from django.utils.translation import gettext as _

from core.pdf import render_pdf

from ..models import Item
from .selectors import proposals_of_year


def proposal_rows(year):
    rows = []
    for item in proposals_of_year(year):
        if item.review == Item.Review.MERGED and item.merged_into_id:
            handled = _("merged into proposal No. %(number)s") % {"number": item.merged_into.proposal_number}
        elif item.review:
            handled = Item.Review(item.review).label
        else:
            handled = _("awaiting review")
        owner = ", ".join(str(o) for o in (item.owner_department, item.owner_user) if o)
        rows.append({"item": item, "number": item.proposal_number or "", "proposer": item.member.name if item.member
                     else "", "handled": handled, "owner": owner,
                     "rating": Item.Rating(item.rating).label if item.rating else "",
                     "state": Item.State(item.state).label})
    return rows


def proposals_pdf(*, year):
    rows = proposal_rows(year)
    congresses = list(dict.fromkeys(row["item"].congress for row in rows))
    counts = {"total": len(rows), "registered": sum(1 for r in rows if r["item"].review == Item.Review.REGISTERED),
              "answered": sum(1 for r in rows if r["item"].answer_count),
              "satisfied": sum(1 for r in rows if r["item"].rating == Item.Rating.SATISFIED)}
    return render_pdf("voice/pdf/proposals.html", {"year": year, "rows": rows, "congresses": congresses,
                                                   "counts": counts},
                      filename=f"proposals-{year}.pdf")
