from django.urls import path

from .views import skills

app_name = "appraisals"

urlpatterns: list = [
    path("my/skills/", skills.my_skills, name="my_skills"),
]
