"""The portal's front page: it links to every app, so it sits above them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.portal import home_cards
from members.selectors import member_for_user


@login_required
def home(request):
    member = member_for_user(request.user)
    return render(request, "core/home.html", {"member": member, "cards": home_cards(request, member)})
