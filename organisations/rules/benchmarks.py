"""Pure rules for benchmarks against other councils: quartile boundaries, a
council's quartile position allowing for polarity, and the periods benchmark
files name.

The quartile boundaries are Excel's QUARTILE.INC (the same as PERCENTILE.INC at
25%, 50% and 75%, and numpy's default "linear" method): sort the group's n
values, and the boundary at fraction p lies at position (n - 1) x p, counting
from 0, interpolating between the two values either side. The group is every
council with a figure for the period, the council itself included, as LG Inform
counts a comparator group.

The position allows for which way is better, so the top quartile is always the
best quarter: with higher is better, a value at or above the upper boundary
(75%) is in the top quartile; with lower is better, a value at or below the
lower boundary (25%). A value exactly on a boundary counts toward the better
quartile, as a result exactly on a tolerance counts toward the better status.

Nothing here touches Django or the database.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules

TOP = "top_quartile"
UPPER_MIDDLE = "upper_middle_quartile"
LOWER_MIDDLE = "lower_middle_quartile"
BOTTOM = "bottom_quartile"
NOT_RANKED = "not_ranked"
POSITIONS = (TOP, UPPER_MIDDLE, LOWER_MIDDLE, BOTTOM, NOT_RANKED)  # the glossary's QUARTILE codes

# Fewer councils than this have no quartiles worth the name (each "quarter"
# would hold less than one council): the median and the group size still show.
MIN_GROUP_SIZE = 4


def quartile_inc(values: Iterable[Decimal | int | float], fraction: Decimal | str) -> Decimal:
    """Excel's QUARTILE.INC / PERCENTILE.INC of ``values`` at ``fraction``
    (0 to 1): linear interpolation between the closest ranks, ranks counted
    from 0 to n - 1. ValueError for no values or a fraction outside 0..1."""
    ordered = sorted(kpi_rules._to_decimal(v) for v in values)
    p = Decimal(str(fraction))
    if not ordered:
        raise ValueError("quartiles need at least one value")
    if not Decimal(0) <= p <= Decimal(1):
        raise ValueError(f"fraction must be between 0 and 1, got {fraction!r}")
    position = (len(ordered) - 1) * p
    below = int(position)  # floor: position is not negative
    weight = position - below
    if below + 1 >= len(ordered) or weight == 0:
        return ordered[below]
    return ordered[below] + weight * (ordered[below + 1] - ordered[below])


@dataclass(frozen=True)
class Quartiles:
    lower: Decimal  # 25%
    median: Decimal  # 50%
    upper: Decimal  # 75%


def quartiles(values: Iterable[Decimal | int | float]) -> Quartiles:
    """The three QUARTILE.INC boundaries of ``values``."""
    values = list(values)
    return Quartiles(
        lower=quartile_inc(values, "0.25"),
        median=quartile_inc(values, "0.5"),
        upper=quartile_inc(values, "0.75"),
    )


def quartile_position(value: Decimal | int | float, bounds: Quartiles, polarity: str) -> str:
    """Which quarter of the group ``value`` falls in, the top quartile being the
    best whichever way is better; on a boundary it counts toward the better
    quartile. Not ranked for a KPI with no better direction."""
    kpi_rules._check_polarity(polarity)
    v = kpi_rules._to_decimal(value)
    if polarity == kpi_rules.HIGHER:
        if v >= bounds.upper:
            return TOP
        if v >= bounds.median:
            return UPPER_MIDDLE
        if v >= bounds.lower:
            return LOWER_MIDDLE
        return BOTTOM
    if polarity == kpi_rules.LOWER:
        if v <= bounds.lower:
            return TOP
        if v <= bounds.median:
            return UPPER_MIDDLE
        if v <= bounds.upper:
            return LOWER_MIDDLE
        return BOTTOM
    return NOT_RANKED


@dataclass(frozen=True)
class Comparison:
    """A council's figure for one period against its comparator group."""

    value: Decimal | None  # the council's own figure; None when it has none
    group_size: int  # councils with a figure, the council included
    median: Decimal | None
    bounds: Quartiles | None  # None below MIN_GROUP_SIZE
    position: str  # one of POSITIONS
    polarity: str

    @property
    def best_boundary(self) -> Decimal | None:
        """Where the top quartile starts, allowing for which way is better."""
        if self.bounds is None or self.polarity == kpi_rules.NONE:
            return None
        return self.bounds.lower if self.polarity == kpi_rules.LOWER else self.bounds.upper

    @property
    def worst_boundary(self) -> Decimal | None:
        """Where the bottom quartile starts, allowing for which way is better."""
        if self.bounds is None or self.polarity == kpi_rules.NONE:
            return None
        return self.bounds.upper if self.polarity == kpi_rules.LOWER else self.bounds.lower

    @property
    def is_ranked(self) -> bool:
        return self.position != NOT_RANKED


def compare(
    *, value: Decimal | int | float | None, group: Iterable[Decimal | int | float], polarity: str
) -> Comparison:
    """Place ``value`` (the council's figure, already one of ``group``) among the
    ``group``'s figures for the period. Not ranked without a value, with no
    better direction or with fewer than MIN_GROUP_SIZE councils."""
    kpi_rules._check_polarity(polarity)
    figures = [kpi_rules._to_decimal(v) for v in group]
    median = quartile_inc(figures, "0.5") if figures else None
    bounds = quartiles(figures) if len(figures) >= MIN_GROUP_SIZE else None
    position = NOT_RANKED
    if value is not None and bounds is not None:
        position = quartile_position(value, bounds, polarity)
    return Comparison(
        value=None if value is None else kpi_rules._to_decimal(value),
        group_size=len(figures),
        median=median,
        bounds=bounds,
        position=position,
        polarity=polarity,
    )


# --- Periods as benchmark files write them -------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_QUARTER = re.compile(r"^(?:q([1-4])\s+(.+)|(.+?)\s+q([1-4]))$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_RANGE = re.compile(r"^.+?\s+(?:-|–|to)\s+(.+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_YEAR = re.compile(r"^\d{4}$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_end(text: str, start_month: int = year_rules.DEFAULT_FY_START_MONTH) -> date | None:
    """The last day of the period a benchmark file names, or None when it names
    none: a financial year ("2025/26", "2025-26"), a quarter of one ("Q2 2025/26",
    "2025/26 Q2"), a calendar year ("2025"), a month ("Mar 2026", "March 2026"),
    a span ("Apr 2025 - Mar 2026": its last month) or a date (YYYY-MM-DD or
    DD/MM/YYYY, as it is)."""
    raw = " ".join((text or "").strip().lower().split())
    if not raw:
        return None
    try:
        if _ISO_DATE.match(raw):
            return datetime.strptime(raw, "%Y-%m-%d").date()
        if _UK_DATE.match(raw):
            return datetime.strptime(raw, "%d/%m/%Y").date()
        if _YEAR.match(raw):
            return date(int(raw), 12, 31)
        quarter = _QUARTER.match(raw)
        if quarter:
            q = int(quarter.group(1) or quarter.group(4))
            year = year_rules.parse_fy_label(quarter.group(2) or quarter.group(3), start_month)
            return year_rules.quarter_bounds(year, q, start_month)[1]
        month = _MONTH_YEAR.match(raw)
        if month and month.group(1) in _MONTHS:
            return _month_end(int(month.group(2)), _MONTHS[month.group(1)])
        span = _RANGE.match(raw)
        if span:
            return period_end(span.group(1), start_month)
        return year_rules.fy_bounds(year_rules.parse_fy_label(raw, start_month), start_month)[1]
    except ValueError:
        return None
