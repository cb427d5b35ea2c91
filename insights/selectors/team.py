"""The team dashboard's rows: each direct report with their supervision cadence,
goals, skills gaps and open actions, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from appraisals.models import Action, FeedbackSession, Goal, GoalStatus, SessionState
from appraisals.selectors.supervision import Cadence, cadence_for
from insights.models import SkillGap
from organisations.access import Viewer
from organisations.models import Employee

AT_RISK_STATUSES = (GoalStatus.AT_RISK, GoalStatus.OFF_TRACK)


@dataclass
class TeamRow:
    employee: Employee
    cadence: Cadence
    goals_on_track: int = 0
    goals_at_risk: int = 0
    gaps: list[str] = field(default_factory=list)  # skill names, biggest gap first
    gap_count: int = 0
    open_actions: int = 0


def team_rows(viewer: Viewer, *, today: date) -> list[TeamRow]:
    """Direct reports (active), in six queries whatever the team size:
    reports, last sessions, goal counts, skills gaps, open action counts (and the
    sessions subquery inside cadence)."""
    reports = (
        viewer.employee.direct_reports.filter(active=True)
        .select_related("job_role")
        .order_by("last_name", "first_name", "pk")
    )
    cadences = cadence_for(reports, viewer.organisation, today)
    rows = {pk: TeamRow(employee=c.employee, cadence=c) for pk, c in cadences.items()}
    if not rows:
        return []
    ids = list(rows)
    goal_counts = (
        Goal.objects.filter(owner_id__in=ids)
        .values("owner_id")
        .annotate(
            on_track=Count("pk", filter=Q(status=GoalStatus.ON_TRACK)),
            at_risk=Count("pk", filter=Q(status__in=AT_RISK_STATUSES)),
        )
    )
    for g in goal_counts:
        rows[g["owner_id"]].goals_on_track = g["on_track"]
        rows[g["owner_id"]].goals_at_risk = g["at_risk"]
    gaps = (
        SkillGap.objects.filter(organisation=viewer.organisation, employee_id__in=ids, gap__gt=0)
        .order_by("employee_id", "-gap", "skill__name")
        .values_list("employee_id", "skill__name")
    )
    for employee_id, skill_name in gaps:
        rows[employee_id].gaps.append(skill_name)
        rows[employee_id].gap_count += 1
    action_counts = (
        Action.objects.open()
        .filter(session__employee_id__in=ids)
        .values("session__employee_id")
        .annotate(n=Count("pk"))
    )
    for a in action_counts:
        rows[a["session__employee_id"]].open_actions = a["n"]
    return list(rows.values())


def drafts_to_finish(viewer: Viewer):
    """Sessions this manager logged as drafts and has not shared yet."""
    return (
        FeedbackSession.objects.filter(manager=viewer.employee, state=SessionState.DRAFT)
        .select_related("employee")
        .order_by("held_on", "pk")
    )
