"""How a demo goal fares: the financial year it runs in, its due date, its status and progress by today."""

from __future__ import annotations

import random
from datetime import date, timedelta

from appraisals.models import GoalStatus


def financial_year(today: date) -> tuple[date, date]:
    year = today.year if today.month >= 4 else today.year - 1
    return date(year, 4, 1), date(year + 1, 3, 31)


def due_date(rng: random.Random, today: date, fy_start: date, fy_end: date) -> date:
    """Most objectives run to the year end; some to a quarter end (past ones
    mostly achieved, some overdue), a few fall due in the next weeks or have
    just passed their date: the ones the flags pick up."""
    r = rng.random()
    y = fy_start.year
    if r < 0.65:
        due = fy_end
    elif r < 0.85:
        due = rng.choice([date(y, 6, 30), date(y, 9, 30), date(y, 12, 31)])
    elif r < 0.89:
        due = today + timedelta(days=rng.randint(5, 30))
    elif r < 0.91:
        due = today - timedelta(days=rng.randint(3, 25))
    else:
        due = fy_end
    return max(due, fy_start + timedelta(days=30))


def outcome(rng: random.Random, today: date, start: date, due: date) -> tuple[str, int]:
    span = max(1, (due - start).days)
    elapsed = min(1.0, max(0.0, (today - start).days / span))
    expected = int(elapsed * 100)
    r = rng.random()
    if due < today:
        if r < 0.92:
            return GoalStatus.ACHIEVED, 100
        if r < 0.94:
            return GoalStatus.ON_TRACK, rng.randint(60, 90)  # overdue, not finished
        if r < 0.95:
            return GoalStatus.AT_RISK, rng.randint(30, 70)
        if r < 0.96:
            return GoalStatus.OFF_TRACK, rng.randint(10, 50)
        return GoalStatus.DROPPED, rng.randint(0, 40)
    if expected < 3 or (r < 0.08 and expected < 40):
        return GoalStatus.AGREED, 0
    if r < 0.76:
        return GoalStatus.ON_TRACK, max(0, min(99, expected + rng.randint(-8, 12)))
    if r < 0.84:
        return GoalStatus.AT_RISK, max(0, expected - rng.randint(20, 45))
    if r < 0.855:
        return GoalStatus.OFF_TRACK, max(0, expected - rng.randint(35, 60))
    if r < 0.96:
        return GoalStatus.ON_TRACK, min(99, expected + rng.randint(10, 30))
    if r < 0.98:
        return GoalStatus.DROPPED, max(0, expected - 30)
    return GoalStatus.ACHIEVED, 100
