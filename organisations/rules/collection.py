"""Pure rules for collecting KPI results: when a period's result is due, when
its owner is reminded and chased, where each KPI stands for a period, and who
may sign a result off. No database (docs/KPI_COLLECTION.md).
"""

from __future__ import annotations

from datetime import date, timedelta

from organisations.rules import years as year_rules

# The owner is reminded this many days before a result is due...
REMIND_DAYS_BEFORE = 7
# ...then chased the day after it is due, and every CHASE_EVERY_DAYS after that
# while it is still missing (or returned and not submitted again)...
CHASE_EVERY_DAYS = 7
# ...for periods due within the last year, as the data-missing flag looks back.
CHASE_LOOKBACK_DAYS = 365

# Where a KPI stands for one period, in the order the collection page lists them.
NOT_DUE = "not_due"  # no result yet, not yet due
LATE = "late"  # no result, past its due date
RETURNED = "returned"  # returned with a reason: for its owner to correct
SUBMITTED = "submitted"  # awaiting sign-off
VALIDATED = "validated"  # signed off
STANDINGS = (LATE, RETURNED, NOT_DUE, SUBMITTED, VALIDATED)
# Their words and tags are the glossary's (core.glossary.result_standing).

# Who signs off, Organisation.results_validated_by.
BY_OFFICER = "officer"
BY_HEAD = "head"


def due_date(period_end: date, lag_days: int) -> date:
    """The last day a period's result is on time (year_rules.is_result_overdue agrees)."""
    if lag_days < 0:
        raise ValueError("lag_days must not be negative")
    return period_end + timedelta(days=lag_days)


def standing(*, state: str | None, period_end: date, lag_days: int, today: date) -> str:
    """Where a KPI stands for a period, from its result's state (None: no result)."""
    if state is None:
        late = year_rules.is_result_overdue(period_end=period_end, today=today, lag_days=lag_days)
        return LATE if late else NOT_DUE
    if state not in (RETURNED, SUBMITTED, VALIDATED):
        raise ValueError(f"unknown result state {state!r}")
    return state


def is_late(*, state: str | None, period_end: date, lag_days: int, today: date) -> bool:
    """Past its due date without a figure that counts (none, or returned)."""
    return state in (None, RETURNED) and year_rules.is_result_overdue(
        period_end=period_end, today=today, lag_days=lag_days
    )


def reminder_key(*, state: str | None, period_end: date, lag_days: int, today: date) -> str | None:
    """What the owner is to be told today about a period, as the event's key
    suffix (the same key on another day notifies nobody twice), or None.

    "due": from REMIND_DAYS_BEFORE days before the due date to the due date,
    once. "late-N": from the day after the due date, once a week (week N counts
    from 0), while the figure is missing or returned. Nothing once a figure is
    submitted or signed off, or before the reminder window."""
    if state not in (None, RETURNED):
        return None
    due = due_date(period_end, lag_days)
    if today > due:
        days_late = (today - due).days
        return f"late-{(days_late - 1) // CHASE_EVERY_DAYS}"
    if today >= due - timedelta(days=REMIND_DAYS_BEFORE) and state is None:
        return "due"
    return None


def may_sign_off(
    *, validated_by: str, is_performance_officer: bool, heads_kpi_service: bool, owns_kpi: bool
) -> bool:
    """Performance officers sign results off, and the head of the KPI's service
    (or of one above it) where the organisation chose heads. Nobody signs off
    the figures of a KPI they own."""
    if owns_kpi:
        return False
    if is_performance_officer:
        return True
    return validated_by == BY_HEAD and heads_kpi_service
