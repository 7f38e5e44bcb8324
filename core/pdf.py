"""PDF rendering with WeasyPrint from templates under templates/<app>/pdf/.

Every PDF embeds a CJK font: the stylesheet names it on ``html`` and on ``@page`` (margin boxes such
as page-number footers do not inherit from body — see STACK.md). Renderers return
``(filename, mimetype, bytes)`` like pretix's.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

PDF_MIMETYPE = "application/pdf"
CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif'


def render_pdf(template_name, context, *, filename):
    from weasyprint import HTML  # heavy (pango, fonts): loaded only when a PDF is rendered

    html = render_to_string(template_name, {
        "UNION_NAME": settings.UNION_NAME, "AUDIT_COMMITTEE_NAME": audit_committee_name(),
        "SIGNATURE_ROLES_AUDIT": [_("Chair of the audit committee"), _("Members of the audit committee")],
        "CJK_FONT_STACK": CJK_FONT_STACK, "generated_at": timezone.localtime(), **context,
    })
    data = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return filename, PDF_MIMETYPE, data


def audit_committee_name():
    """The 经费审查委员会 of the union, for the 落款 of its documents: "示范机关工会委员会" → "示范机关工会经费审查委员会"."""
    union = settings.UNION_NAME
    if union.endswith("委员会"):
        union = union[:-len("委员会")]
    return _("%(union)s audit committee") % {"union": union}
