from django.urls import path

from . import views

# The portal's front page (core:home) links to every app, so it is added by unionportal/urls.py.
app_name = "core"
urlpatterns = [
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("notifications/", views.notifications, name="notifications"),
]
