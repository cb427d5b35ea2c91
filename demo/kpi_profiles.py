"""The demo's year-to-date KPIs: figures that build through the year, and their
targets spread over the year.

A cumulative KPI in the catalogue with a ``shape`` (the share of the year's
outturn reached by each period end, as the service's figures usually run) has
its story's figures scaled by that shape, so its Q1 figure is about a quarter of
the year's, not the whole of it. Its targets are spread by the catalogue's
``profile``: evenly, or by last year's shape (from last year's figures, as the
profile page works it out; the first year, with no figures before it, has the
shape entered by hand). Nothing here draws from the demo's random stream.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from demo.kpi_catalogue import Spec
from organisations.models import KPITarget
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules
from organisations.services.kpi_profiles import stored_number


def _index_in_year(end: date, frequency: str, start_month: int) -> int:
    year = year_rules.financial_year_start(end, start_month)
    return year_rules.period_ends_in_year(year, frequency, start_month).index(end)


def year_to_date(spec: Spec, ends: list[date], values: list[Decimal], start_month: int, places: int):
    """The story's figures as year-to-date figures: each scaled by its period
    end's share of the year (unchanged for a KPI without a shape)."""
    if not (spec.cumulative and spec.shape):
        return values
    step = Decimal(1).scaleb(-places)
    return [
        (value * Decimal(str(spec.shape[_index_in_year(end, spec.frequency, start_month)]))).quantize(
            step, rounding=ROUND_HALF_UP
        )
        for end, value in zip(ends, values, strict=True)
    ]


def spread_targets(
    spec: Spec, targets: dict[int, KPITarget], figures: dict[date, Decimal], start_month: int, places: int
) -> None:
    """Give each year's target its profile and period targets (in place)."""
    if spec.profile == profile_rules.FLAT:
        return
    for year, target in sorted(targets.items()):
        ends = year_rules.period_ends_in_year(year, spec.frequency, start_month)
        profile = spec.profile
        if profile == profile_rules.EVEN:
            values = profile_rules.even_profile(target.target, len(ends), places)
        else:
            last = [
                figures.get(e) for e in year_rules.period_ends_in_year(year - 1, spec.frequency, start_month)
            ]
            try:
                values = profile_rules.last_year_shape(target.target, last, places)
            except ValueError:
                # No full year before it: the service's usual shape, entered.
                profile = profile_rules.ENTERED
                step = Decimal(1).scaleb(-places)
                shares = spec.shape or [(i + 1) / len(ends) for i in range(len(ends))]
                values = [
                    (target.target * Decimal(str(s))).quantize(step, rounding=ROUND_HALF_UP)
                    for s in shares[:-1]
                ] + [target.target]
        target.profile = profile
        target.period_targets = {e.isoformat(): stored_number(v) for e, v in zip(ends, values, strict=True)}
