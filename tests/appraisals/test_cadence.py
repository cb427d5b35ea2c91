"""Exhaustive tests for appraisals.rules.cadence (pure: no Django, no database)."""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

from appraisals.rules import cadence as c


def test_default_interval_is_28_days():
    assert c.DEFAULT_INTERVAL_DAYS == 28


def test_module_imports_only_the_standard_library():
    tree = ast.parse(Path(c.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "calendar", "datetime"}


# --- effective_interval -------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "org", "expected"),
    [
        (None, 28, 28),
        (None, 14, 14),
        (7, 28, 7),
        (42, 28, 42),
        (1, 28, 1),
        (28, 28, 28),
        (14, 1, 14),
    ],
)
def test_effective_interval(own, org, expected):
    assert c.effective_interval(own_override=own, organisation_default=org) == expected


@pytest.mark.parametrize(
    ("own", "org", "error"),
    [
        (0, 28, ValueError),  # an override of 0 is a mistake, not "use default"
        (-7, 28, ValueError),
        (None, 0, ValueError),
        (None, -1, ValueError),
        (7.5, 28, TypeError),
        (None, "28", TypeError),
        (True, 28, TypeError),
    ],
)
def test_effective_interval_rejects_bad_input(own, org, error):
    with pytest.raises(error):
        c.effective_interval(own_override=own, organisation_default=org)


def test_effective_interval_override_wins_even_if_default_is_bad():
    # The default is not consulted when the employee has their own interval.
    assert c.effective_interval(own_override=14, organisation_default=0) == 14


def test_effective_interval_is_keyword_only():
    with pytest.raises(TypeError):
        c.effective_interval(7, 28)  # type: ignore[misc]


# --- next_due -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "start", "interval", "expected"),
    [
        (date(2026, 10, 1), date(2020, 1, 6), 28, date(2026, 10, 29)),
        (date(2026, 10, 1), None, 28, date(2026, 10, 29)),
        (None, date(2026, 9, 1), 28, date(2026, 9, 29)),
        (None, None, 28, None),
        (date(2026, 12, 20), None, 28, date(2027, 1, 17)),  # year edge
        (date(2024, 2, 1), None, 28, date(2024, 2, 29)),  # leap day
        (date(2023, 2, 1), None, 28, date(2023, 3, 1)),
        (date(2024, 2, 29), None, 7, date(2024, 3, 7)),
        (date(2026, 1, 1), None, 1, date(2026, 1, 2)),
        (None, date(2026, 1, 5), 7, date(2026, 1, 12)),
        # a session before the start date (e.g. in a previous role) still anchors
        (date(2025, 12, 1), date(2026, 1, 1), 28, date(2025, 12, 29)),
    ],
)
def test_next_due(last, start, interval, expected):
    assert c.next_due(last_session=last, start_date=start, interval_days=interval) == expected


@pytest.mark.parametrize("interval", [0, -1, 2.5])
def test_next_due_rejects_bad_interval(interval):
    with pytest.raises((ValueError, TypeError)):
        c.next_due(last_session=date(2026, 1, 1), start_date=None, interval_days=interval)


# --- is_overdue / days_overdue ------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "overdue", "days"),
    [
        (date(2026, 10, 29), date(2026, 10, 28), False, 0),
        (date(2026, 10, 29), date(2026, 10, 29), False, 0),  # due today: on time
        (date(2026, 10, 29), date(2026, 10, 30), True, 1),
        (date(2026, 10, 29), date(2026, 11, 28), True, 30),
        (date(2026, 12, 31), date(2027, 1, 1), True, 1),
        (date(2024, 2, 28), date(2024, 3, 1), True, 2),  # through a leap day
        (date(2023, 2, 28), date(2023, 3, 1), True, 1),
        (date(2026, 1, 1), date(2025, 1, 1), False, 0),
        (None, date(2026, 10, 30), False, 0),
    ],
)
def test_overdue(due, today, overdue, days):
    assert c.is_overdue(due=due, today=today) is overdue
    assert c.days_overdue(due=due, today=today) == days


def test_overdue_keyword_only():
    with pytest.raises(TypeError):
        c.is_overdue(date(2026, 1, 1), date(2026, 1, 2))  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.days_overdue(date(2026, 1, 1), date(2026, 1, 2))  # type: ignore[misc]


@pytest.mark.parametrize("interval", [7, 14, 28])
@pytest.mark.parametrize("offset", range(-3, 4))
def test_next_due_and_overdue_together(interval, offset):
    last = date(2026, 3, 20)
    due = c.next_due(last_session=last, start_date=None, interval_days=interval)
    today = due + timedelta(days=offset)
    assert c.is_overdue(due=due, today=today) is (offset > 0)
    assert c.days_overdue(due=due, today=today) == max(0, offset)


# --- ASYE supervision -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        # weekly for the first 6 weeks: days 0..41
        (date(2026, 9, 1), date(2026, 9, 1), 7),
        (date(2026, 9, 1), date(2026, 10, 12), 7),  # day 41
        (date(2026, 9, 1), date(2026, 10, 13), 14),  # day 42: six weeks done
        # fortnightly until the 6-month anniversary
        (date(2026, 9, 1), date(2027, 2, 28), 14),
        (date(2026, 9, 1), date(2027, 3, 1), 28),  # anniversary
        (date(2026, 9, 1), date(2028, 9, 1), 28),
        # not started yet: plan at the tightest interval
        (date(2026, 9, 1), date(2026, 8, 1), 7),
        # month-end start: 31 Aug + 6 months clamps to the end of February
        (date(2026, 8, 31), date(2027, 2, 27), 14),
        (date(2026, 8, 31), date(2027, 2, 28), 28),
        (date(2027, 8, 31), date(2028, 2, 28), 14),  # leap year
        (date(2027, 8, 31), date(2028, 2, 29), 28),
        # start on a leap day
        (date(2024, 2, 29), date(2024, 4, 10), 7),  # day 41
        (date(2024, 2, 29), date(2024, 4, 11), 14),  # day 42
        (date(2024, 2, 29), date(2024, 8, 28), 14),
        (date(2024, 2, 29), date(2024, 8, 29), 28),
        # across a year end
        (date(2026, 12, 1), date(2027, 1, 11), 7),
        (date(2026, 12, 1), date(2027, 1, 12), 14),
        (date(2026, 12, 1), date(2027, 5, 31), 14),
        (date(2026, 12, 1), date(2027, 6, 1), 28),
    ],
)
def test_supervision_interval_for_asye(start, today, expected):
    assert c.supervision_interval_for_asye(start_date=start, today=today) == expected


@pytest.mark.parametrize("start", [date(2026, 1, 31), date(2026, 4, 1), date(2027, 8, 31)])
def test_asye_interval_never_lengthens_then_shortens(start):
    # Walk a year day by day: intervals only ever step 7 -> 14 -> 28.
    seen = [
        c.supervision_interval_for_asye(start_date=start, today=start + timedelta(days=n))
        for n in range(-10, 400)
    ]
    assert seen == sorted(seen)
    assert set(seen) == {7, 14, 28}
    assert seen.count(7) == 10 + 42  # the 10 days before the start plus six weeks


def test_asye_is_keyword_only():
    with pytest.raises(TypeError):
        c.supervision_interval_for_asye(date(2026, 1, 1), date(2026, 1, 2))  # type: ignore[misc]


# --- asye_start_cutoffs ---------------------------------------------------------------


def test_asye_start_cutoffs_give_the_rule_for_every_start_date():
    # Every day of a leap year and the next as "today", every start date from a
    # month ahead to more than a year back: month ends and 29 February included.
    for day in range(0, 731, 3):
        today = date(2024, 1, 1) + timedelta(days=day)
        weekly_after, fortnightly_after = c.asye_start_cutoffs(today=today)
        for offset in range(-30, 400):
            start = today - timedelta(days=offset)
            expected = c.supervision_interval_for_asye(start_date=start, today=today)
            if start > weekly_after:
                by_cutoff = c.ASYE_WEEKLY_DAYS
            elif start > fortnightly_after:
                by_cutoff = c.ASYE_FORTNIGHTLY_DAYS
            else:
                by_cutoff = c.DEFAULT_INTERVAL_DAYS
            assert by_cutoff == expected, (today, start)
