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
from insights.models.flags import SEVERITY_RANK
from insights.rules.thresholds import (
    GOAL_AT_RISK_BEHIND_POINTS,
    GOAL_AT_RISK_DUE_WITHIN_DAYS,
    GOAL_OVERDUE_GRACE_DAYS,
    GOAL_OVERDUE_HIGH_DAYS,
)
from insights.services.flag_owners import Owners
from insights.services.flagging import FlagCandidate

# Goals that are finished (or not yet started) raise nothing.
FINISHED = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
# A proposal is not yet a commitment: it is not "at risk", though it can be overdue.
LIVE = (GoalStatus.AGREED, GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.OFF_TRACK)

AT_RISK_RULE = (
    f"An open goal is at risk when it is due within {GOAL_AT_RISK_DUE_WITHIN_DAYS} days, marked "
    f"off track, and more than {GOAL_AT_RISK_BEHIND_POINTS} percentage points behind the share of "
    f"its time already gone. High. (A goal only behind, or only marked off track, shows on the "
    f"team page and the person's goals, not as a flag: nearly every team has one.)"
)
OVERDUE_RULE = (
    f"A goal is overdue when its due date has passed by more than {GOAL_OVERDUE_GRACE_DAYS} days "
    f"and it is neither achieved nor dropped (a goal a few days late is closed at the next "
    f"check-in; its page says it is overdue). High once {GOAL_OVERDUE_HIGH_DAYS} days overdue; "
    f"otherwise medium."
)
TEAM_RULE = (
    "One flag per line manager for their people's objectives: overdue ones if any (with those "
    "at risk listed beside them), otherwise those at risk. Its severity is the highest of its "
    "objectives'. "
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
    if not (well_behind and off_track):
        return None
    reasons = ("marked off track", f"{behind} points behind with {days_left} days to go")
    return AtRisk(
        severity=FlagSeverity.HIGH,
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
    if days <= GOAL_OVERDUE_GRACE_DAYS:
        return None
    return FlagSeverity.HIGH if days >= GOAL_OVERDUE_HIGH_DAYS else FlagSeverity.MEDIUM


def candidates(ctx) -> list[FlagCandidate]:
    """Every unfinished goal that is overdue, off track or due soon: one query."""
    today = ctx.today
    window_end = date.fromordinal(today.toordinal() + GOAL_AT_RISK_DUE_WITHIN_DAYS)
    goals = Goal.objects.filter(organisation=ctx.organisation)
    if ctx.slice is not None and not (ctx.slice.services or ctx.slice.managers or ctx.slice.scope.goals):
        return []
    if ctx.slice is not None:
        # The slice's managers' people's objectives, and the other goals of its services.
        goals = goals.filter(
            Q(owner_id__in=ctx.slice.goal_owners, level=GoalLevel.INDIVIDUAL)
            | (
                (Q(service_id__in=ctx.slice.services) | Q(pk__in=ctx.slice.scope.goals))
                & ~Q(level=GoalLevel.INDIVIDUAL, owner__isnull=False)
            )
        )
    rows = (
        goals.exclude(status__in=FINISHED)
        .filter(due_date__lte=window_end)
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
    # Individual objectives, by the line manager who acts on them.
    owners = Owners.of(ctx)
    by_manager: dict[int | None, list[tuple]] = {}
    for row in rows:
        individual = row["level"] == GoalLevel.INDIVIDUAL
        owner_name = f"{row['owner__first_name']} {row['owner__last_name']}" if row["owner_id"] else None
        service_id = (
            row["owner__service_id"] if individual and row["owner__service_id"] else row["service_id"]
        )
        whose = f"{owner_name}'s objective" if individual and owner_name else level_labels[row["level"]]
        evidence = {
            "goal": row["title"],
            "level": level_labels[row["level"]],
            "owner": owner_name,
            "service": row["service__name"],
            "status": labels[row["status"]],
            "progress": row["progress"],
            "start_date": row["start_date"].isoformat(),
            "due_date": row["due_date"].isoformat(),
            "url": reverse("appraisals:goal_detail", args=[row["pk"]]),
        }
        found = _judge(row, today)
        if found is None:
            continue
        kind, severity, reason, extra = found
        if individual and row["owner_id"]:
            manager_id = owners.manager_of(row["owner_id"])
            by_manager.setdefault(manager_id, []).append(
                (kind, severity, row["title"], reason, {**evidence, **extra}, row["owner_id"])
            )
            continue
        links = [{"label": "The goal", "url": evidence.pop("url")}]
        out.append(
            FlagCandidate(
                kind=kind,
                severity=severity,
                title=f"{whose} {reason}: {row['title']}",
                rule=OVERDUE_RULE if kind == FlagKind.GOAL_OVERDUE else AT_RISK_RULE,
                evidence={**evidence, **extra, "today": today.isoformat(), "links": links},
                subject_type=SubjectType.GOAL,
                subject_id=row["pk"],
                service_id=service_id,
            )
        )
    for manager_id, goals in by_manager.items():
        if manager_id is None:
            continue  # the person at the top: no one above them in the product to act
        out.append(team_candidate(owners, manager_id, goals, today))
    return out


def _judge(row, today: date) -> tuple[str, str, str, dict] | None:
    """(kind, severity, reason in words, evidence) for one goal, or None."""
    severity = goal_overdue(status=row["status"], due=row["due_date"], today=today)
    if severity:
        days = (today - row["due_date"]).days
        return FlagKind.GOAL_OVERDUE, severity, f"overdue by {days} days", {"days_overdue": days}
    risk = goal_at_risk(
        status=row["status"],
        progress=row["progress"],
        start=row["start_date"],
        due=row["due_date"],
        today=today,
    )
    if risk is None:
        return None
    extra = {"expected_progress": risk.expected, "points_behind": risk.behind, "days_left": risk.days_left}
    return FlagKind.GOAL_AT_RISK, risk.severity, f"at risk ({'; '.join(risk.reasons)})", extra


def team_candidate(owners, manager_id: int, goals: list[tuple], today: date) -> FlagCandidate:
    """The objectives of one manager's people needing attention, as one flag for
    that manager: overdue ones if any (with those at risk beside them), else those
    at risk. Severity: the highest of its objectives'."""
    overdue = [g for g in goals if g[0] == FlagKind.GOAL_OVERDUE]
    at_risk = [g for g in goals if g[0] == FlagKind.GOAL_AT_RISK]
    kind = FlagKind.GOAL_OVERDUE if overdue else FlagKind.GOAL_AT_RISK
    severity = max((g[1] for g in goals), key=lambda s: SEVERITY_RANK.get(s, 0))
    people = sorted({g[4]["owner"] for g in goals})
    team = f"{owners.name(manager_id)}'s reports"
    counts = ", ".join(
        f"{len(group)} objective{'s' if len(group) != 1 else ''} {what}"
        for group, what in ((overdue, "overdue"), (at_risk, "at risk"))
        if group
    )
    listed = ", ".join(people[:3]) + (f" and {len(people) - 3} more" if len(people) > 3 else "")
    links = [{"label": f"{g[4]['owner']}: {g[2]}", "url": g[4]["url"]} for g in goals]
    return FlagCandidate(
        kind=kind,
        severity=severity,
        title=f"{team}: {counts} ({listed})",
        rule=TEAM_RULE + (OVERDUE_RULE if overdue else AT_RISK_RULE),
        evidence={
            "objectives": [{k: v for k, v in g[4].items() if k != "url"} for g in goals],
            "people": people,
            "today": today.isoformat(),
            "links": links,
        },
        subject_type=SubjectType.EMPLOYEE,
        subject_id=manager_id,
        service_id=owners.service_of(manager_id),
        owner_id=manager_id,
        key=f"{kind}:team:{manager_id}",
    )
