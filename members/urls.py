from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("me/birthday/", views.my_birthday_calendar, name="my_birthday_calendar"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("group/", views.my_group, name="my_group"),
    path("<int:pk>/", views.member_detail, name="detail"),
]
