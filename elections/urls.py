from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("<int:pk>/vote/", views.vote, name="vote"),
]
