from django.urls import include, path

app_name = "finance"
urlpatterns = [
    path("", include("finance.urls_books")),
    path("dues/", include("finance.urls_dues")),
    path("reports/", include("finance.urls_reports")),
]
