from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Employee, JobRole, Organisation, Service


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "financial_year_start_month", "default_feedback_interval_days"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "head", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "head"]


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    list_display = ["title", "grade", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["title"]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "service",
        "job_role",
        "employment_type",
        "end_date",
        "active",
        "organisation",
    ]
    list_filter = ["organisation", "employment_type", "active", "is_performance_officer"]
    search_fields = ["first_name", "last_name", "email", "user__username"]
    raw_id_fields = ["user", "service", "job_role", "line_manager"]
