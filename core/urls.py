from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("notifications/", views.notifications, name="notifications"),
]
