"""Reads for KPI pages, dashboards and reports: the scorecard in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from .. import kpi_rules
from ..models import KPI, KPIResult, KPITarget


@dataclass
class ScorecardRow:
    kpi: KPI
    latest: KPIResult | None
    previous: KPIResult | None
    last_year: KPIResult | None
    target: KPITarget | None
    direction_previous: str | None
    direction_last_year: str | None
    overdue_period: date | None  # the latest period past its lag with no result

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else kpi_rules.GREY

    @property
    def value_display(self) -> str:
        return self.kpi.format(self.latest.value if self.latest else None)

    @property
    def target_display(self) -> str:
        return self.kpi.format(self.target.target if self.target else None)

    @property
    def period_label(self) -> str:
        if not self.latest:
            return "No results yet"
        return kpi_rules.period_label(self.latest.period_end, self.kpi.frequency, self.kpi.start_month)

    @property
    def is_exception(self) -> bool:
        return self.status == kpi_rules.RED or self.direction_previous == kpi_rules.WORSENING


def _latest_due_period(kpi: KPI, today: date) -> date:
    """The most recent period end whose result should be in by today."""
    end = kpi_rules.period_end_for(today - timedelta(days=kpi.data_lag_days), kpi.frequency, kpi.start_month)
    if end + timedelta(days=kpi.data_lag_days) >= today:
        end = kpi_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return end


def kpi_scorecard(
    kpis: QuerySet[KPI], *, today: date | None = None, as_of: date | None = None
) -> list[ScorecardRow]:
    """One row per KPI: latest result (up to ``as_of``), previous period, same period
    last year, its target and status, both directions and an overdue marker.
    Three queries whatever the number of KPIs."""
    today = today or date.today()
    as_of = as_of or today
    kpi_list = list(kpis.select_related("service", "owner", "organisation"))
    if not kpi_list:
        return []
    ids = [k.pk for k in kpi_list]
    # Latest, previous and same-period-last-year fall within ~2 years for monthly and
    # quarterly KPIs and ~3 for annual ones: load only that window.
    recent = as_of - timedelta(days=800)
    oldest = as_of - timedelta(days=1200)
    results = (
        KPIResult.objects.filter(kpi_id__in=ids, period_end__lte=as_of)
        .filter(Q(period_end__gte=recent) | Q(kpi__frequency=kpi_rules.ANNUAL, period_end__gte=oldest))
        .order_by("kpi_id", "-period_end")
    )
    by_kpi: dict[int, dict[date, KPIResult]] = {}
    for r in results:
        by_kpi.setdefault(r.kpi_id, {})[r.period_end] = r
    targets: dict[tuple[int, int], KPITarget] = {
        (t.kpi_id, t.financial_year): t for t in KPITarget.objects.filter(kpi_id__in=ids)
    }
    rows = []
    for kpi in kpi_list:
        mine = by_kpi.get(kpi.pk, {})
        latest = mine[max(mine)] if mine else None
        previous = last_year = target = None
        if latest:
            start = kpi.start_month
            previous = mine.get(kpi_rules.previous_period_end(latest.period_end, kpi.frequency, start))
            last_year = mine.get(kpi_rules.same_period_last_year(latest.period_end, kpi.frequency, start))
            target = targets.get((kpi.pk, kpi_rules.financial_year_start(latest.period_end, start)))
        due = _latest_due_period(kpi, today)
        overdue = due if due <= as_of and due not in mine and kpi.active else None
        rows.append(
            ScorecardRow(
                kpi=kpi,
                latest=latest,
                previous=previous,
                last_year=last_year,
                target=target,
                direction_previous=kpi_rules.direction_of_travel(
                    current=latest.value if latest else None,
                    previous=previous.value if previous else None,
                    polarity=kpi.polarity,
                ),
                direction_last_year=kpi_rules.direction_of_travel(
                    current=latest.value if latest else None,
                    previous=last_year.value if last_year else None,
                    polarity=kpi.polarity,
                ),
                overdue_period=overdue,
            )
        )
    return rows


def status_counts(rows: list[ScorecardRow]) -> dict[str, int]:
    counts = {s: 0 for s in kpi_rules.STATUSES}
    for row in rows:
        counts[row.status] += 1
    return counts
