from django.urls import path

from .views import runs, skills

app_name = "insights"

urlpatterns: list = [
    path("services/<int:service_pk>/skills/", skills.skills_heatmap, name="skills_heatmap"),
    path("services/<int:service_pk>/skills/gaps/", skills.skills_gaps, name="skills_gaps"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/now/", runs.run_now, name="run_now"),
]
