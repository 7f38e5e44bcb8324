from django.urls import include, path

app_name = "voice"
urlpatterns = [
    path("notices/", include("voice.notices.urls")),
    path("surveys/", include("voice.surveys.urls")),
    path("tracker/", include("voice.tracker.urls")),
    path("bulletins/", include("voice.bulletins.urls")),
]
