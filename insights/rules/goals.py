"""Goal flags: ``goal_at_risk`` and ``goal_overdue``.

The rules are pure functions over plain values; :func:`candidates` loads the
organisation's unfinished goals in one query and applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from appraisals.models import Goal, GoalLevel, GoalStatus
from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules.thresholds import (
    GOAL_AT_RISK_BEHIND_POINTS,
    GOAL_AT_RISK_DUE_WITHIN_DAYS,
    GOAL_OVERDUE_HIGH_DAYS,
)
from insights.services.flagging import FlagCandidate

# Goals that are finished (or not yet started) raise nothing.
FINISHED = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
# A proposal is not yet a commitment: it is not "at risk", though it can be overdue.
LIVE = (GoalStatus.AGREED, GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.OFF_TRACK)

AT_RISK_RULE = (
    f"An open goal is at risk when it is off track, or when it is due within "
    f"{GOAL_AT_RISK_DUE_WITHIN_DAYS} days and its progress is more than "
    f"{GOAL_AT_RISK_BEHIND_POINTS} percentage points behind the share of its time "
    f"already gone. High when both hold, or when it is off track with under "
    f"{GOAL_AT_RISK_DUE_WITHIN_DAYS} days to go; otherwise medium."
)
OVERDUE_RULE = (
    f"A goal is overdue when its due date has passed and it is neither achieved nor "
    f"dropped. High once {GOAL_OVERDUE_HIGH_DAYS} days overdue; otherwise medium."
)


def expected_progress(*, start: date, due: date, today: date) -> int:
    """The share of the goal's time already gone, as a percentage (0-100)."""
    span = (due - start).days
    if span <= 0:
        return 100
    gone = (today - start).days
    return max(0, min(100, round(gone * 100 / span)))


@dataclass(frozen=True)
class AtRisk:
    severity: str
    expected: int
    behind: int
    days_left: int
    reasons: tuple[str, ...]


def goal_at_risk(*, status: str, progress: int, start: date, due: date, today: date) -> AtRisk | None:
    """An open goal off track, or due within the window and well behind time."""
    if status not in LIVE or due < today:
        return None  # finished, a draft, or overdue (goal_overdue's case)
    days_left = (due - today).days
    expected = expected_progress(start=start, due=due, today=today)
    behind = expected - progress
    due_soon = days_left <= GOAL_AT_RISK_DUE_WITHIN_DAYS
    well_behind = due_soon and behind > GOAL_AT_RISK_BEHIND_POINTS
    off_track = status == GoalStatus.OFF_TRACK
    if not (well_behind or off_track):
        return None
    reasons = []
    if off_track:
        reasons.append("marked off track")
    if well_behind:
        reasons.append(f"{behind} points behind with {days_left} days to go")
    high = (off_track and well_behind) or (off_track and due_soon)
    return AtRisk(
        severity=FlagSeverity.HIGH if high else FlagSeverity.MEDIUM,
        expected=expected,
        behind=behind,
        days_left=days_left,
        reasons=tuple(reasons),
    )


def goal_overdue(*, status: str, due: date, today: date) -> str | None:
    """The severity when past its due date and not achieved or dropped, else None."""
    if status in FINISHED or due >= today:
        return None
    days = (today - due).days
    return FlagSeverity.HIGH if days >= GOAL_OVERDUE_HIGH_DAYS else FlagSeverity.MEDIUM


def candidates(ctx) -> list[FlagCandidate]:
    """Every unfinished goal that is overdue, off track or due soon: one query."""
    today = ctx.today
    window_end = date.fromordinal(today.toordinal() + GOAL_AT_RISK_DUE_WITHIN_DAYS)
    rows = (
        Goal.objects.filter(organisation=ctx.organisation)
        .exclude(status__in=FINISHED)
        .filter(Q(due_date__lte=window_end) | Q(status=GoalStatus.OFF_TRACK))
        # A person who has left: their objectives are no one's prompt.
        .exclude(level=GoalLevel.INDIVIDUAL, owner__active=False)
        .values(
            "pk",
            "title",
            "level",
            "status",
            "progress",
            "start_date",
            "due_date",
            "service_id",
            "service__name",
            "owner_id",
            "owner__first_name",
            "owner__last_name",
            "owner__service_id",
        )
        .order_by("pk")
    )
    labels = dict(GoalStatus.choices)
    level_labels = dict(GoalLevel.choices)
    out: list[FlagCandidate] = []
    for row in rows:
        individual = row["level"] == GoalLevel.INDIVIDUAL
        owner_name = f"{row['owner__first_name']} {row['owner__last_name']}" if row["owner_id"] else None
        service_id = (
            row["owner__service_id"] if individual and row["owner__service_id"] else row["service_id"]
        )
        whose = f"{owner_name}'s objective" if individual and owner_name else level_labels[row["level"]]
        links = [{"label": "The goal", "url": reverse("appraisals:goal_detail", args=[row["pk"]])}]
        if individual and row["owner_id"]:
            links.append(
                {"label": owner_name, "url": reverse("organisations:person_detail", args=[row["owner_id"]])}
            )
        evidence = {
            "goal": row["title"],
            "level": level_labels[row["level"]],
            "owner": owner_name,
            "service": row["service__name"],
            "status": labels[row["status"]],
            "progress": row["progress"],
            "start_date": row["start_date"].isoformat(),
            "due_date": row["due_date"].isoformat(),
            "today": today.isoformat(),
            "links": links,
        }
        common = {
            "subject_type": SubjectType.GOAL,
            "subject_id": row["pk"],
            "service_id": service_id,
            "employee_id": row["owner_id"] if individual else None,
        }
        severity = goal_overdue(status=row["status"], due=row["due_date"], today=today)
        if severity:
            days = (today - row["due_date"]).days
            out.append(
                FlagCandidate(
                    kind=FlagKind.GOAL_OVERDUE,
                    severity=severity,
                    title=f"{whose} overdue by {days} day{'s' if days != 1 else ''}: {row['title']}",
                    rule=OVERDUE_RULE,
                    evidence={**evidence, "days_overdue": days},
                    **common,
                )
            )
            continue
        risk = goal_at_risk(
            status=row["status"],
            progress=row["progress"],
            start=row["start_date"],
            due=row["due_date"],
            today=today,
        )
        if risk:
            out.append(
                FlagCandidate(
                    kind=FlagKind.GOAL_AT_RISK,
                    severity=risk.severity,
                    title=f"{whose} at risk ({'; '.join(risk.reasons)}): {row['title']}",
                    rule=AT_RISK_RULE,
                    evidence={
                        **evidence,
                        "expected_progress": risk.expected,
                        "points_behind": risk.behind,
                        "days_left": risk.days_left,
                        "reasons": list(risk.reasons),
                    },
                    **common,
                )
            )
    return out
