"""The console's admin site: Django's own admin, its sidebar and home grouped by task (core.admin_nav), and the
workbench (core.workbench) as its home page.

Installed in place of ``django.contrib.admin`` (settings: ``core.admin_site.UnionAdminConfig``), so
``admin.site`` is this site and every ``@admin.register`` keeps working unchanged.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils import timezone

from . import admin_nav, workbench


class UnionAdminSite(AdminSite):
    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:  # an app's own index page (/admin/<app>/) stays as Django builds it
            return app_list
        return admin_nav.grouped(app_list)

    def index(self, request, extra_context=None):
        today = timezone.localdate()
        context = {
            "tasks": workbench.tasks_for(request.user, today=today),
            "charts": workbench.charts_for(request.user, year=today.year, today=today),
            "year": today.year,
            **(extra_context or {}),
        }
        return super().index(request, extra_context=context)


class UnionAdminConfig(AdminConfig):
    default_site = "core.admin_site.UnionAdminSite"
