"""The 工作简报 as a PDF in the house style (core.pdf, templates/pdf/base.html)."""

from core.language import site_language
from core.pdf import render_pdf

from .selectors import figures_of


def bulletin_paragraphs(text):
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def bulletin_pdf(*, bulletin):
    """One document for every member, in the union's language (``LANGUAGE_CODE``) like its frozen figures."""
    with site_language():
        return render_pdf("voice/pdf/bulletin.html", {
            "bulletin": bulletin, "figures": figures_of(bulletin),
            "paragraphs": bulletin_paragraphs(bulletin.committee_text)},
            filename=f"bulletin-{bulletin.year}-{bulletin.number:02d}.pdf")
