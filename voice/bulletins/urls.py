from django.urls import path

from . import views

urlpatterns = [
    path("", views.bulletin_list, name="bulletins"),
    path("<int:pk>/pdf/", views.bulletin_file, name="bulletin_pdf"),
]
