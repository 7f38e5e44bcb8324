"""core's own home card (unread notifications) and tabs (首页, 通知), registered in core's ready()."""

from django.utils.translation import gettext_lazy as _

from .models import Notification
from .portal import register_card, register_tab

SHOWN = 3


def unread_notifications(request, member):
    unread = list(Notification.objects.filter(user=request.user, read_at__isnull=True)[:SHOWN])
    return {"notifications": unread}


def register():
    register_tab(key="home", order=10, label=_("Home"), url_name="core:home", prefix="/")
    register_tab(key="notifications", order=40, label=_("Notifications"), url_name="core:notifications")
    register_card(key="core.notifications", order=30, template="core/cards/notifications.html",
                  build=unread_notifications)
