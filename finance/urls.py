from django.urls import include, path

app_name = "finance"
urlpatterns = [
    path("", include("finance.books.urls")),
    path("dues/", include("finance.dues.urls")),
    path("reports/", include("finance.reports.urls")),
]
