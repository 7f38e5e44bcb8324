from django.urls import include, path

app_name = "welfare"
urlpatterns = [
    path("", include("welfare.care.urls")),
    path("cases/", include("welfare.hardship.urls")),
]
