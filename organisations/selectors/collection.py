"""Reads for the collection page: for one reporting period, where each KPI's
result stands (due, overdue, returned, awaiting sign-off, signed off), by
service, and the sign-off queue (docs/KPI_COLLECTION.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from organisations.access import Viewer, visible
from organisations.models import KPI, KPIResult
from organisations.rules import collection as rules
from organisations.rules import years as year_rules

# The periods the page offers: month ends, newest first, this many.
PERIODS_OFFERED = 13


@dataclass
class CollectionRow:
    kpi: KPI
    result: KPIResult | None
    standing: str
    due: date
    days_late: int
    may_sign_off: bool

    @property
    def awaiting_sign_off(self) -> bool:
        return self.standing == rules.SUBMITTED


@dataclass
class ServiceCollection:
    service_id: int
    path: str
    every: list[CollectionRow] = field(default_factory=list)  # every KPI of the service
    rows: list[CollectionRow] = field(default_factory=list)  # those the filter keeps

    @property
    def counts(self) -> dict[str, int]:
        return count_standings(self.every)


@dataclass
class Collection:
    period_end: date
    rows: list[CollectionRow]  # every KPI reported for the period (before the standing filter)
    services: list[ServiceCollection]  # by service, each with its counts

    @property
    def shown(self) -> list[ServiceCollection]:
        """The services with a row the standing filter keeps."""
        return [s for s in self.services if s.rows]

    @property
    def counts(self) -> dict[str, int]:
        return count_standings(self.rows)

    @property
    def queue(self) -> list[CollectionRow]:
        """Awaiting sign-off by the viewer: the sign-off queue."""
        return [r for r in self.rows if r.awaiting_sign_off and r.may_sign_off]


def count_standings(rows: list[CollectionRow]) -> dict[str, int]:
    counts = {s: 0 for s in rules.STANDINGS}
    for r in rows:
        counts[r.standing] += 1
    return counts


def default_period(offered: list[date], today: date) -> date:
    """The period the page opens on: the newest month whose results are due by
    now under the usual data lag (KPI.data_lag_days' default), so what is
    late and what awaits sign-off show first; other periods are a choice away."""
    usual_lag = KPI._meta.get_field("data_lag_days").default
    return next((d for d in offered if rules.due_date(d, usual_lag) < today), offered[-1])


def periods_offered(today: date, start_month: int) -> list[date]:
    """The month ends the page offers, newest first: the last month that has ended, and earlier."""
    end = year_rules.previous_period_end(today, year_rules.MONTHLY, start_month)
    out = []
    for _ in range(PERIODS_OFFERED):
        out.append(end)
        end = year_rules.previous_period_end(end, year_rules.MONTHLY, start_month)
    return out


def collection(
    viewer: Viewer,
    *,
    period_end: date,
    today: date,
    service_ids: set[int] | None = None,
    standing: str = "",
) -> Collection:
    """Each active KPI the viewer may see that reports a period ending on
    ``period_end`` (monthly ones every month, quarterly ones at a quarter's end,
    annual ones at the year's end), with its result for the period and where it
    stands; ``service_ids`` limits the KPIs and ``standing`` what is listed (the
    counts are of every KPI in the services). Queries: the KPIs (with service and owner), the results
    of the period (with who submitted and returned them), the viewer's services:
    three, whatever the number of KPIs."""
    start = viewer.organisation.financial_year_start_month
    kpis = visible(KPI, viewer).filter(active=True).select_related("service", "owner", "organisation")
    if service_ids is not None:
        kpis = kpis.filter(service_id__in=service_ids)
    reported = [k for k in kpis.order_by("code") if year_rules.is_period_end(period_end, k.frequency, start)]
    results = {
        r.kpi_id: r
        for r in KPIResult.objects.filter(kpi__in=[k.pk for k in reported], period_end=period_end)
        .select_related("submitted_by", "returned_by", "validated_by")
        .order_by()
    }
    rows = []
    for kpi in reported:
        result = results.get(kpi.pk)
        if result is not None:
            result.kpi = kpi
        due = rules.due_date(period_end, kpi.data_lag_days)
        rows.append(
            CollectionRow(
                kpi=kpi,
                result=result,
                standing=rules.standing(
                    state=result.state if result else None,
                    period_end=period_end,
                    lag_days=kpi.data_lag_days,
                    today=today,
                ),
                due=due,
                days_late=max((today - due).days, 0),
                may_sign_off=viewer.can_sign_off_kpi(kpi),
            )
        )
    groups: dict[int, ServiceCollection] = {}
    for row in rows:
        service = row.kpi.service
        if service.pk not in groups:
            groups[service.pk] = ServiceCollection(service.pk, viewer.tree.path(service))
        groups[service.pk].every.append(row)
        if not standing or row.standing == standing:
            groups[service.pk].rows.append(row)
    services = sorted(groups.values(), key=lambda g: g.path.lower())
    return Collection(period_end=period_end, rows=rows, services=services)
