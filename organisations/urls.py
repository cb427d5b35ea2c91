from django.urls import path

from .views import skills, structure

app_name = "organisations"

urlpatterns = [
    path("organisation/", structure.structure, name="structure"),
    path("services/<int:pk>/", structure.service_detail, name="service_detail"),
    path("people/", structure.people, name="people"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
    path("skills/", skills.skills_framework, name="skills_framework"),
    path("skills/new/", skills.skill_create_view, name="skill_create"),
    path("skills/<int:pk>/edit/", skills.skill_edit_view, name="skill_edit"),
    path("roles/<int:pk>/", skills.role_profile, name="role_profile"),
    path("roles/<int:role_pk>/requirements/", skills.role_requirements, name="role_requirements"),
]
