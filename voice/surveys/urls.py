from django.urls import path

from . import views

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("<int:pk>/", views.survey_answer, name="survey_answer"),
    path("<int:pk>/results/", views.survey_results, name="survey_results"),
    path("<int:pk>/results.xlsx", views.survey_export, name="survey_export"),
]
