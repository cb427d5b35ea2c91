from django.urls import path

from organisations.views import (
    benchmarks,
    collection,
    kpi_edits,
    kpi_profiles,
    kpis,
    notifications,
    people_import,
    registrations,
    risks,
    settings,
    settings_roles,
    skills,
    structure,
    training,
)

app_name = "organisations"

urlpatterns = [
    path("organisation/", structure.structure, name="structure"),
    # Waiting for you: the signed-in person's notifications
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notifications.notification_open_view, name="notification_open"),
    path("notifications/read/", notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", notifications.notification_settings, name="notification_settings"),
    path("services/<int:pk>/", structure.service_detail, name="service_detail"),
    path("people/", structure.people, name="people"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
    # People from the HR system
    path("people/imports/", people_import.people_import_history, name="people_import_history"),
    path("people/imports/new/", people_import.people_import, name="people_import"),
    path("people/imports/<int:pk>/", people_import.people_import_detail, name="people_import_detail"),
    path(
        "people/imports/<int:pk>/apply/", people_import.people_import_apply_view, name="people_import_apply"
    ),
    # KPIs
    path("kpis/", kpis.kpi_list, name="kpi_list"),
    path("kpis/new/", kpi_edits.kpi_create, name="kpi_create"),
    path("kpis/import/", kpi_edits.kpi_import, name="kpi_import"),
    path("kpis/export/", kpis.kpi_export, name="kpi_export"),
    # Collecting results: due, overdue, returned, awaiting sign-off, signed off
    path("kpis/collection/", collection.collection_page, name="kpi_collection"),
    path("kpis/results/<int:pk>/return/", collection.result_return_view, name="kpi_result_return"),
    # Benchmarks against other councils: performance officers
    path("kpis/benchmarks/", benchmarks.benchmark_list, name="benchmark_list"),
    path("kpis/benchmarks/import/", benchmarks.benchmark_import, name="benchmark_import"),
    path("kpis/benchmarks/area-code/", benchmarks.benchmark_area_code, name="benchmark_area_code"),
    path("kpis/services/<int:service_pk>/", kpis.kpi_scorecard_view, name="kpi_scorecard"),
    path("kpis/<int:pk>/", kpis.kpi_detail, name="kpi_detail"),
    path("kpis/<int:pk>/edit/", kpi_edits.kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/results/", kpi_edits.kpi_result_record, name="kpi_result_record"),
    path("kpis/<int:pk>/targets/", kpi_edits.kpi_targets, name="kpi_targets"),
    path(
        "kpis/<int:pk>/targets/<int:year>/profile/",
        kpi_profiles.kpi_target_profile,
        name="kpi_target_profile",
    ),
    # Skills framework
    path("skills/", skills.skills_framework, name="skills_framework"),
    path("skills/new/", skills.skill_create_view, name="skill_create"),
    path("skills/<int:pk>/edit/", skills.skill_edit_view, name="skill_edit"),
    path("roles/<int:pk>/", skills.role_profile, name="role_profile"),
    path("roles/<int:role_pk>/requirements/", skills.role_requirements, name="role_requirements"),
    path("roles/<int:pk>/interim-day-rate/", skills.role_day_rate, name="role_day_rate"),
    # Professional registration and mandatory training
    path(
        "people/<int:person_pk>/registrations/new/", registrations.registration_add, name="registration_add"
    ),
    path("registrations/<int:pk>/edit/", registrations.registration_edit, name="registration_edit"),
    path("people/<int:person_pk>/training/new/", registrations.training_add, name="training_add"),
    path("training/<int:pk>/edit/", registrations.training_edit, name="training_edit"),
    path("training/courses/", training.course_list, name="course_list"),
    path("training/courses/new/", training.course_create, name="course_create"),
    path("training/courses/<int:pk>/edit/", training.course_edit, name="course_edit"),
    path("training/import/", training.training_import_view, name="training_import"),
    path("roles/<int:role_pk>/registration-and-training/", training.role_compliance, name="role_compliance"),
    # Risk register
    path("risks/", risks.risk_register, name="risk_register"),
    path("risks/matrix/", risks.risk_matrix_view, name="risk_matrix"),
    path("risks/new/", risks.risk_create_view, name="risk_create"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/actions/new/", risks.risk_action_add_view, name="risk_action_add"),
    path("risks/actions/<int:pk>/done/", risks.risk_action_done_view, name="risk_action_done"),
    # Settings: organisation administrators only
    path("settings/", settings.settings_home, name="settings"),
    path("settings/year/", settings.settings_year, name="settings_year"),
    path("settings/supervision/", settings.settings_cadence, name="settings_cadence"),
    path("settings/supervision/families/<int:pk>/", settings.settings_family, name="settings_family"),
    path(
        "settings/supervision/families/<int:pk>/delete/",
        settings.settings_family_delete,
        name="settings_family_delete",
    ),
    path("settings/retention/", settings.settings_retention, name="settings_retention"),
    path("settings/public-page/", settings.settings_public, name="settings_public"),
    path("settings/sign-in/", settings.settings_sign_in, name="settings_sign_in"),
    path("settings/feedback/", settings.settings_feedback, name="settings_feedback"),
    path("settings/results/", settings.settings_results, name="settings_results"),
    path("settings/roles/", settings_roles.settings_roles, name="settings_roles"),
]
