from django.urls import path

from insights.views import (
    audit,
    dashboards,
    flags,
    mydata,
    papers,
    public,
    reports,
    runs,
    skills,
    subject_access,
    team,
)

app_name = "insights"

urlpatterns = [
    path("team/", team.team_dashboard, name="team_dashboard"),
    path("my-data/", mydata.my_data, name="my_data"),
    path("people/<int:pk>/subject-access/", subject_access.subject_access, name="subject_access"),
    path("history/<str:model_label>/<int:pk>/", audit.history, name="history"),
    path("services/<int:service_pk>/skills/", skills.skills_heatmap, name="skills_heatmap"),
    path("services/<int:service_pk>/skills/gaps/", skills.skills_gaps, name="skills_gaps"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/now/", runs.run_now, name="run_now"),
    path("flags/", flags.flag_list, name="flag_list"),
    path("flags/<int:pk>/", flags.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/acknowledge/", flags.flag_acknowledge_view, name="flag_acknowledge"),
    path("flags/<int:pk>/dismiss/", flags.flag_dismiss_view, name="flag_dismiss"),
    path("dashboards/organisation/", dashboards.org_overview, name="org_overview"),
    path("dashboards/services/<int:service_pk>/", dashboards.service_dashboard, name="service_dashboard"),
    path("me/", dashboards.my_page, name="my_page"),
    path("reports/quarterly/", reports.quarterly_report, name="quarterly_report"),
    path("reports/quarterly.csv", reports.quarterly_report_csv, name="quarterly_report_csv"),
    path("reports/quarterly.xlsx", reports.quarterly_report_xlsx, name="quarterly_report_xlsx"),
    path("reports/quarterly.docx", papers.quarterly_report_docx, name="quarterly_report_docx"),
    path("reports/quarterly.pdf", papers.quarterly_report_pdf, name="quarterly_report_pdf"),
    path("reports/quarterly/sign-off/", papers.quarter_sign_off_view, name="quarter_sign_off"),
    path("reports/committees/", papers.committee_templates, name="committee_templates"),
    path("reports/committees/<int:pk>/", papers.committee_template_edit, name="committee_template_edit"),
    path(
        "reports/committees/<int:pk>/delete/",
        papers.committee_template_delete_view,
        name="committee_template_delete",
    ),
    path("public/<slug:slug>/", public.public_performance, name="public_performance"),
    path("public/<slug:slug>/services/<int:service_pk>/", public.public_service, name="public_service"),
]
