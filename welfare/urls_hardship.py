"""Hardship case URLs, mounted at /welfare/cases/ (namespace "welfare", names prefixed "hardship_")."""

from django.urls import path

from . import hardship_views as cases
from . import hardship_views_aid as aid

urlpatterns = [
    path("", cases.case_list, name="hardship_list"),
    path("new/", cases.case_create, name="hardship_create"),
    path("<int:pk>/", cases.case_detail, name="hardship_detail"),
    path("<int:pk>/step/<slug:step>/", cases.case_step, name="hardship_step"),
    path("<int:pk>/objections/<int:objection_pk>/resolve/", cases.objection_resolve, name="hardship_resolve"),
    path("<int:pk>/attachments/", cases.attachment_upload, name="hardship_attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", cases.attachment_download, name="hardship_attachment"),
    path("<int:pk>/payments/new/", aid.payment_create, name="hardship_payment_create"),
    path("notices/", aid.notice_list, name="hardship_notices"),
    path("notices/print/", aid.notice_pdf, name="hardship_notice_pdf"),
    path("notices/<int:pk>/object/", aid.notice_object, name="hardship_notice_object"),
    path("warmth/", aid.warmth, name="hardship_warmth"),
    path("medical/", aid.medical_plans, name="hardship_medical_plans"),
    path("medical/<int:plan_pk>/", aid.medical_plan, name="hardship_medical_plan"),
    path("medical/<int:plan_pk>/enrol-all/", aid.medical_enrol_all, name="hardship_medical_enrol_all"),
    path("medical/<int:plan_pk>/export/", aid.medical_export, name="hardship_medical_export"),
]
