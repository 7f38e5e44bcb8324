from django.urls import path

from . import views

urlpatterns = [
    path("", views.care_home, name="care_home"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/withdraw/", views.visit_withdraw, name="visit_withdraw"),
    path("members/<int:pk>/", views.member_history, name="member_history"),
    path("mine/", views.my_care, name="my_care"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("distributions/", views.distribution_list, name="distribution_list"),
    path("distributions/new/", views.distribution_new, name="distribution_new"),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution_detail"),
    path("distributions/<int:pk>/sheet/", views.distribution_sheet, name="distribution_sheet"),
    path("distributions/<int:pk>/sheet/<int:job_id>/", views.distribution_sheet_job,
         name="distribution_sheet_job"),
]
