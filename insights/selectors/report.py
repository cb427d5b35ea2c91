"""The quarterly performance report for cabinet and scrutiny committees: what
the page shows and the CSV and Excel downloads export, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from insights import selectors
from organisations.access import Viewer
from organisations.models import KPI, Organisation, Risk, Service
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.benchmarks import KPIBenchmark, headline_benchmarks
from organisations.selectors.kpis import kpi_scorecard

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def quarter_label(financial_year: int, quarter: int, start_month: int) -> str:
    """ "Q2 2026/27 (July to September 2026)"."""
    start, end = year_rules.quarter_bounds(financial_year, quarter, start_month)
    return (
        f"Q{quarter} {year_rules.fy_label(financial_year, start_month)} "
        f"({MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]} {end.year})"
    )


@dataclass
class Report:
    organisation: Organisation
    service: Service | None  # None: the whole organisation
    financial_year: int
    quarter: int
    quarter_start: date
    quarter_end: date
    rows: list[selectors.QuarterRow]
    risks: list[Risk]
    workforce: selectors.Workforce
    supervision: selectors.Supervision
    today: date
    # Each benchmarked KPI against its first comparator group, for periods ending by the quarter's end.
    benchmarks: list[KPIBenchmark] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        return self.service.name if self.service else f"{self.organisation.name} (whole organisation)"

    @property
    def period_label(self) -> str:
        return quarter_label(self.financial_year, self.quarter, self.organisation.financial_year_start_month)

    @property
    def short_period(self) -> str:
        fy = year_rules.fy_label(self.financial_year, self.organisation.financial_year_start_month)
        return f"Q{self.quarter} {fy}"

    @property
    def exceptions(self) -> list[selectors.QuarterRow]:
        return [r for r in self.rows if r.is_exception]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in kpi_rules.SHOWN_STATUSES}
        for r in self.rows:
            counts[r.status] += 1
        return counts

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if not r.has_result)

    @property
    def filename(self) -> str:
        fy = year_rules.fy_label(self.financial_year, self.organisation.financial_year_start_month)
        scope = f"service-{self.service.pk}" if self.service else self.organisation.slug
        return f"performance-report-{fy.replace('/', '-')}-q{self.quarter}-{scope}"


def build_report(
    viewer: Viewer, *, financial_year: int, quarter: int, service: Service | None, today: date
) -> Report:
    """Every KPI of the scope as at the quarter's end, risks above target now,
    and today's workforce and supervision. Queries: scorecard 4 (its figures
    give the comparisons), risks 1, workforce and supervision counts 1, and the
    benchmark figures 1 when a KPI is linked to a benchmark measure."""
    org = viewer.organisation
    start_month = org.financial_year_start_month
    q_start, q_end = year_rules.quarter_bounds(financial_year, quarter, start_month)
    ids = viewer.service_subtree_ids(service) if service else None
    kpis = KPI.objects.filter(organisation=org, active=True)
    staff = viewer.employees().filter(active=True)
    if ids is not None:
        kpis = kpis.filter(service_id__in=ids)
        staff = staff.filter(service_id__in=ids)
    # Whole services: their stored figures (a read model), else counted here.
    whole = (
        ids
        if ids is not None
        else [s.pk for s in viewer.tree.services]
        if viewer.sees_whole_organisation
        else None
    )
    stored = selectors.stored_staff_figures(org, whole, today) if whole else None
    workforce_counts, compliance = stored or selectors.staff_figures(staff, org, today)
    # Signed-off results alone: a committee reads no figure nobody has checked.
    scorecard = kpi_scorecard(
        kpis.order_by("service__name", "code"), today=today, as_of=q_end, published_only=True
    )
    return Report(
        organisation=org,
        service=service,
        financial_year=financial_year,
        quarter=quarter,
        quarter_start=q_start,
        quarter_end=q_end,
        rows=selectors.quarter_rows(scorecard, q_start),
        risks=selectors.top_risks(org, ids, above_target_only=True, limit=None),
        workforce=selectors.workforce_mix(workforce_counts, None, org.interim_reliance_threshold),
        # The report gives the count of people overdue, not their names.
        supervision=selectors.supervision_over(compliance, staff, org, today, listed=0),
        today=today,
        benchmarks=headline_benchmarks(scorecard, org, as_of=q_end),
    )
