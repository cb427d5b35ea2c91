"""Which of a person's open goals the log-a-session form shows unfolded: the ones
a manager is likely to talk about. The others are folded (a native
``<details>``), one line each, and open with a click or the keyboard.

A goal is shown when it is at risk or off track, overdue or due within
``DUE_SOON_DAYS``, or has been updated (a check-in outside a draft session)
since the person's last feedback session. A pure rule over plain values, so
the form and its tests ask the same question.
"""

from __future__ import annotations

from datetime import date, timedelta

from appraisals.models import GoalStatus

DUE_SOON_DAYS = 60

TROUBLED = {GoalStatus.AT_RISK: "at risk", GoalStatus.OFF_TRACK: "off track"}
OVERDUE = "overdue"
DUE_SOON = "due soon"
UPDATED = "updated since the last session"


def reason_to_discuss(
    *, status: str, due_date: date, last_check_in: date | None, last_session: date | None, today: date
) -> str:
    """Why the goal is shown unfolded ("off track", "overdue", "due soon",
    "updated since the last session"), or "" to fold it."""
    if status in TROUBLED:
        return TROUBLED[status]
    if due_date < today:
        return OVERDUE
    if due_date <= today + timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    if last_check_in is not None and (last_session is None or last_check_in > last_session):
        return UPDATED
    return ""
