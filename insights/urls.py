from django.urls import path

from .views import audit, flags, mydata, runs, skills, team

app_name = "insights"

urlpatterns = [
    path("team/", team.team_dashboard, name="team_dashboard"),
    path("my-data/", mydata.my_data, name="my_data"),
    path("history/<str:model_label>/<int:pk>/", audit.history, name="history"),
    path("services/<int:service_pk>/skills/", skills.skills_heatmap, name="skills_heatmap"),
    path("services/<int:service_pk>/skills/gaps/", skills.skills_gaps, name="skills_gaps"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/now/", runs.run_now, name="run_now"),
    path("flags/", flags.flag_list, name="flag_list"),
    path("flags/<int:pk>/", flags.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/acknowledge/", flags.flag_acknowledge_view, name="flag_acknowledge"),
    path("flags/<int:pk>/dismiss/", flags.flag_dismiss_view, name="flag_dismiss"),
]
