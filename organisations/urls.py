from django.urls import path

from .views import kpi_edits, kpis, structure

app_name = "organisations"

urlpatterns = [
    path("organisation/", structure.structure, name="structure"),
    path("services/<int:pk>/", structure.service_detail, name="service_detail"),
    path("people/", structure.people, name="people"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
    path("kpis/", kpis.kpi_list, name="kpi_list"),
    path("kpis/new/", kpi_edits.kpi_create, name="kpi_create"),
    path("kpis/import/", kpi_edits.kpi_import, name="kpi_import"),
    path("kpis/export/", kpis.kpi_export, name="kpi_export"),
    path("kpis/services/<int:service_pk>/", kpis.kpi_scorecard_view, name="kpi_scorecard"),
    path("kpis/<int:pk>/", kpis.kpi_detail, name="kpi_detail"),
    path("kpis/<int:pk>/edit/", kpi_edits.kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/results/", kpi_edits.kpi_result_record, name="kpi_result_record"),
    path("kpis/<int:pk>/targets/", kpi_edits.kpi_targets, name="kpi_targets"),
]
