"""Reads for KPI pages, dashboards, reports and the flag run: the scorecard in
four queries whatever the number of KPIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from core import clock
from organisations.models import COUNTED_STATES, KPI, PUBLISHED_STATES, KPIResult, KPITarget, ResultState
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules

# How far back the data-missing check looks: a year of periods. Older gaps are
# history, not a prompt to chase a figure.
MISSING_LOOKBACK_DAYS = 365

# Results loaded per KPI: latest, previous and same period last year lie within
# ~2 years for monthly and quarterly KPIs and ~3 for annual ones.
_WINDOW_DAYS = 800
_ANNUAL_WINDOW_DAYS = 1200


@dataclass(frozen=True)
class ResultPoint:
    """One period's figures, as the rules and charts need them."""

    pk: int
    period_end: date
    value: Decimal
    status: str
    state: str = ResultState.VALIDATED

    @property
    def is_validated(self) -> bool:
        return self.state == ResultState.VALIDATED


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
    # Every period in the last year that is past its lag with no result, newest
    # first (not before the KPI's first result, so a new KPI is not in arrears).
    missing_periods: list[date] = field(default_factory=list)
    # The figures of this KPI's results (about two years), by period end: every
    # result from ``figures_from`` to the as-of date is here.
    by_period: dict[date, ResultPoint] = field(default_factory=dict, repr=False)
    figures_from: date | None = None

    @property
    def status(self) -> str:
        """The latest result's status; "no_result" (kpi_rules.NO_RESULT) without one."""
        return self.latest.status if self.latest else kpi_rules.NO_RESULT

    @property
    def has_result(self) -> bool:
        return self.latest is not None

    @property
    def value_display(self) -> str:
        return self.kpi.format(self.latest.value if self.latest else None)

    @property
    def target_value(self) -> Decimal | None:
        """The latest period's target: the year's target, or its profiled value for the period."""
        if self.target is None:
            return None
        if self.latest is None:
            return self.target.target
        return self.target.target_for(self.latest.period_end)

    @property
    def target_display(self) -> str:
        return self.kpi.format(self.target_value)

    @property
    def direction(self) -> str | None:
        """The direction the row is judged by: against the previous period, or for
        a cumulative KPI against the same period last year (year to date)."""
        return kpi_rules.headline_direction(
            cumulative=self.kpi.cumulative,
            direction_previous=self.direction_previous,
            direction_last_year=self.direction_last_year,
        )

    @property
    def period_label(self) -> str:
        if not self.latest:
            return kpi_rules.NO_RESULT_LABEL
        return year_rules.period_label(self.latest.period_end, self.kpi.frequency, self.kpi.start_month)

    @property
    def overdue_label(self) -> str:
        if not self.overdue_period:
            return ""
        return year_rules.period_label(self.overdue_period, self.kpi.frequency, self.kpi.start_month)

    @property
    def missing_in_a_row(self) -> int:
        """Consecutive periods without a result, counting back from the latest due period."""
        if not self.overdue_period:
            return 0
        run, expected = 0, self.overdue_period
        for missing in self.missing_periods:
            if missing != expected:
                break
            run += 1
            expected = year_rules.previous_period_end(missing, self.kpi.frequency, self.kpi.start_month)
        return run

    @property
    def is_worsening(self) -> bool:
        return self.direction == kpi_rules.WORSENING

    @property
    def is_exception(self) -> bool:
        """What a committee report lists first, under the organisation's rule
        (Organisation.exception_rule; overdue data is marked on its own)."""
        return kpi_rules.is_exception(
            status=self.status, direction=self.direction, rule=self.kpi.organisation.exception_rule
        )

    def series(self, periods: int) -> list[ResultPoint | None]:
        """The results of ``periods`` consecutive periods ending with the latest,
        newest first; None where a period has no result."""
        if not self.latest:
            return []
        out: list[KPIResult | None] = []
        end = self.latest.period_end
        for _ in range(periods):
            out.append(self.by_period.get(end))
            end = year_rules.previous_period_end(end, self.kpi.frequency, self.kpi.start_month)
        return out


def latest_due_period(kpi: KPI, today: date) -> date:
    """The most recent period end whose result should be in by today (its lag has passed)."""
    end = year_rules.period_end_for(today - timedelta(days=kpi.data_lag_days), kpi.frequency, kpi.start_month)
    while not year_rules.is_result_overdue(period_end=end, today=today, lag_days=kpi.data_lag_days):
        end = year_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return end


def _missing_periods(kpi: KPI, due: date, mine: dict[date, ResultPoint], as_of: date) -> list[date]:
    if due > as_of:
        return []
    if not mine:
        return [due]  # nothing yet: only the latest due period is chased
    first = min(mine)
    horizon = due - timedelta(days=MISSING_LOOKBACK_DAYS)
    missing, end = [], due
    while end > horizon and end >= first:
        if end not in mine:
            missing.append(end)
        end = year_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return missing


def kpi_scorecard(
    kpis: QuerySet[KPI],
    *,
    today: date | None = None,
    as_of: date | None = None,
    figures_only: bool = False,
    published_only: bool = False,
) -> list[ScorecardRow]:
    """One row per KPI: latest result (up to ``as_of``), previous period, same period
    last year, its target and status, both directions, an overdue marker and the
    periods missing in the last year.

    Four queries whatever the number of KPIs: the KPIs (with service and
    organisation); the figures of their results in a window of about two years
    (plain tuples: the rules need only period, value and status); the latest,
    previous and last year's results in full (commentary, corrective action);
    and the targets of the years in the window.

    ``figures_only``: for a page that shows only each KPI's figures, status and
    directions (a dashboard's exceptions): the latest, previous and last year's
    results are the figures (:class:`ResultPoint`: period, value, status, no
    commentary), so three queries, and no missing periods are worked out.

    Which results count: those submitted or signed off (a returned one counts
    nowhere until submitted again); ``published_only``: signed off alone, for the
    committee report, the public page and the API (docs/KPI_COLLECTION.md).
    """
    today = today or clock.today()
    as_of = as_of or today
    # Not the owner: no scorecard shows one, and a person's row is the costliest to
    # build; a caller that needs it adds select_related("owner") to ``kpis``.
    kpi_list = list(kpis.select_related("service", "organisation"))
    if not kpi_list:
        return []
    ids = [k.pk for k in kpi_list]
    annual = [k.pk for k in kpi_list if k.frequency == year_rules.ANNUAL]
    recent = as_of - timedelta(days=_WINDOW_DAYS)
    oldest = as_of - timedelta(days=_ANNUAL_WINDOW_DAYS)
    window = Q(period_end__gte=recent)
    if annual:
        window |= Q(kpi_id__in=annual, period_end__gte=oldest)
    # No ORDER BY: the model's ordering (by the KPI's code) would join and sort
    # thousands of rows only to be put in dicts.
    figures = (
        KPIResult.objects.filter(kpi_id__in=ids, period_end__lte=as_of)
        .filter(window, state__in=PUBLISHED_STATES if published_only else COUNTED_STATES)
        .order_by()
        .values_list("pk", "kpi_id", "period_end", "value", "status", "state")
    )
    by_kpi: dict[int, dict[date, ResultPoint]] = {}
    for pk, kpi_id, period_end, value, status, state in figures:
        by_kpi.setdefault(kpi_id, {})[period_end] = ResultPoint(pk, period_end, value, status, state)

    picked: dict[int, tuple[ResultPoint | None, ResultPoint | None, ResultPoint | None]] = {}
    for kpi in kpi_list:
        mine = by_kpi.get(kpi.pk)
        if not mine:
            continue
        latest = mine[max(mine)]
        start = kpi.start_month
        previous = mine.get(year_rules.previous_period_end(latest.period_end, kpi.frequency, start))
        last_year = mine.get(year_rules.same_period_last_year(latest.period_end, kpi.frequency, start))
        picked[kpi.pk] = (latest, previous, last_year)
    wanted = {p.pk for trio in picked.values() for p in trio if p is not None}
    full: dict = {}
    if figures_only:
        full = {p.pk: p for trio in picked.values() for p in trio if p is not None}
    elif wanted:
        full = {r.pk: r for r in KPIResult.objects.filter(pk__in=wanted).order_by()}

    # A year's target is needed only for a latest result: the years those fall in.
    by_id = {k.pk: k for k in kpi_list}
    years = {
        year_rules.financial_year_start(trio[0].period_end, by_id[kpi_id].start_month)
        for kpi_id, trio in picked.items()
    }
    targets: dict[tuple[int, int], KPITarget] = {
        (t.kpi_id, t.financial_year): t
        for t in KPITarget.objects.filter(kpi_id__in=ids, financial_year__in=years or {0}).order_by()
    }
    rows = []
    for kpi in kpi_list:
        mine = by_kpi.get(kpi.pk, {})
        latest = previous = last_year = target = None
        if kpi.pk in picked:
            latest, previous, last_year = (full[p.pk] if p else None for p in picked[kpi.pk])
            for r in (latest, previous, last_year):
                if r is not None and not figures_only:
                    r.kpi = kpi  # no query for r.kpi later
            year = year_rules.financial_year_start(latest.period_end, kpi.start_month)
            target = targets.get((kpi.pk, year))
        due = latest_due_period(kpi, today)
        missing = _missing_periods(kpi, due, mine, as_of) if kpi.active and not figures_only else []
        rows.append(
            ScorecardRow(
                kpi=kpi,
                latest=latest,
                previous=previous,
                last_year=last_year,
                target=target,
                direction_previous=kpi.direction_since_previous(
                    latest.value if latest else None, previous.value if previous else None
                ),
                direction_last_year=kpi.direction(
                    latest.value if latest else None, last_year.value if last_year else None
                ),
                overdue_period=due if missing and missing[0] == due else None,
                missing_periods=missing,
                by_period=mine,
                figures_from=oldest if kpi.frequency == year_rules.ANNUAL else recent,
            )
        )
    return rows


def latest_statuses(
    kpis: QuerySet[KPI], *, as_of: date, published_only: bool = False
) -> list[tuple[int, int, str]]:
    """(KPI id, service id, status) for each KPI: the status column of
    :func:`kpi_scorecard` (its latest result in the same window, "no_result"
    without one) and nothing else, in one query and no model instances, for pages that
    only count KPIs by status."""
    recent = as_of - timedelta(days=_WINDOW_DAYS)
    oldest = as_of - timedelta(days=_ANNUAL_WINDOW_DAYS)
    latest = (
        KPIResult.objects.filter(kpi_id=OuterRef("pk"), period_end__lte=as_of)
        .filter(state__in=PUBLISHED_STATES if published_only else COUNTED_STATES)
        .filter(Q(period_end__gte=recent) | Q(kpi__frequency=year_rules.ANNUAL, period_end__gte=oldest))
        .order_by("-period_end")
        .values("status")[:1]
    )
    return [
        (pk, service_id, status or kpi_rules.NO_RESULT)
        for pk, service_id, status in kpis.order_by()
        .annotate(latest_status=Subquery(latest))
        .values_list("pk", "service_id", "latest_status")
    ]


def status_counts(rows: list[ScorecardRow]) -> dict[str, int]:
    """KPIs by the status their row shows, worst first: red, amber, green,
    monitoring only, no result."""
    counts = {s: 0 for s in kpi_rules.SHOWN_STATUSES}
    for row in rows:
        counts[row.status] += 1
    return counts


@dataclass
class ScorecardSummary:
    total: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    grey: int = 0  # judged, but monitoring only (no target or no polarity)
    no_result: int = 0
    worsening: int = 0
    overdue: int = 0


def scorecard_summary(rows: list[ScorecardRow]) -> ScorecardSummary:
    """Counts for a heading line: by status (KPIs with no result apart from grey),
    worsening against the previous period, and overdue."""
    summary = ScorecardSummary(total=len(rows))
    for row in rows:
        if row.latest is None:
            summary.no_result += 1
        else:
            setattr(summary, row.status, getattr(summary, row.status) + 1)
        summary.worsening += row.is_worsening
        summary.overdue += row.overdue_period is not None
    return summary
