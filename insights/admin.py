from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from insights.models import Flag, Run, SkillGap


@admin.register(Flag)
class FlagAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "severity", "opened_at", "resolved_at", "organisation"]
    list_filter = ["organisation", "kind", "severity"]
    search_fields = ["title", "key"]
    raw_id_fields = ["service", "employee", "acknowledged_by", "dismissed_by"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["organisation", "trigger", "status", "started_at", "finished_at"]
    list_filter = ["organisation", "status"]


@admin.register(SkillGap)
class SkillGapAdmin(admin.ModelAdmin):
    list_display = ["skill", "service", "employee", "required_level", "current_level", "recommendation"]
    list_filter = ["organisation", "recommendation"]
    raw_id_fields = ["service", "employee", "skill"]
