"""Small server-rendered SVG charts: the same markup draws in the browser and in WeasyPrint's PDFs.

No JavaScript and nothing from the internet (agency intranets are often cut off). One shape covers what the
console and the printed documents show: horizontal bars, one row per label, one bar per series (members by
status; collected vs expected; budget vs actual), with an optional limit mark per row (a cap) and rows drawn red
when they need attention (a budget line past 90 %). Labels are Chinese: the text uses the CJK font the PDFs embed.

A ``Chart`` keeps its numbers (``rows``) so a test can compare them with the selector that fills the table.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif"
PALETTE = ("#2f6db5", "#9cc0e8", "#e0a040")
ALERT = "#c62828"
WIDTH = 540
LABEL_WIDTH = 130
TEXT_WIDTH = 120
BAR = 16
GAP = 10
LEGEND = 24


@dataclass
class Row:
    label: str
    values: list  # one number per series
    texts: list | None = None  # what is printed beside each bar (default: the number with thousands separators)
    limit: Decimal | int | None = None  # a cap, drawn as a mark across the row
    alert: bool = False  # drawn red


@dataclass
class Chart:
    title: str
    series: list
    rows: list = field(default_factory=list)
    note: str = ""
    key: str = ""

    def figures(self):
        """{label: [values…]}: what a test compares with the table's figures."""
        return {str(row.label): list(row.values) for row in self.rows}

    def svg(self):
        return render(self)


def number(value):
    """12,345 or 12,345.60: thousands separators, cents only when there are any."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def _text_width(text):
    return sum(13 if ord(ch) > 0x2E80 else 7.5 for ch in text)


def _fit(label, width=LABEL_WIDTH - 10):
    label = str(label)
    if _text_width(label) <= width:
        return label
    while label and _text_width(label + "…") > width:
        label = label[:-1]
    return label + "…"


def render(chart):
    """The chart as an inline ``<svg>`` (safe markup)."""
    series = [str(name) for name in chart.series]
    legend = LEGEND if len(series) > 1 else 0
    row_height = BAR * len(series) + GAP
    height = legend + row_height * max(len(chart.rows), 1) + 6
    plot = WIDTH - LABEL_WIDTH - TEXT_WIDTH
    top = max([max([float(v) for v in row.values] + [float(row.limit or 0)]) for row in chart.rows] or [0]) or 1.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
           f'height="{height}" role="img" font-family="{FONT}" font-size="13">',
           f"<title>{escape(chart.title)}</title>"]
    x = LABEL_WIDTH
    for i, name in enumerate(series if legend else []):
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                   f'<text x="{x + 16}" y="16">{escape(name)}</text>')
        x += 28 + _text_width(name)
    if not chart.rows:
        out.append(f'<text x="{LABEL_WIDTH}" y="{legend + 16}" fill="#666">—</text>')
    for r, row in enumerate(chart.rows):
        y = legend + r * row_height + GAP // 2
        label = escape(_fit(row.label))
        out.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + row_height / 2 - 1:.1f}" text-anchor="end">{label}</text>')
        texts = row.texts or [number(v) for v in row.values]
        for s, value in enumerate(row.values):
            width = max(float(value), 0) / top * plot
            colour = ALERT if row.alert and s == len(row.values) - 1 else PALETTE[s % len(PALETTE)]
            by = y + s * BAR
            out.append(f'<rect x="{LABEL_WIDTH}" y="{by}" width="{width:.1f}" height="{BAR - 2}" fill="{colour}"/>'
                       f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{by + BAR - 3}"'
                       f'{" fill=" + chr(34) + ALERT + chr(34) if colour == ALERT else ""}>{escape(texts[s])}</text>')
        if row.limit is not None:
            lx = LABEL_WIDTH + float(row.limit) / top * plot
            out.append(f'<line x1="{lx:.1f}" y1="{y - 2}" x2="{lx:.1f}" y2="{y + BAR * len(series)}" '
                       f'stroke="#222" stroke-width="2"/>')
    out.append(f'<line x1="{LABEL_WIDTH}" y1="{legend}" x2="{LABEL_WIDTH}" y2="{height - 4}" stroke="#999"/>')
    out.append("</svg>")
    return mark_safe("".join(out))
