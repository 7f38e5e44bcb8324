from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("activate/", views.activate, name="activate"),
    path("activate/<str:code>/", views.activate, name="activate_code"),
]
