from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from appraisals.models import (
    Action,
    AgendaTopic,
    AppraisalCycle,
    FeedbackRequest,
    FeedbackSession,
    Goal,
    GoalCheckIn,
    SkillRating,
)


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "level", "owner", "status", "progress", "due_date", "organisation"]
    list_filter = ["organisation", "level", "status"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "parent", "kpi", "service", "created_by", "agreed_by"]


@admin.register(GoalCheckIn)
class GoalCheckInAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "date", "progress", "status"]
    raw_id_fields = ["goal", "author", "session"]


@admin.register(FeedbackSession)
class FeedbackSessionAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "manager", "held_on", "kind", "state", "organisation"]
    list_filter = ["organisation", "kind", "state"]
    search_fields = ["employee__last_name", "employee__first_name"]
    raw_id_fields = ["employee", "manager"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_on", "done_on"]
    raw_id_fields = ["session", "owner", "carried_over_from"]


@admin.register(AppraisalCycle)
class AppraisalCycleAdmin(admin.ModelAdmin):
    list_display = ["organisation", "financial_year", "mid_year_opens", "year_end_closes"]
    list_filter = ["organisation"]


@admin.register(SkillRating)
class SkillRatingAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "skill", "level", "source", "rated_on"]
    list_filter = ["source"]
    raw_id_fields = ["employee", "skill", "rated_by", "session"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(admin.ModelAdmin):
    """Read-only, and never the answers: what colleagues wrote is for the person's
    line manager and, once released, the person (appraisals.models.peer_feedback).
    ``FeedbackResponse`` is not registered at all."""

    list_display = ["subject", "requested_by", "requested_at", "organisation"]
    list_filter = ["organisation"]
    fields = ["organisation", "subject", "requested_by", "requested_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgendaTopic)
class AgendaTopicAdmin(SimpleHistoryAdmin):
    list_display = ["text", "employee", "added_by", "added_at", "discussed_in"]
    raw_id_fields = ["employee", "added_by", "discussed_in", "last_carried_in"]
