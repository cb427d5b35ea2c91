"""Pure rules for reporting periods: financial years, quarters, period ends and due dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

# Like the KPI rules, nothing here touches Django or the database.

# How often a KPI is reported. Plain strings, stored in CharFields as they are.
MONTHLY = "monthly"
QUARTERLY = "quarterly"
ANNUAL = "annual"
FREQUENCIES = (MONTHLY, QUARTERLY, ANNUAL)

DEFAULT_FY_START_MONTH = 4  # UK public sector: 1 April to 31 March


def _check_frequency(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {FREQUENCIES}")


def _check_start_month(start_month: int) -> None:
    if isinstance(start_month, bool) or not isinstance(start_month, int):
        raise TypeError("start_month must be an int")
    if not 1 <= start_month <= 12:
        raise ValueError(f"start_month must be 1..12, got {start_month}")


# --- Financial year and periods --------------------------------------------
# A financial year is identified by the calendar year in which it starts
# (2026 for 1 April 2026 - 31 March 2027), so it fits an IntegerField.


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def financial_year_start(d: date, start_month: int = DEFAULT_FY_START_MONTH) -> int:
    """The calendar year in which the financial year containing ``d`` starts."""
    _check_start_month(start_month)
    return d.year if d.month >= start_month else d.year - 1


def fy_label(year_start: int, start_month: int = DEFAULT_FY_START_MONTH) -> str:
    """Label of the financial year starting in ``year_start``: "2026/27".

    A January start makes the financial year the calendar year, labelled just "2026"."""
    _check_start_month(start_month)
    if start_month == 1:
        return f"{year_start}"
    return f"{year_start}/{(year_start + 1) % 100:02d}"


def fy_label_for_date(d: date, start_month: int = DEFAULT_FY_START_MONTH) -> str:
    return fy_label(financial_year_start(d, start_month), start_month)


# Lenient on the separator and the width of the second year, because imported
# spreadsheets write "2026-27" and "2026/2027" as often as "2026/27".
_FY_LABEL_RE = re.compile(r"^\s*(\d{4})\s*[/\-\u2013]\s*(\d{2}|\d{4})\s*$")
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")


def parse_fy_label(label: str, start_month: int = DEFAULT_FY_START_MONTH) -> int:
    """The starting year of a label such as "2026/27"; ValueError otherwise.

    The second year must follow the first, so a typo like "2026/28" is caught
    rather than silently filed under 2026. A bare "2026" is accepted only for a
    January start, matching what fy_label produces.
    """
    _check_start_month(start_month)
    # A non-string is bad input like any other: ValueError, so callers (forms,
    # imports) catch one exception.
    text = label if isinstance(label, str) else ""
    m = _FY_LABEL_RE.match(text)
    if m:
        first, second = int(m.group(1)), m.group(2)
        expected = first + 1 if len(second) == 4 else (first + 1) % 100
        if int(second) != expected:
            raise ValueError(f"financial year {label!r}: second year must follow the first")
        return first
    m = _YEAR_RE.match(text)
    if m and start_month == 1:
        return int(m.group(1))
    raise ValueError(f"not a financial year label: {label!r} (expected e.g. '2026/27')")


def fy_bounds(year_start: int, start_month: int = DEFAULT_FY_START_MONTH) -> tuple[date, date]:
    """First and last day (inclusive) of the financial year starting in ``year_start``."""
    _check_start_month(start_month)
    first = date(year_start, start_month, 1)
    last = date(year_start + 1, start_month, 1) - timedelta(days=1)
    return first, last


def quarter_of(d: date, start_month: int = DEFAULT_FY_START_MONTH) -> int:
    """Financial quarter 1..4 of ``d`` (Q1 = Apr-Jun with an April start)."""
    _check_start_month(start_month)
    return (d.month - start_month) % 12 // 3 + 1


def quarter_bounds(year_start: int, q: int, start_month: int = DEFAULT_FY_START_MONTH) -> tuple[date, date]:
    """First and last day (inclusive) of quarter ``q`` of the financial year
    starting in ``year_start``; later quarters may fall in the next calendar year."""
    _check_start_month(start_month)
    if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= 4:
        raise ValueError(f"quarter must be 1..4, got {q!r}")
    y, m = _add_months(year_start, start_month, 3 * (q - 1))
    end_y, end_m = _add_months(y, m, 2)
    return date(y, m, 1), _month_end(end_y, end_m)


# Pure and called thousands of times per scorecard (each KPI walks back a year of
# periods): remember the answers. Bad input raises (errors are not cached), and
# "typed" keeps True apart from 1 and a datetime apart from its date.
@lru_cache(maxsize=8192, typed=True)
def _period_bounds(d: date, frequency: str, start_month: int) -> tuple[date, date]:
    _check_frequency(frequency)
    _check_start_month(start_month)
    if frequency == MONTHLY:
        return d.replace(day=1), _month_end(d.year, d.month)
    fy = financial_year_start(d, start_month)
    if frequency == QUARTERLY:
        return quarter_bounds(fy, quarter_of(d, start_month), start_month)
    return fy_bounds(fy, start_month)


def period_end_for(d: date, frequency: str, start_month: int = DEFAULT_FY_START_MONTH) -> date:
    """Normalise any date to the last day of its period, so a result entered
    as "15 Oct" and one entered as "31 Oct" land on the same period."""
    return _period_bounds(d, frequency, start_month)[1]


def is_period_end(d: date, frequency: str, start_month: int = DEFAULT_FY_START_MONTH) -> bool:
    return period_end_for(d, frequency, start_month) == d


def period_ends_in_year(
    year_start: int, frequency: str, start_month: int = DEFAULT_FY_START_MONTH
) -> list[date]:
    """Every period end in the financial year, in order (12, 4 or 1 dates)."""
    _check_frequency(frequency)
    _check_start_month(start_month)
    if frequency == ANNUAL:
        return [fy_bounds(year_start, start_month)[1]]
    if frequency == QUARTERLY:
        return [quarter_bounds(year_start, q, start_month)[1] for q in range(1, 5)]
    return [_month_end(*_add_months(year_start, start_month, i)) for i in range(12)]


def previous_period_end(period_end: date, frequency: str, start_month: int = DEFAULT_FY_START_MONTH) -> date:
    """End of the period before the one containing ``period_end`` (any date in
    a period is accepted and normalised first)."""
    start, _ = _period_bounds(period_end, frequency, start_month)
    return period_end_for(start - timedelta(days=1), frequency, start_month)


def same_period_last_year(
    period_end: date, frequency: str, start_month: int = DEFAULT_FY_START_MONTH
) -> date:
    """End of the same period one year earlier (Feb 2028 -> 28 Feb 2027).

    Every period ends on a month end, so the first of that month a year back
    always lies in the matching period, leap years included."""
    end = period_end_for(period_end, frequency, start_month)
    return period_end_for(date(end.year - 1, end.month, 1), frequency, start_month)


# Fixed English abbreviations: calendar.month_abbr follows the process locale.
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_label(period_end: date, frequency: str, start_month: int = DEFAULT_FY_START_MONTH) -> str:
    """Label as used in committee reports: "Oct 2026", "Q3 2026/27" or "2026/27"."""
    _check_frequency(frequency)
    _check_start_month(start_month)
    if frequency == MONTHLY:
        return f"{_MONTH_ABBR[period_end.month - 1]} {period_end.year}"
    fy = fy_label_for_date(period_end, start_month)
    if frequency == QUARTERLY:
        return f"Q{quarter_of(period_end, start_month)} {fy}"
    return fy


def is_result_overdue(*, period_end: date, today: date, lag_days: int) -> bool:
    """A result is overdue once ``lag_days`` have passed after the period end;
    on the last allowed day it is still on time."""
    if lag_days < 0:
        raise ValueError("lag_days must not be negative")
    return period_end + timedelta(days=lag_days) < today
