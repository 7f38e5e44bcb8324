"""The member's phone home and tab bar: cards and tabs that apps register in their ``ready()``.

core may not import other apps, so each app contributes its own home card (my next activity, my dues, what I
received …) and its tab (活动, 通知 …) here, like ``core.year_sections``. A card's ``build(request, member)`` returns
the context for its template, or None when it has nothing to show; each build runs a fixed number of queries
(the home's query count is tested). Tabs are (label, url name, matching path prefix), shown at the foot of phone
pages and across the top on wide screens.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Card:
    key: str
    order: int
    template: str
    build: object


@dataclass(frozen=True)
class Tab:
    key: str
    order: int
    label: object
    url_name: str
    prefix: str = ""


_CARDS: dict[str, Card] = {}
_TABS: dict[str, Tab] = {}


def register_card(*, key, order, template, build):
    """Register a home card: ``build(request, member) -> dict | None``, rendered with ``template``."""
    _CARDS[key] = Card(key, order, template, build)


def register_tab(*, key, order, label, url_name, prefix=""):
    """Register a tab of the member's tab bar (registering a key again replaces it)."""
    _TABS[key] = Tab(key, order, label, url_name, prefix)


def home_cards(request, member):
    """The cards to show, in order, each as ``(template, context)``."""
    cards = []
    for card in sorted(_CARDS.values(), key=lambda c: (c.order, c.key)):
        context = card.build(request, member)
        if context is not None:
            cards.append((card.template, context))
    return cards


def tabs(path):
    """The tab bar for a page at ``path``: dicts with label, url and whether it is the current one."""
    items = []
    for tab in sorted(_TABS.values(), key=lambda t: (t.order, t.key)):
        url = reverse(tab.url_name)
        prefix = tab.prefix or url
        current = path == url if prefix == "/" else path.startswith(prefix)
        items.append({"key": tab.key, "label": tab.label, "url": url, "current": current})
    return items
