"""A notice's body is rich text written in the admin: kept to a small set of tags, sanitised by nh3 (ammonia)."""

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "table",
        "thead", "tbody", "tr", "th", "td", "hr", "span"}
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def clean_html(text):
    """The body with scripts, styles, event handlers and unknown tags removed; links get rel=noopener."""
    return nh3.clean(text or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
