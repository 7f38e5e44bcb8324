"""The elections cards of the member's home: the elections open for voting with the member on their roll, and
for a 小组长 the elections whose nominations their group is asked for."""

from core.portal import register_card

from .selectors import nominations_for_leader, open_elections_for_member


def elections_card(request, member):
    found = open_elections_for_member(member)
    return {"elections": found} if found else None


def nominations_card(request, member):
    found = nominations_for_leader(request.user) if member is not None else []
    return {"nominations": found} if found else None


def register():
    register_card(key="elections.open", order=15, template="elections/cards/elections.html", build=elections_card)
    register_card(key="elections.nominations", order=16, template="elections/cards/nominations.html",
                  build=nominations_card)
