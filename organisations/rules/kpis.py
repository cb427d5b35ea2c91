"""Pure rules for organisational performance: RAG status, direction of travel,
financial-year periods and value formatting.

Nothing here touches Django or the database, so the rules can be tested
exhaustively and reused by models, views, imports and the Celery flag job alike
(the rules in README.md). Inputs are plain values: date, Decimal, int, float, str.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

Number = Decimal | int | float

# --- Vocabulary -------------------------------------------------------------
# Plain strings rather than enums so they can be stored in CharFields and
# compared in templates without conversion.

GREEN = "green"
AMBER = "amber"
RED = "red"
GREY = "grey"  # monitoring only: no target or no polarity, nothing to judge against
STATUSES = (GREEN, AMBER, RED, GREY)

HIGHER = "higher"  # higher is better ("aim to maximise")
LOWER = "lower"  # lower is better ("aim to minimise")
NONE = "none"  # no better direction: monitoring only
POLARITIES = (HIGHER, LOWER, NONE)

PERCENT = "percent"  # tolerance as a percentage of the target
ABSOLUTE = "absolute"  # tolerance in the KPI's own units
TOLERANCE_KINDS = (PERCENT, ABSOLUTE)

MONTHLY = "monthly"
QUARTERLY = "quarterly"
ANNUAL = "annual"
FREQUENCIES = (MONTHLY, QUARTERLY, ANNUAL)

IMPROVING = "improving"
WORSENING = "worsening"
NO_CHANGE = "no change"
INCREASING = "increasing"
DECREASING = "decreasing"
DIRECTIONS = (IMPROVING, WORSENING, NO_CHANGE, INCREASING, DECREASING)

# Units understood by format_value. PERCENT is shared with the tolerance kind
# on purpose: both are the string "percent".
UNIT_PERCENT = "percent"
UNIT_CURRENCY = "currency"
UNIT_DAYS = "days"
UNIT_COUNT = "count"
UNIT_RATE = "rate"
UNITS = (UNIT_PERCENT, UNIT_CURRENCY, UNIT_DAYS, UNIT_COUNT, UNIT_RATE)

DEFAULT_FY_START_MONTH = 4  # UK public sector: 1 April to 31 March

# Shown for a missing value, so an empty cell is visibly "no data", not zero.
MISSING = "\u2013"  # en dash

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def _to_decimal(x: Number) -> Decimal:
    """Convert to Decimal through str() so a float such as 0.1 becomes
    Decimal("0.1"), not its binary approximation."""
    # bool is an int subclass; True as a KPI value is always a bug upstream.
    if isinstance(x, bool) or not isinstance(x, Decimal | int | float):
        raise TypeError(f"expected a number, got {type(x).__name__}")
    try:
        d = Decimal(str(x))
    except InvalidOperation as exc:  # pragma: no cover - str() of a number parses
        raise ValueError(f"not a number: {x!r}") from exc
    if not d.is_finite():
        # NaN compares false with everything and would silently grade green.
        raise ValueError(f"not a finite number: {x!r}")
    return d


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}; expected one of {POLARITIES}")


def _check_frequency(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {FREQUENCIES}")


def _check_start_month(start_month: int) -> None:
    if isinstance(start_month, bool) or not isinstance(start_month, int):
        raise TypeError("start_month must be an int")
    if not 1 <= start_month <= 12:
        raise ValueError(f"start_month must be 1..12, got {start_month}")


# --- RAG status ------------------------------------------------------------


def shortfall(*, value: Number, target: Number, polarity: str, tolerance_kind: str) -> Decimal:
    """How far ``value`` is on the bad side of ``target``; 0 when on or better.

    In percent of |target| for a percent tolerance, else in the KPI's units.
    |target| so that a negative target (e.g. a budget variance) still yields a
    positive shortfall. A percent of a zero target is undefined, so a zero
    target is measured in absolute units instead. Polarity ``none`` has no bad
    side, so its shortfall is always 0.
    """
    _check_polarity(polarity)
    if tolerance_kind not in TOLERANCE_KINDS:
        raise ValueError(f"unknown tolerance kind {tolerance_kind!r}; expected one of {TOLERANCE_KINDS}")
    v = _to_decimal(value)
    t = _to_decimal(target)
    if polarity == HIGHER:
        gap = t - v
    elif polarity == LOWER:
        gap = v - t
    else:
        return _ZERO
    if gap <= 0:
        return _ZERO
    if tolerance_kind == PERCENT and t != 0:
        return gap / abs(t) * _HUNDRED
    return gap


def rag_status(
    *,
    value: Number | None,
    target: Number | None,
    polarity: str,
    tolerance_kind: str,
    green_tolerance: Number = 0,
    amber_tolerance: Number | None = None,
) -> str:
    """RAG status of one result against the target of its period.

    Grey when there is nothing to judge: no target, polarity ``none``, or no
    value. Otherwise the shortfall decides, with each bound inclusive toward the
    better status (a shortfall exactly at the green tolerance is green).
    ``green_tolerance`` defaults to 0 (green means on or better than target);
    ``amber_tolerance`` of None means the KPI has no amber band, so anything
    beyond green is red. An amber tolerance below the green one likewise leaves
    no amber band rather than raising, since green is checked first.
    """
    _check_polarity(polarity)
    if target is None or polarity == NONE or value is None:
        return GREY
    green_tol = _to_decimal(green_tolerance)
    amber_tol = green_tol if amber_tolerance is None else _to_decimal(amber_tolerance)
    if green_tol < 0 or amber_tol < 0:
        # A negative tolerance would make an on-target result amber or red.
        raise ValueError("tolerances must not be negative")
    gap = shortfall(value=value, target=target, polarity=polarity, tolerance_kind=tolerance_kind)
    if gap <= green_tol:
        return GREEN
    if gap <= amber_tol:
        return AMBER
    return RED


# --- Direction of travel ---------------------------------------------------

# Arrows go with the words, never instead of them, and never colour alone
# (WCAG 1.4.1). Up means "better" with polarity and "bigger" without.
DIRECTION_ARROWS: dict[str, str] = {
    IMPROVING: "\u2191",  # ↑
    WORSENING: "\u2193",  # ↓
    NO_CHANGE: "\u2192",  # →
    INCREASING: "\u2191",  # ↑
    DECREASING: "\u2193",  # ↓
}

DIRECTION_LABELS: dict[str, str] = {
    IMPROVING: "Improving",
    WORSENING: "Worsening",
    NO_CHANGE: "No change",
    INCREASING: "Increasing",
    DECREASING: "Decreasing",
}

# Shown when there is no earlier result to compare with.
NO_COMPARISON_LABEL = "No comparison available"


def direction_of_travel(*, current: Number | None, previous: Number | None, polarity: str) -> str | None:
    """LG Inform-style direction: improving / worsening / no change with a
    polarity, increasing / decreasing / no change without. None when either
    value is missing, because a missing figure is not "no change"."""
    _check_polarity(polarity)
    if current is None or previous is None:
        return None
    c = _to_decimal(current)
    p = _to_decimal(previous)
    # Exact comparison: any rounding threshold belongs to the caller, who knows
    # the KPI's decimal places.
    if c == p:
        return NO_CHANGE
    went_up = c > p
    if polarity == HIGHER:
        return IMPROVING if went_up else WORSENING
    if polarity == LOWER:
        return WORSENING if went_up else IMPROVING
    return INCREASING if went_up else DECREASING


def direction_label(direction: str | None, *, with_arrow: bool = False) -> str:
    """Words for a direction ("Improving"), optionally prefixed by its arrow
    ("↑ Improving"). None reads "No comparison available" so a table cell is
    never blank."""
    if direction is None:
        return NO_COMPARISON_LABEL
    try:
        words = DIRECTION_LABELS[direction]
    except KeyError:
        raise ValueError(f"unknown direction {direction!r}") from None
    return f"{DIRECTION_ARROWS[direction]} {words}" if with_arrow else words


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


# --- Formatting --------------------------------------------------------------

_DEFAULT_PLACES = {
    UNIT_PERCENT: 1,
    UNIT_CURRENCY: 2,
    UNIT_DAYS: 1,
    UNIT_COUNT: 0,
    UNIT_RATE: 2,
}


def format_value(value: Number | None, unit: str | None, decimal_places: int | None = None) -> str:
    """Display a KPI value: "96.4%", "£1,234.50", "12.3 days", "1,234", "4.25".

    Rounds half up (what readers of a report expect, unlike Python's default
    banker's rounding). Thousands are separated by commas in every unit, as the
    GOV.UK style guide asks. ``decimal_places`` None uses the unit's usual
    places; an unknown or empty unit formats as a plain number rather than
    failing a whole dashboard. None becomes an en dash.
    """
    if value is None:
        return MISSING
    if decimal_places is None:
        decimal_places = _DEFAULT_PLACES.get(unit or "", 2)
    if isinstance(decimal_places, bool) or not isinstance(decimal_places, int):
        raise TypeError("decimal_places must be an int")
    if decimal_places < 0:
        raise ValueError("decimal_places must not be negative")
    d = _to_decimal(value).quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""  # also drops the sign of a value that rounds to -0
    body = f"{abs(d):,.{decimal_places}f}"
    if unit == UNIT_CURRENCY:
        return f"{sign}£{body}"
    if unit == UNIT_PERCENT:
        return f"{sign}{body}%"
    if unit == UNIT_DAYS:
        return f"{sign}{body} {'day' if body == '1' else 'days'}"
    return f"{sign}{body}"
