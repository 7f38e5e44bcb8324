"""Activities URLs. Each area keeps its routes next to its views; this file only joins them."""

from . import views_checkin, views_member, views_plan

app_name = "activities"
urlpatterns = [*views_member.urlpatterns, *views_checkin.urlpatterns, *views_plan.urlpatterns]
