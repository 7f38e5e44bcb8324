from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/nominate/<int:group_pk>/", views.group_nomination, name="group_nomination"),
]
