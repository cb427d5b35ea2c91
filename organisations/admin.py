from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organisations.models import Employee, JobRole, Organisation, Service


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "financial_year_start_month",
        "default_feedback_interval_days",
        "exception_rule",
    ]
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


from organisations.models import KPI, KPIResult, KPITarget, Risk, RiskAction, Skill, SkillRequirement  # noqa: E402


@admin.register(KPI)
class KPIAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "service", "unit", "polarity", "frequency", "active", "published"]
    list_filter = ["organisation", "frequency", "polarity", "active", "published"]
    search_fields = ["code", "name"]
    raw_id_fields = ["service", "owner"]


@admin.register(KPITarget)
class KPITargetAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "financial_year", "target", "tolerance_kind", "green_tolerance", "amber_tolerance"]
    raw_id_fields = ["kpi"]


@admin.register(KPIResult)
class KPIResultAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "period_end", "value", "status"]
    list_filter = ["status"]
    raw_id_fields = ["kpi", "entered_by"]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "service", "residual_score", "review_due", "is_open"]
    list_filter = ["organisation", "category", "is_open"]
    search_fields = ["title"]
    raw_id_fields = ["service", "owner"]


@admin.register(RiskAction)
class RiskActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "risk", "due", "done"]
    raw_id_fields = ["risk", "owner"]


@admin.register(Skill)
class SkillAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "organisation"]
    list_filter = ["organisation", "category"]
    search_fields = ["name"]


@admin.register(SkillRequirement)
class SkillRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["job_role", "skill", "required_level", "essential"]
    raw_id_fields = ["job_role", "skill"]
