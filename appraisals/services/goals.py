"""Writes for goals: check-ins and the progress roll-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from organisations.models import Employee

from ..models import Goal, GoalCheckIn, GoalStatus


def _rolled_up_progress(goal: Goal) -> int | None:
    """Weighted mean of the goal's live children, or None for a leaf goal."""
    children = list(goal.children.exclude(status=GoalStatus.DROPPED).values_list("progress", "weight"))
    if not children:
        return None
    total_weight = sum((w for _, w in children), Decimal(0))
    if not total_weight:
        return None
    return int(round(sum((Decimal(p) * w for p, w in children), Decimal(0)) / total_weight))


def goal_roll_up(*, goal: Goal | None) -> None:
    """Recompute progress from ``goal`` up through every goal it supports."""
    seen: set[int] = set()
    while goal is not None and goal.pk not in seen:
        seen.add(goal.pk)
        progress = _rolled_up_progress(goal)
        if progress is not None and progress != goal.progress:
            goal.progress = progress
            goal.save(update_fields=["progress", "updated_at"])
        goal = goal.parent


def goal_check_in_record(
    *,
    goal: Goal,
    author: Employee,
    progress: int,
    status: str,
    comment: str = "",
    on: date | None = None,
    session=None,
) -> GoalCheckIn:
    """Record a check-in on a leaf goal: its progress and status become the goal's,
    and the goals it supports are rolled up."""
    with transaction.atomic():
        check_in = GoalCheckIn(
            goal=goal,
            author=author,
            date=on or date.today(),
            progress=progress,
            status=status,
            comment=comment,
            session=session,
        )
        check_in.full_clean()
        check_in.save()
        goal.progress = progress
        goal.status = status
        goal.save(update_fields=["progress", "status", "updated_at"])
        goal_roll_up(goal=goal.parent)
    return check_in
