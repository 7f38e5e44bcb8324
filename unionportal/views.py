"""The portal's front page: it links to every app, so it sits above them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from core.portal import home_cards
from members.selectors import member_for_user


@login_required
def home(request):
    member = member_for_user(request.user)
    return render(request, "core/home.html", {"member": member, "cards": home_cards(request, member)})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the committed icon (resolved per request,
    so the hashed name of the production static storage is used)."""
    return redirect(static("icons/favicon.ico"), permanent=True)
