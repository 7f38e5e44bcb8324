from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("group/", views.my_group, name="my_group"),
    path("<int:pk>/", views.member_detail, name="detail"),
]
