"""Small server-side SVG bar charts for survey results (no script, no library; kept apart so a shared chart module
can replace it)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR_HEIGHT = 22
LABEL_WIDTH = 110
BAR_WIDTH = 200


def bar_chart(rows):
    """Horizontal bars for [(label, count)], with the count at the end of each bar."""
    top = max((count for _label, count in rows), default=0) or 1
    height = BAR_HEIGHT * len(rows) + 4
    parts = [f'<svg class="bars" role="img" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 40} {height}" '
             f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, count) in enumerate(rows):
        y = i * BAR_HEIGHT + 2
        width = round(BAR_WIDTH * count / top)
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
                     f'{escape(str(label)[:14])}</text>'
                     f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="{BAR_HEIGHT - 6}" fill="#b22222"/>'
                     f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 15}" font-size="12">{count}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every value in it is escaped or a number
