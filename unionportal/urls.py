from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import urls as core_urls
from core import views as core_views

from . import views

# The admin's own login form would skip two-factor login and the failed-login limit: send it to allauth's.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Union portal administration")
admin.site.site_title = _("Union portal")
admin.site.index_title = _("Union work console")

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the committed icon.
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("activities/", include("activities.urls")),
    path("welfare/", include("welfare.urls")),
    path("voice/", include("voice.urls")),
    path("elections/", include("elections.urls")),
    path("finance/", include("finance.urls")),
    # core's pages (jobs, notifications) and the front page, all named core:…
    path("", include(([path("", views.home, name="home"), *core_urls.urlpatterns], core_urls.app_name))),
]
# MEDIA_ROOT is never served as a folder, in any mode: uploads (payroll lists with full ID numbers) and generated
# documents are handed out only by the permission-checked views of their jobs.

if settings.BENCH_VIEWS:
    # Imported only when on: a portal without the setting has no such module on its URL map at all.
    from benchmarks import floor

    urlpatterns += floor.urlpatterns
