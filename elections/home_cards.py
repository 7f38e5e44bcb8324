"""The elections card of the member's home: the elections open for voting with the member on their roll."""

from core.portal import register_card

from .selectors import open_elections_for_member


def elections_card(request, member):
    found = open_elections_for_member(member)
    return {"elections": found} if found else None


def register():
    register_card(key="elections.open", order=15, template="elections/cards/elections.html", build=elections_card)
