"""Hardship case URLs, mounted at /welfare/cases/ (namespace "welfare", names prefixed "hardship_")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="hardship_list"),
    path("new/", views.case_create, name="hardship_create"),
    path("<int:pk>/", views.case_detail, name="hardship_detail"),
    path("<int:pk>/step/<slug:step>/", views.case_step, name="hardship_step"),
    path("<int:pk>/objections/<int:objection_pk>/resolve/", views.objection_resolve, name="hardship_resolve"),
    path("<int:pk>/attachments/", views.attachment_upload, name="hardship_attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="hardship_attachment"),
    path("<int:pk>/payments/new/", views.payment_create, name="hardship_payment_create"),
    path("notices/", views.notice_list, name="hardship_notices"),
    path("notices/print/", views.notice_pdf, name="hardship_notice_pdf"),
    path("notices/<int:pk>/object/", views.notice_object, name="hardship_notice_object"),
    path("warmth/", views.warmth, name="hardship_warmth"),
    path("medical/", views.medical_plans, name="hardship_medical_plans"),
    path("medical/<int:plan_pk>/", views.medical_plan, name="hardship_medical_plan"),
    path("medical/<int:plan_pk>/enrol-all/", views.medical_enrol_all, name="hardship_medical_enrol_all"),
    path("medical/<int:plan_pk>/export/", views.medical_export, name="hardship_medical_export"),
]
