from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="dues"),
    path("me/", views.my_dues, name="my_dues"),
    path("import/", views.import_upload, name="dues_import"),
    path("import/template.xlsx", views.import_template, name="dues_import_template"),
    path("import/<int:pk>/", views.import_job, name="dues_import_job"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="dues_import_confirm"),
    path("arrears/", views.arrears, name="dues_arrears"),
    path("member/<int:pk>/", views.member_history, name="dues_member"),
    path("member/<int:pk>/pay/", views.member_payment, name="dues_member_pay"),
]
