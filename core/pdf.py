"""PDF rendering with WeasyPrint from templates under templates/<app>/pdf/.

Every PDF embeds a CJK font: the stylesheet names it on ``html`` and on ``@page`` (margin boxes such
as page-number footers do not inherit from body — see STACK.md). Renderers return
``(filename, mimetype, bytes)`` like pretix's.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

PDF_MIMETYPE = "application/pdf"
CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif'


def render_pdf(template_name, context, *, filename):
    from weasyprint import HTML  # heavy (pango, fonts): loaded only when a PDF is rendered

    html = render_to_string(template_name, {
        "UNION_NAME": settings.UNION_NAME, "CJK_FONT_STACK": CJK_FONT_STACK,
        "generated_at": timezone.localtime(), **context,
    })
    data = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return filename, PDF_MIMETYPE, data
