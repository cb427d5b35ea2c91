"""Records held about one person, as My data and the complete subject access export select them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q, QuerySet

from appraisals.models import (
    Action,
    FeedbackResponse,
    FeedbackSession,
    GoalCheckIn,
    SessionState,
    SkillRating,
)
from core import glossary
from insights.models import SkillGap
from insights.selectors.audit import changes
from organisations.models import Employee

# How the skills gaps are computed, said wherever they are given to a person
# (profiling: UK GDPR articles 13-15 and 22).
SKILL_GAP_METHOD = (
    "Computed, not written by a person: each night the skills job compares the levels your job "
    "role requires with your current level for each skill (your latest manager rating, else your "
    "latest self-assessment, else 0). A skill below the required level is a gap. The recommendation "
    "for your own gap is always 'develop', with the development planned for you and when it ends; "
    "interim cover and recruitment are weighed for your service as a whole (time to competence, the "
    "cost of development against interim cover, whether the skill is statutory or essential), never "
    "for you. It is a prompt for a conversation with your manager, never a decision about you."
)

SESSION_TEXT_FIELDS = (
    "discussion",
    "achievements",
    "development_areas",
    "wellbeing",
    "overall_assessment",
    "employee_comment",
    "change_reason",
)


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates in ISO form, decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def long_when(d: date | datetime | None) -> str:
    """1 October 2026, or 1 October 2026, 09:30 (local time) for a moment: the glossary's formats."""
    if d is None:
        return "an unknown date"
    if isinstance(d, datetime):
        return glossary.date_time(d)
    return glossary.long_date(d)


def name_of(employee: Employee | None, fallback: str = "someone no longer recorded") -> str:
    """Who wrote something, when the record of them may have gone."""
    return employee.full_name if employee else fallback


def sessions_about(employee: Employee, *, complete: bool) -> QuerySet[FeedbackSession]:
    qs = FeedbackSession.objects.filter(employee=employee).select_related("manager")
    return qs if complete else qs.exclude(state=SessionState.DRAFT)


def actions_about(employee: Employee, *, complete: bool) -> QuerySet[Action]:
    """Actions of the person's sessions (whoever owns them) and actions they own."""
    qs = Action.objects.filter(Q(session__employee=employee) | Q(owner=employee)).select_related(
        "session__manager", "owner"
    )
    return qs if complete else qs.exclude(session__state=SessionState.DRAFT)


def check_ins_about(employee: Employee, *, complete: bool) -> QuerySet[GoalCheckIn]:
    qs = GoalCheckIn.objects.filter(goal__owner=employee).select_related("goal", "author", "session")
    return qs if complete else qs.exclude(session__state=SessionState.DRAFT)


def ratings_about(employee: Employee, *, complete: bool) -> QuerySet[SkillRating]:
    qs = SkillRating.objects.filter(employee=employee).select_related("skill", "rated_by", "session")
    return qs if complete else qs.exclude(session__state=SessionState.DRAFT)


def skill_gaps_of(employee: Employee) -> QuerySet[SkillGap]:
    return SkillGap.objects.filter(employee=employee).select_related("skill").order_by("skill__name")


def sign_in_records(employee: Employee) -> dict[str, list[dict[str, Any]]]:
    """django-axes keeps each sign-in (AccessLog) and failed ones (AccessAttempt,
    AccessFailureLog) by username; the passwords typed are never kept."""
    if employee.user is None:
        return {"sign_ins": [], "failed_sign_in_attempts": [], "failed_sign_ins": []}
    username = employee.user.get_username()
    return {
        "sign_ins": [
            {k: plain(v) for k, v in row.items()}
            for row in AccessLog.objects.filter(username=username)
            .order_by("-attempt_time")
            .values("id", "attempt_time", "logout_time", "ip_address", "user_agent")
        ],
        "failed_sign_in_attempts": [
            {k: plain(v) for k, v in row.items()}
            for row in AccessAttempt.objects.filter(username=username)
            .order_by("-attempt_time")
            .values("id", "attempt_time", "ip_address", "user_agent", "failures_since_start")
        ],
        "failed_sign_ins": [
            {k: plain(v) for k, v in row.items()}
            for row in AccessFailureLog.objects.filter(username=username)
            .order_by("-attempt_time")
            .values("id", "attempt_time", "ip_address", "user_agent", "locked_out")
        ],
    }


def record_history(employee: Employee) -> list[dict[str, Any]]:
    """Who changed the person's own employee record, what and when."""
    return [
        {
            "when": plain(c.when),
            "who": c.who,
            "what": c.kind,
            "reason": c.reason,
            "fields": [{"field": f, "from": old, "to": new} for f, old, new in c.fields],
        }
        for c in changes(employee)
    ]


def feedback_released_to(employee: Employee) -> QuerySet[FeedbackResponse]:
    """Feedback from colleagues released to the person, shown to them named or as
    from "A colleague" (``FeedbackResponse.from_words``). What their manager has
    not released is not theirs to read yet, for My data and the complete export
    alike."""
    return (
        FeedbackResponse.objects.filter(request__subject=employee, released_at__isnull=False)
        .select_related("request", "released_by")
        .order_by("released_at", "pk")
    )
