from django.urls import include, path

app_name = "welfare"
urlpatterns = [
    path("", include("welfare.urls_care")),
    path("cases/", include("welfare.hardship.urls")),
]
