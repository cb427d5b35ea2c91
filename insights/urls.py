from django.urls import path

from .views import dashboards, public, reports

app_name = "insights"

urlpatterns: list = [
    path("dashboards/organisation/", dashboards.org_overview, name="org_overview"),
    path("dashboards/services/<int:service_pk>/", dashboards.service_dashboard, name="service_dashboard"),
    path("me/", dashboards.my_page, name="my_page"),
    path("reports/quarterly/", reports.quarterly_report, name="quarterly_report"),
    path("reports/quarterly.csv", reports.quarterly_report_csv, name="quarterly_report_csv"),
    path("reports/quarterly.xlsx", reports.quarterly_report_xlsx, name="quarterly_report_xlsx"),
    path("public/<slug:slug>/", public.public_performance, name="public_performance"),
]
