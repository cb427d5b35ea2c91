from django.urls import path

from .views import audit, mydata, team

app_name = "insights"

urlpatterns = [
    path("team/", team.team_dashboard, name="team_dashboard"),
    path("my-data/", mydata.my_data, name="my_data"),
    path("history/<str:model_label>/<int:pk>/", audit.history, name="history"),
]
