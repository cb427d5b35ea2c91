"""Pure rules for target profiles: a year's target spread over its reporting periods.

A KPI is either point in time (each period's figure stands alone: "rent arrears
at the end of June") or cumulative year to date (each period's figure covers the
financial year so far: "homes delivered since April"). A year-to-date figure
builds through the year, so judging it against the full-year target makes it red
until the last period. A profile gives each period its own target:

- ``flat``: the year's target in every period (right for a point-in-time KPI);
- ``entered``: a target typed for each period (a seasonal profile agreed with
  the service);
- ``even``: the year's target spread evenly, each period end's share of the year
  (a quarterly count of 200 a year: 50, 100, 150, 200);
- ``last_year``: last year's shape: the share of last year's outturn reached by
  each period end, applied to this year's target.

Like the other rules, nothing here touches Django or the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FLAT = "flat"
ENTERED = "entered"
EVEN = "even"
LAST_YEAR = "last_year"
PROFILES = (FLAT, ENTERED, EVEN, LAST_YEAR)
# The profiles worked out from the year's target (and last year's figures) rather than typed.
WORKED_OUT = (EVEN, LAST_YEAR)
# The profiles that only make sense for a figure that builds through the year.
CUMULATIVE_ONLY = (EVEN, LAST_YEAR)


def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")


def _round(x: Decimal, places: int) -> Decimal:
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise ValueError("places must be a whole number, 0 or more")
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def even_profile(target: Decimal, periods: int, places: int = 4) -> list[Decimal]:
    """The year's target spread evenly over ``periods`` period ends, rounded to
    ``places``: each period end's share of the year, the last exactly the target.

    >>> even_profile(Decimal(200), 4, 0)
    [Decimal('50'), Decimal('100'), Decimal('150'), Decimal('200')]
    """
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise ValueError("a year has at least one period")
    target = Decimal(target)
    out = [_round(target * i / periods, places) for i in range(1, periods)]
    return [*out, target]


def last_year_shape(target: Decimal, last_year: Sequence[Decimal | None], places: int = 4) -> list[Decimal]:
    """This year's target shaped like last year: each period end's target is the
    target times the share of last year's outturn (its last period's year-to-date
    figure) reached by the same period end last year; the last is the target.

    ``last_year`` holds last year's year-to-date figures, one a period, in order.
    ValueError when a period of last year has no figure or the outturn is 0
    (there is no shape to follow): spread evenly or enter the profile instead.
    """
    if not last_year:
        raise ValueError("a year has at least one period")
    missing = [i + 1 for i, v in enumerate(last_year) if v is None]
    if missing:
        raise ValueError(f"last year has no figure for period {', '.join(map(str, missing))}")
    outturn = Decimal(last_year[-1])
    if outturn == 0:
        raise ValueError("last year's outturn is 0, so it has no shape to follow")
    target = Decimal(target)
    out = [_round(target * Decimal(v) / outturn, places) for v in last_year[:-1]]
    return [*out, target]


def period_target(target: Decimal, profile: dict[str, str] | None, period_end: date) -> Decimal:
    """The target of one period: its profiled value when the profile has one,
    else the year's target (a flat profile, or a period the profile leaves out).
    ``profile`` maps ISO period ends ("2026-06-30") to values, as stored."""
    if profile:
        value = profile.get(period_end.isoformat())
        if value is not None:
            return Decimal(value)
    return Decimal(target)


def profile_words(profile: str, cumulative: bool) -> str:
    """What a target's profile means, in words, for the KPI page and the form."""
    _check_profile(profile)
    if profile == FLAT:
        if cumulative:
            return "The year's target in every period (no profile: a year-to-date figure is judged against the full year)"
        return "The year's target in every period"
    if profile == ENTERED:
        return "A target entered for each period"
    if profile == EVEN:
        return "The year's target spread evenly over the year"
    return "Last year's shape: the share of last year's outturn reached by each period end"
