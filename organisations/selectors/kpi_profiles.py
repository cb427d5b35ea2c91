"""Reads for a target's profile: each period of the year with its target, its
result and its status, for the KPI page and the profile page. No queries: the
callers pass the target and the results they already loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from organisations.models import KPI, KPIResult, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules


@dataclass(frozen=True)
class ProfileRow:
    period_end: date
    label: str
    target: Decimal
    target_display: str
    share: str  # the period's target as a share of the year's: "25%"
    result: KPIResult | None

    @property
    def status(self) -> str:
        return self.result.status if self.result else kpi_rules.NO_RESULT

    @property
    def value_display(self) -> str:
        return kpi_rules.MISSING if self.result is None else self.result.kpi.format(self.result.value)


def profile_rows(kpi: KPI, target: KPITarget, results: Iterable[KPIResult]) -> list[ProfileRow]:
    """Every period of the target's year, oldest first, with its target and its
    result (None where there is none yet)."""
    ends = year_rules.period_ends_in_year(target.financial_year, kpi.frequency, kpi.start_month)
    by_end = {r.period_end: r for r in results if r.period_end in set(ends)}
    rows = []
    for end in ends:
        value = target.target_for(end)
        share = "" if not target.target else f"{value / target.target * 100:.0f}%"
        result = by_end.get(end)
        if result is not None:
            result.kpi = kpi
        rows.append(
            ProfileRow(
                period_end=end,
                label=year_rules.period_label(end, kpi.frequency, kpi.start_month),
                target=value,
                target_display=kpi.format(value),
                share=share,
                result=result,
            )
        )
    return rows
