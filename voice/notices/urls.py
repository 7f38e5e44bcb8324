from django.urls import path

from . import views

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("figures/", views.notice_figures, name="notice_figures"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/unread/", views.notice_unread, name="notice_unread"),
    path("<int:pk>/files/<int:attachment_pk>/", views.notice_attachment, name="notice_attachment"),
]
