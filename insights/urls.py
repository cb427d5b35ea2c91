from django.urls import path

from .views import team

app_name = "insights"

urlpatterns: list = [
    path("team/", team.team_dashboard, name="team_dashboard"),
]
