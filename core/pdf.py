"""PDF rendering with WeasyPrint from templates under templates/<app>/pdf/.

Every PDF embeds a CJK font: the stylesheet names it on ``html`` and on ``@page`` (margin boxes such
as page-number footers do not inherit from body — see STACK.md). Renderers return
``(filename, mimetype, bytes)`` like pretix's.

Documents carry text people typed (titles, names, reasons). WeasyPrint fetches every URL a document names, so the
renderer fetches nothing but the project's own static files (no http://, no file:// elsewhere on the server, no
data: URLs), and the page headers take their text from escaped HTML (running elements), never from a CSS string.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

PDF_MIMETYPE = "application/pdf"
# The accounting archive's PDFs (会计档案): PDF/A-3b, archival and able to carry attachments.
ARCHIVE_PDF_VARIANT = "pdf/a-3b"
_WRITE_OPTIONS = ContextVar("pdf_write_options", default=None)
CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif'


def allowed_roots():
    """The only folders a document may load files from: the project's static files (fonts come from fontconfig)."""
    return [Path(root).resolve() for root in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]]


def is_allowed_url(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parsed.path)).resolve()
    return any(path.is_relative_to(root) for root in allowed_roots())


@contextmanager
def archival_pdfs(*, variant=ARCHIVE_PDF_VARIANT, created=None):
    """Inside this block every PDF is written as PDF/A (``variant``) with a fixed creation time, so the same
    figures give the same bytes (the accounting archive, finance.reports.archive)."""
    token = _WRITE_OPTIONS.set({"pdf_variant": variant, "created": created})
    try:
        yield
    finally:
        _WRITE_OPTIONS.reset(token)


def render_pdf(template_name, context, *, filename, copies=1):
    """``copies``: the document's pages that many times over, the same page objects each time (e.g. printed
    ballots, one per voter, identical by construction)."""
    from weasyprint import HTML  # heavy (pango, fonts): loaded only when a PDF is rendered
    from weasyprint.urls import URLFetcher

    class ProjectFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_allowed_url(url):
                raise ValueError(f"not fetched (PDFs load only the project's static files): {url[:80]}")
            return super().fetch(url, headers)

    html = render_to_string(template_name, {
        "UNION_NAME": settings.UNION_NAME, "AUDIT_COMMITTEE_NAME": audit_committee_name(),
        "SIGNATURE_ROLES_AUDIT": [_("Chair of the audit committee"), _("Members of the audit committee")],
        "CJK_FONT_STACK": CJK_FONT_STACK, "generated_at": timezone.localtime(), **context,
    })
    options = _WRITE_OPTIONS.get()
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=ProjectFilesOnly()).render()
    if copies > 1:
        document = document.copy(document.pages * copies)
    if options is None:
        return filename, PDF_MIMETYPE, document.write_pdf()
    if options["created"]:
        document.metadata.created = document.metadata.modified = options["created"]
    data = document.write_pdf(pdf_variant=options["pdf_variant"],
                              pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode())
    return filename, PDF_MIMETYPE, data


def audit_committee_name():
    """The 经费审查委员会 of the union, for the 落款 of its documents: "示范机关工会委员会" → "示范机关工会经费审查委员会"."""
    union = settings.UNION_NAME
    if union.endswith("委员会"):
        union = union[:-len("委员会")]
    return _("%(union)s audit committee") % {"union": union}
