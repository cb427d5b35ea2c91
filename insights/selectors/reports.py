"""KPI status counts, the quarterly report's rows and the public page's trends.

Set-based: a fixed number of queries whatever the size of the tree; each
function's docstring gives its count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from organisations.models import KPI, KPIResult, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.kpis import ResultPoint, ScorecardRow

ZERO = Decimal("0")
# --- KPIs ------------------------------------------------------------------


def public_kpis(organisation):
    """The KPIs an organisation publishes on its public page (no viewer: the page
    is public), by service and code. Lazy."""
    return KPI.objects.filter(organisation=organisation, published=True, active=True).order_by(
        "service__name", "code"
    )


def kpi_status_by_service(rows: Iterable[ScorecardRow]) -> dict[int, dict[str, int]]:
    """Scorecard rows counted by the KPI's service and status. No query."""
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        counts = result.setdefault(row.kpi.service_id, {s: 0 for s in kpi_rules.SHOWN_STATUSES})
        counts[row.status] += 1
    return result


def kpi_status_counts_by_service(statuses: Iterable[tuple[int, int, str]]) -> dict[int, dict[str, int]]:
    """:func:`kpi_status_by_service` over ``latest_statuses``' triples. No query."""
    result: dict[int, dict[str, int]] = {}
    for _kpi_id, service_id, status in statuses:
        counts = result.setdefault(service_id, {s: 0 for s in kpi_rules.SHOWN_STATUSES})
        counts[status] += 1
    return result


def add_counts(dicts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {s: 0 for s in kpi_rules.SHOWN_STATUSES}
    for d in dicts:
        for k, v in d.items():
            total[k] = total.get(k, 0) + v
    return total


# --- The quarterly report --------------------------------------------------


@dataclass
class QuarterRow:
    """One KPI in a quarter: its result (the quarter-end month's for a monthly
    KPI), against the previous quarter and the same quarter last year."""

    kpi: KPI
    result: KPIResult | None
    target: KPITarget | None
    # The comparisons' figures (period, value, status): the scorecard's, or loaded.
    previous_quarter: ResultPoint | None
    last_year: ResultPoint | None
    direction_previous: str | None
    direction_last_year: str | None

    @property
    def status(self) -> str:
        return self.result.status if self.result else kpi_rules.NO_RESULT

    @property
    def has_result(self) -> bool:
        return self.result is not None

    @property
    def is_exception(self) -> bool:
        """Under the organisation's rule (Organisation.exception_rule), against the previous
        quarter (a cumulative KPI against the same quarter last year)."""
        direction = kpi_rules.headline_direction(
            cumulative=self.kpi.cumulative,
            direction_previous=self.direction_previous,
            direction_last_year=self.direction_last_year,
        )
        return kpi_rules.is_exception(
            status=self.status, direction=direction, rule=self.kpi.organisation.exception_rule
        )

    @property
    def period_label(self) -> str:
        if not self.result:
            return "No result for this quarter"
        return year_rules.period_label(self.result.period_end, self.kpi.frequency, self.kpi.start_month)

    @property
    def target_value(self):
        """The quarter's target: the year's, or its profiled value for the result's period."""
        if self.target is None:
            return None
        if self.result is None:
            return self.target.target
        return self.target.target_for(self.result.period_end)

    def show(self, result: KPIResult | None) -> str:
        return self.kpi.format(result.value if result else None)

    @property
    def value_display(self) -> str:
        return self.show(self.result)

    @property
    def target_display(self) -> str:
        return self.kpi.format(self.target_value)

    @property
    def previous_display(self) -> str:
        return self.show(self.previous_quarter)

    @property
    def last_year_display(self) -> str:
        return self.show(self.last_year)


def _quarter_earlier(period_end: date, frequency: str, start_month: int) -> date:
    """The comparable period one quarter earlier: three months back for a
    monthly KPI, the previous quarter or year otherwise."""
    if frequency == year_rules.MONTHLY:
        end = period_end
        for _ in range(3):
            end = year_rules.previous_period_end(end, frequency, start_month)
        return end
    return year_rules.previous_period_end(period_end, frequency, start_month)


def quarter_rows(rows: list[ScorecardRow], quarter_start: date) -> list[QuarterRow]:
    """Turn a scorecard taken as of a quarter's end into the report's rows. A
    monthly or quarterly KPI with nothing inside the quarter has no result for
    it. The comparisons come from the figures the scorecard already holds (about
    two years of each KPI); one query, for those older than that, of signed-off
    results alone (the report shows nothing else: take the scorecard with
    ``published_only``)."""
    wanted: dict[tuple[int, date], str] = {}
    current: dict[int, KPIResult | None] = {}
    for row in rows:
        kpi, latest = row.kpi, row.latest
        if latest and kpi.frequency != year_rules.ANNUAL and latest.period_end < quarter_start:
            latest = None
        current[kpi.pk] = latest
        if latest:
            start = kpi.start_month
            wanted[(kpi.pk, _quarter_earlier(latest.period_end, kpi.frequency, start))] = "previous"
            wanted[(kpi.pk, year_rules.same_period_last_year(latest.period_end, kpi.frequency, start))] = (
                "last"
            )
    found: dict[tuple[int, date], ResultPoint] = {}
    held = {row.kpi.pk: row for row in rows}
    older = []
    for kpi_id, period_end in wanted:
        row = held[kpi_id]
        if row.figures_from is None or period_end < row.figures_from:
            older.append((kpi_id, period_end))
        elif period_end in row.by_period:
            found[(kpi_id, period_end)] = row.by_period[period_end]
    # Always the one query, empty when nothing is older: the report then costs the
    # same number of queries whatever the data (a KPI whose latest figure is stale
    # has its comparisons outside the window only now and then).
    for pk, kpi_id, period_end, value, status in (
        KPIResult.objects.published()
        .filter(kpi_id__in={k for k, _ in older} or {0}, period_end__in={d for _, d in older} or {date.min})
        .order_by()
        .values_list("pk", "kpi_id", "period_end", "value", "status")
    ):
        found[(kpi_id, period_end)] = ResultPoint(pk, period_end, value, status)
    result = []
    for row in rows:
        kpi = row.kpi
        latest = current[kpi.pk]
        previous = last = None
        if latest:
            start = kpi.start_month
            previous = found.get((kpi.pk, _quarter_earlier(latest.period_end, kpi.frequency, start)))
            last = found.get(
                (kpi.pk, year_rules.same_period_last_year(latest.period_end, kpi.frequency, start))
            )
        value = latest.value if latest else None
        result.append(
            QuarterRow(
                kpi=kpi,
                result=latest,
                target=row.target if latest else None,
                previous_quarter=previous,
                last_year=last,
                direction_previous=kpi.direction_since_previous(value, previous.value if previous else None),
                direction_last_year=kpi.direction(value, last.value if last else None),
            )
        )
    return result


def latest_complete_quarter(today: date, start_month: int) -> tuple[int, int]:
    """(financial year, quarter) of the last quarter that has ended by ``today``."""
    fy = year_rules.financial_year_start(today, start_month)
    q = year_rules.quarter_of(today, start_month)
    if q == 1:
        return fy - 1, 4
    return fy, q - 1


# --- Public trend ------------------------------------------------------------

TREND_POINTS = {year_rules.MONTHLY: 12, year_rules.QUARTERLY: 8, year_rules.ANNUAL: 5}


@dataclass
class TrendPoint:
    label: str
    value: str
    target: str
    status: str  # the result's red, amber, green or grey, for the chart and in words


def kpi_trends(kpis: list[KPI], today: date) -> dict[int, list[TrendPoint]]:
    """The recent signed-off results of each KPI (the public page's), oldest
    first, with the target of each result's year: 12 months, 8 quarters or 5
    years. Two queries."""
    if not kpis:
        return {}
    ids = [k.pk for k in kpis]
    results = (
        KPIResult.objects.published()
        .filter(kpi_id__in=ids, period_end__lte=today)
        .filter(
            Q(period_end__gte=today - timedelta(days=800))
            | Q(kpi__frequency=year_rules.ANNUAL, period_end__gte=today - timedelta(days=366 * 6))
        )
    )
    # Plain tuples, not model instances: a public page of a large council reads
    # thousands of results, and building each KPIResult cost more than the query.
    by_kpi: dict[int, list[tuple[date, Decimal, str]]] = {}
    for kpi_id, period_end, value, status in results.order_by("kpi_id", "period_end").values_list(
        "kpi_id", "period_end", "value", "status"
    ):
        by_kpi.setdefault(kpi_id, []).append((period_end, value, status))
    targets = dict(
        ((kpi_id, year), target)
        for kpi_id, year, target in KPITarget.objects.filter(kpi_id__in=ids)
        .order_by()
        .values_list("kpi_id", "financial_year", "target")
    )
    trends: dict[int, list[TrendPoint]] = {}
    for kpi in kpis:
        points = by_kpi.get(kpi.pk, [])[-TREND_POINTS[kpi.frequency] :]
        start = kpi.start_month
        trends[kpi.pk] = [
            TrendPoint(
                label=year_rules.period_label(period_end, kpi.frequency, start),
                value=kpi.format(value),
                target=kpi.format(targets.get((kpi.pk, year_rules.financial_year_start(period_end, start)))),
                status=status,
            )
            for period_end, value, status in points
        ]
    return trends
