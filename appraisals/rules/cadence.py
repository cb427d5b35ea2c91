"""Pure rules for how often an employee should have a feedback session.

No Django here: the dashboards, the session form and the Celery flag job all
ask the same questions (when is the next session due, is it overdue) and must
get the same answers, so the rules live once, over plain dates and ints.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# Organisation default when none is configured: "at least monthly" in the LGA
# employer standards, taken as four weeks so sessions keep a weekday rhythm.
DEFAULT_INTERVAL_DAYS = 28

# LGA employer standards for newly qualified social workers (ASYE): weekly for
# the first 6 weeks, fortnightly to 6 months, then at least monthly.
ASYE_WEEKLY_DAYS = 7
ASYE_FORTNIGHTLY_DAYS = 14
ASYE_WEEKLY_PERIOD = timedelta(weeks=6)
ASYE_FORTNIGHTLY_MONTHS = 6


def _check_interval(name: str, days: int) -> None:
    # A zero or negative interval would make every employee permanently due.
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"{name} must be an int")
    if days < 1:
        raise ValueError(f"{name} must be at least 1 day, got {days}")


def effective_interval(
    *, own_override: int | None, organisation_default: int, family_interval: int | None = None
) -> int:
    """The employee's own interval when set, else their job role's family's (social
    work every 28 days, say), else the organisation's default."""
    if own_override is not None:
        _check_interval("own_override", own_override)
        return own_override
    if family_interval is not None:
        _check_interval("family_interval", family_interval)
        return family_interval
    _check_interval("organisation_default", organisation_default)
    return organisation_default


def next_due(*, last_session: date | None, start_date: date | None, interval_days: int) -> date | None:
    """Date the next session is due: last session + interval, else (no session
    yet) start date + interval, else None since nothing anchors the clock."""
    _check_interval("interval_days", interval_days)
    anchor = last_session if last_session is not None else start_date
    if anchor is None:
        return None
    return anchor + timedelta(days=interval_days)


def is_overdue(*, due: date | None, today: date) -> bool:
    """Strictly past due: a session held on the due date is on time."""
    return due is not None and today > due


def days_overdue(*, due: date | None, today: date) -> int:
    """Whole days past due; 0 when on time or when there is no due date."""
    if due is None:
        return 0
    return max(0, (today - due).days)


def _add_months(d: date, months: int) -> date:
    # Clamp to the month's last day: 31 Aug + 6 months is 28/29 Feb, not an error.
    index = d.year * 12 + (d.month - 1) + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def supervision_interval_for_asye(*, start_date: date, today: date) -> int:
    """Supervision interval for a newly qualified social worker on ``today``.

    7 days during the first 6 weeks from the start date (days 0-41), 14 days
    from then until the 6-month anniversary, DEFAULT_INTERVAL_DAYS from the
    anniversary on. Before the start date the weekly rhythm applies, so the
    first sessions are planned at the tightest interval.
    """
    if today < start_date + ASYE_WEEKLY_PERIOD:
        return ASYE_WEEKLY_DAYS
    if today < _add_months(start_date, ASYE_FORTNIGHTLY_MONTHS):
        return ASYE_FORTNIGHTLY_DAYS
    return DEFAULT_INTERVAL_DAYS


def asye_start_cutoffs(*, today: date) -> tuple[date, date]:
    """The same ASYE rule turned round for a database query: on ``today``, a newly
    qualified worker who started after the first date is on the weekly interval,
    after the second (and not the first) fortnightly, otherwise monthly. Both
    bounds follow from :func:`supervision_interval_for_asye`, which is monotone
    in the start date, so a query over thousands of people can say "start_date >
    cutoff" instead of running the rule once per person."""
    weekly_after = today - ASYE_WEEKLY_PERIOD
    # The latest start date whose 6-month anniversary has been reached by today:
    # six calendar months are 181 to 184 days, so start a little before and step.
    fortnightly_after = today - timedelta(days=190)
    while _add_months(fortnightly_after + timedelta(days=1), ASYE_FORTNIGHTLY_MONTHS) <= today:
        fortnightly_after += timedelta(days=1)
    return weekly_after, fortnightly_after
