from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Notification
from .portal import tabs


def portal(request):
    """Union name for every page, and the unread-notification count (counted only when a page shows it)."""
    user = getattr(request, "user", None)

    def unread():
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    def tab_bar():
        if user is None or not user.is_authenticated:
            return []
        return tabs(request.path)

    return {"UNION_NAME": settings.UNION_NAME, "unread_notifications": SimpleLazyObject(unread),
            "portal_tabs": SimpleLazyObject(tab_bar)}
