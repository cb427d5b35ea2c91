from django.urls import path

from .views import kpis, skills, structure

app_name = "organisations"

urlpatterns = [
    path("organisation/", structure.structure, name="structure"),
    path("services/<int:pk>/", structure.service_detail, name="service_detail"),
    path("people/", structure.people, name="people"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
    path("kpis/", kpis.kpi_list, name="kpi_list"),
    path("kpis/new/", kpis.kpi_create, name="kpi_create"),
    path("kpis/import/", kpis.kpi_import, name="kpi_import"),
    path("kpis/export/", kpis.kpi_export, name="kpi_export"),
    path("kpis/services/<int:service_pk>/", kpis.kpi_scorecard_view, name="kpi_scorecard"),
    path("kpis/<int:pk>/", kpis.kpi_detail, name="kpi_detail"),
    path("kpis/<int:pk>/edit/", kpis.kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/results/", kpis.kpi_result_record, name="kpi_result_record"),
    path("kpis/<int:pk>/targets/", kpis.kpi_targets, name="kpi_targets"),
    path("skills/", skills.skills_framework, name="skills_framework"),
    path("skills/new/", skills.skill_create_view, name="skill_create"),
    path("skills/<int:pk>/edit/", skills.skill_edit_view, name="skill_edit"),
    path("roles/<int:pk>/", skills.role_profile, name="role_profile"),
    path("roles/<int:role_pk>/requirements/", skills.role_requirements, name="role_requirements"),
]
