from django.urls import path

from . import views

urlpatterns = [
    path("", views.tracker_mine, name="tracker"),
    path("new/", views.tracker_new, name="tracker_new"),
    path("follow/", views.tracker_follow, name="tracker_follow"),
    path("manage/", views.tracker_manage, name="tracker_manage"),
    path("manage/record/", views.tracker_record, name="tracker_record"),
    path("manage/items.xlsx", views.tracker_export, name="tracker_export"),
    path("proposals/", views.tracker_proposals, name="tracker_proposals"),
    path("proposals/<int:year>/pdf/", views.tracker_proposals_pdf, name="tracker_proposals_pdf"),
    path("<int:pk>/", views.tracker_item, name="tracker_item"),
    path("<int:pk>/step/<slug:step>/", views.tracker_step, name="tracker_step"),
    path("<int:pk>/files/<int:attachment_pk>/", views.tracker_attachment, name="tracker_attachment"),
]
