"""Reads for benchmarks: each KPI's place among other councils, and the
benchmarks page's measures by comparator group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min

from core import glossary
from organisations.models import KPI, BenchmarkFigure, BenchmarkImport, ComparatorGroup, Organisation
from organisations.models.benchmarks import GROUP_ORDER
from organisations.rules import benchmarks as benchmark_rules
from organisations.rules import kpis as kpi_rules

# Where the council's own figure came from.
FROM_FILE = "file"  # its row in the benchmark file (its area code)
FROM_RESULT = "result"  # its own recorded result for the same period end


@dataclass
class KPIBenchmark:
    """A KPI against one comparator group, for the latest comparable period: the
    latest period with the council's own figure (else the latest period, unranked)."""

    kpi: KPI
    comparator_group: str
    measure: str
    measure_name: str
    period: str  # as the file names it
    period_end: date
    comparison: benchmark_rules.Comparison
    own_from: str  # FROM_FILE, FROM_RESULT or "" (no figure for the council)
    source: str

    @property
    def group_label(self) -> str:
        return ComparatorGroup(self.comparator_group).label

    @property
    def position(self) -> str:
        return self.comparison.position

    @property
    def position_label(self) -> str:
        return glossary.QUARTILE[self.position].label

    def _show(self, value: Decimal | None) -> str:
        return self.kpi.format(value) if value is not None else kpi_rules.MISSING

    @property
    def value_display(self) -> str:
        return self._show(self.comparison.value)

    @property
    def median_display(self) -> str:
        return self._show(self.comparison.median)

    @property
    def best_boundary_display(self) -> str:
        return self._show(self.comparison.best_boundary)

    @property
    def worst_boundary_display(self) -> str:
        return self._show(self.comparison.worst_boundary)

    @property
    def own_from_words(self) -> str:
        return {
            FROM_FILE: "this council's row in the benchmark file",
            FROM_RESULT: "this council's own recorded result for the period",
        }.get(self.own_from, "")

    @property
    def top_quartile_words(self) -> str:
        """Where the top quartile starts: "60.0% or more" (on the boundary counts)."""
        if self.comparison.best_boundary is None:
            return ""
        more = "less" if self.kpi.polarity == kpi_rules.LOWER else "more"
        return f"{self.best_boundary_display} or {more}"

    @property
    def bottom_quartile_words(self) -> str:
        """Where the bottom quartile starts: "below 40.0%"."""
        if self.comparison.worst_boundary is None:
            return ""
        beyond = "above" if self.kpi.polarity == kpi_rules.LOWER else "below"
        return f"{beyond} {self.worst_boundary_display}"

    @property
    def not_ranked_reason(self) -> str:
        """Why there is no quartile, in words; empty when there is one."""
        c = self.comparison
        if c.is_ranked:
            return ""
        if c.value is None:
            return "no figure for this council for the period"
        if self.kpi.polarity == kpi_rules.NONE:
            return "the KPI has no better direction"
        return f"fewer than {benchmark_rules.MIN_GROUP_SIZE} councils have a figure"


def _own_value(point) -> Decimal | None:
    return getattr(point, "value", point)


def kpi_benchmarks(
    kpis: Iterable[KPI],
    organisation: Organisation,
    *,
    own_results: Mapping[int, Mapping[date, object]] | None = None,
    as_of: date | None = None,
) -> dict[int, list[KPIBenchmark]]:
    """Each KPI with a benchmark measure against every comparator group holding
    figures for it (in ``GROUP_ORDER``: the first is the one scorecards and the
    committee report show), for the latest comparable period ending by ``as_of``.

    The council's own figure is its row in the file (``Organisation.area_code``),
    else its own result for the same period end from ``own_results`` (KPI id to
    {period end: value or ResultPoint}, as a scorecard row's ``by_period`` holds
    them); a result is added to the group when the file has no row for the
    council. One query (no query without a linked KPI)."""
    kpis = [k for k in kpis if k.benchmark_measure]
    if not kpis:
        return {}
    own_results = own_results or {}
    figures = BenchmarkFigure.objects.filter(
        organisation=organisation, measure__in={k.benchmark_measure for k in kpis}
    )
    if as_of is not None:
        figures = figures.filter(period_end__lte=as_of)
    # measure -> group -> period end -> {area code: value}; with each period's label.
    data: dict[str, dict[str, dict[date, dict[str, Decimal]]]] = {}
    labels: dict[tuple[str, str, date], str] = {}
    names: dict[str, str] = {}
    sources: dict[tuple[str, str], str] = {}
    for measure, name, group, area, period, end, value, source in figures.order_by().values_list(
        "measure",
        "measure_name",
        "comparator_group",
        "area_code",
        "period",
        "period_end",
        "value",
        "benchmark_import__source",
    ):
        data.setdefault(measure, {}).setdefault(group, {}).setdefault(end, {})[area] = value
        labels[(measure, group, end)] = period
        if name:
            names.setdefault(measure, name)
        if source:
            sources.setdefault((measure, group), source)
    area_code = (organisation.area_code or "").strip().upper()
    out: dict[int, list[KPIBenchmark]] = {}
    for kpi in kpis:
        groups = data.get(kpi.benchmark_measure, {})
        mine = own_results.get(kpi.pk, {})
        for group in sorted(groups, key=GROUP_ORDER.index):
            periods = groups[group]
            chosen = None
            for end in sorted(periods, reverse=True):
                if area_code and area_code in periods[end]:
                    chosen = (end, periods[end][area_code], FROM_FILE)
                elif _own_value(mine.get(end)) is not None:
                    chosen = (end, _own_value(mine.get(end)), FROM_RESULT)
                if chosen:
                    break
            if chosen is None:
                end = max(periods)
                chosen = (end, None, "")
            end, value, own_from = chosen
            group_values = list(periods[end].values())
            if own_from == FROM_RESULT:
                group_values.append(value)
            out.setdefault(kpi.pk, []).append(
                KPIBenchmark(
                    kpi=kpi,
                    comparator_group=group,
                    measure=kpi.benchmark_measure,
                    measure_name=names.get(kpi.benchmark_measure, ""),
                    period=labels[(kpi.benchmark_measure, group, end)],
                    period_end=end,
                    comparison=benchmark_rules.compare(
                        value=value, group=group_values, polarity=kpi.polarity
                    ),
                    own_from=own_from,
                    source=sources.get((kpi.benchmark_measure, group), ""),
                )
            )
    return out


def headline_benchmarks(rows, organisation: Organisation, *, as_of: date | None = None) -> list[KPIBenchmark]:
    """For scorecard rows (``selectors.kpis.ScorecardRow``, or the report's rows
    with ``kpi`` and ``by_period``): each benchmarked KPI against its first
    comparator group, in the rows' order. One query."""
    rows = list(rows)
    found = kpi_benchmarks(
        [r.kpi for r in rows],
        organisation,
        own_results={r.kpi.pk: getattr(r, "by_period", {}) for r in rows},
        as_of=as_of,
    )
    return [found[r.kpi.pk][0] for r in rows if r.kpi.pk in found]


@dataclass
class MeasureSummary:
    measure: str
    measure_name: str
    first_period_end: date
    last_period_end: date
    periods: int
    areas: int
    figures: int
    kpis: list[KPI]
    has_own_area: bool


def measures_by_group(organisation: Organisation) -> list[dict]:
    """The benchmarks page: each comparator group with figures, its measures (the
    span of periods, the areas and figures held, the KPIs linked, whether the
    organisation's own area is among them). Queries: the measures, the
    organisation's own rows, the linked KPIs: three at most."""
    rows = (
        BenchmarkFigure.objects.filter(organisation=organisation)
        .values("comparator_group", "measure")
        .annotate(
            first=Min("period_end"),
            last=Max("period_end"),
            periods=Count("period_end", distinct=True),
            areas=Count("area_code", distinct=True),
            figures=Count("pk"),
            name=Max("measure_name"),
        )
        .order_by("measure")
    )
    rows = list(rows)
    area = (organisation.area_code or "").strip().upper()
    own = set()
    if area:
        own = set(
            BenchmarkFigure.objects.filter(organisation=organisation, area_code=area)
            .order_by()
            .values_list("comparator_group", "measure")
            .distinct()
        )
    linked: dict[str, list[KPI]] = {}
    measures = {r["measure"] for r in rows}
    if measures:
        for kpi in KPI.objects.filter(organisation=organisation, benchmark_measure__in=measures).order_by(
            "code"
        ):
            linked.setdefault(kpi.benchmark_measure, []).append(kpi)
    groups: dict[str, list[MeasureSummary]] = {}
    for r in rows:
        groups.setdefault(r["comparator_group"], []).append(
            MeasureSummary(
                measure=r["measure"],
                measure_name=r["name"] or "",
                first_period_end=r["first"],
                last_period_end=r["last"],
                periods=r["periods"],
                areas=r["areas"],
                figures=r["figures"],
                kpis=linked.get(r["measure"], []),
                has_own_area=(r["comparator_group"], r["measure"]) in own,
            )
        )
    return [
        {"code": g, "label": ComparatorGroup(g).label, "measures": groups[g]}
        for g in GROUP_ORDER
        if g in groups
    ]


def recent_imports(organisation: Organisation, limit: int = 20) -> list[BenchmarkImport]:
    """The latest imports with who made them. One query."""
    return list(
        BenchmarkImport.objects.filter(organisation=organisation).select_related("imported_by")[:limit]
    )
