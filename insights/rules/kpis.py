"""KPI flags: ``kpi_red``, ``kpi_worsening`` and ``kpi_data_missing``.

The deciding functions are pure: they take a KPI's recent results as plain
values, one per consecutive period (newest first, None where a period has no
result), and return a severity or None. :func:`candidates` loads the
organisation's active KPIs through the scorecard selector (three queries
whatever the number of KPIs) and turns its rows into flag candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse

from insights.models import FlagKind, FlagSeverity, SubjectType
from insights.rules import thresholds as t
from insights.services.figures import own_kpis
from insights.services.flagging import FlagCandidate
from organisations.models import KPI
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.kpis import ScorecardRow, kpi_scorecard


@dataclass(frozen=True)
class PeriodResult:
    """One period of a KPI as the rules see it."""

    period_end: date
    value: Decimal | None  # None: no result for the period
    status: str | None = None


# --- Pure rules --------------------------------------------------------------


def red_run(series: Sequence[PeriodResult]) -> int:
    """Consecutive red periods counting back from the newest; a gap ends the run."""
    run = 0
    for p in series:
        if p.value is None or p.status != kpi_rules.RED:
            break
        run += 1
    return run


def kpi_red_severity(series: Sequence[PeriodResult]) -> str | None:
    """``kpi_red``: the latest result is red (medium); red for
    KPI_RED_HIGH_AFTER_PERIODS periods running is high."""
    run = red_run(series)
    if run == 0:
        return None
    return FlagSeverity.HIGH if run >= t.KPI_RED_HIGH_AFTER_PERIODS else FlagSeverity.MEDIUM


def worsening_run(series: Sequence[PeriodResult], polarity: str, materiality: Decimal | int = 0) -> int:
    """How many periods running each result was worse than the period before it,
    counting back from the newest. Without a polarity nothing is "worse"; a
    missing period or no change (a change smaller than ``materiality``, the KPI's
    threshold) ends the run."""
    run = 0
    for current, previous in zip(series, series[1:], strict=False):
        direction = kpi_rules.direction_of_travel(
            current=current.value, previous=previous.value, polarity=polarity, materiality=materiality
        )
        if direction != kpi_rules.WORSENING:
            break
        run += 1
    return run


def kpi_worsening_severity(
    series: Sequence[PeriodResult], polarity: str, materiality: Decimal | int = 0
) -> str | None:
    """``kpi_worsening``: worse than the period before, KPI_WORSENING_PERIODS periods
    running, by at least the KPI's materiality, while the latest result is amber or
    has no target (medium). A green result still meets its target (the scorecard
    shows the trend); a red one has its ``kpi_red`` flag, which says it is worsening too."""
    if worsening_run(series, polarity, materiality) < t.KPI_WORSENING_PERIODS:
        return None
    if series[0].status in (kpi_rules.RED, kpi_rules.GREEN):
        return None
    return FlagSeverity.MEDIUM


def kpi_data_missing_severity(missing_periods: Sequence[date], missing_in_a_row: int) -> str | None:
    """``kpi_data_missing``: a period past its lag without a result. High when the
    latest KPI_DATA_MISSING_HIGH_PERIODS due periods running are missing, medium
    when the latest due one is, low when only an earlier period in the year is."""
    if not missing_periods:
        return None
    if missing_in_a_row >= t.KPI_DATA_MISSING_HIGH_PERIODS:
        return FlagSeverity.HIGH
    if missing_in_a_row >= 1:
        return FlagSeverity.MEDIUM
    return FlagSeverity.LOW


# --- Loading and evidence ------------------------------------------------------

RULE_RED = (
    "The KPI's latest result is red against its target for the year. Medium; high when "
    f"it has been red {t.KPI_RED_HIGH_AFTER_PERIODS} periods running."
)
RULE_WORSENING = (
    f"Each of the last {t.KPI_WORSENING_PERIODS} results was worse than the period before it "
    "(allowing for which way is better, and by at least the KPI's smallest change that counts), "
    "and the latest is amber or has no target. Medium. (A green result still meets its target; "
    "a red one's flag is ‘KPI red’. A cumulative year-to-date figure builds through the year, so it "
    "is not compared period on period: its direction is against the same period last year.)"
)
RULE_MISSING = (
    "A period's result has not been recorded although its data lag has passed (looking back a year). "
    f"Medium when the latest due period is missing; high when the last {t.KPI_DATA_MISSING_HIGH_PERIODS} "
    "due periods running are; low when only an earlier period is."
)


def _series(row: ScorecardRow, periods: int) -> list[PeriodResult]:
    kpi = row.kpi
    out = []
    if not row.latest:
        return out
    end = row.latest.period_end
    for result in row.series(periods):
        out.append(
            PeriodResult(
                period_end=end,
                value=result.value if result else None,
                status=result.status if result else None,
            )
        )
        end = year_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return out


def _links(kpi: KPI, *, record_period: date | None = None) -> list[dict[str, str]]:
    links = [
        {"label": f"{kpi.code} {kpi.name}", "url": reverse("organisations:kpi_detail", args=[kpi.pk])},
        {
            "label": f"{kpi.service.name} scorecard",
            "url": reverse("organisations:kpi_scorecard", args=[kpi.service_id]),
        },
    ]
    if record_period:
        url = reverse("organisations:kpi_result_record", args=[kpi.pk])
        links.append(
            {"label": "Record the missing result", "url": f"{url}?period={record_period.isoformat()}"}
        )
    return links


def _base_evidence(row: ScorecardRow) -> dict:
    kpi = row.kpi
    return {
        "kpi": {"id": kpi.pk, "code": kpi.code, "name": kpi.name},
        "service": kpi.service.name,
        "owner": kpi.owner.full_name if kpi.owner else None,
        "polarity": kpi.get_polarity_display(),
        "frequency": kpi.frequency,
    }


def _period_facts(row: ScorecardRow, series: list[PeriodResult]) -> list[dict]:
    kpi = row.kpi
    return [
        {
            "period_end": p.period_end.isoformat(),
            "period": year_rules.period_label(p.period_end, kpi.frequency, kpi.start_month),
            "value": str(p.value) if p.value is not None else None,
            "value_display": kpi.format(p.value),
            "status": p.status,
        }
        for p in series
    ]


def _target_facts(row: ScorecardRow) -> dict:
    target = row.target
    if target is None:
        return {"target": None}
    return {
        "target": str(target.target),
        "target_display": row.target_display,
        "financial_year": target.label,
        "tolerance_kind": target.tolerance_kind,
        "green_tolerance": str(target.green_tolerance),
        "amber_tolerance": str(target.amber_tolerance),
    }


def candidates_for_rows(rows: list[ScorecardRow]) -> list[FlagCandidate]:
    out: list[FlagCandidate] = []
    # Enough periods to decide, and up to a year back so the evidence gives the
    # whole run ("red for 5 periods running"), not just the part that decided.
    span = max(t.KPI_RED_HIGH_AFTER_PERIODS, t.KPI_WORSENING_PERIODS + 1, 13)
    for row in rows:
        kpi = row.kpi
        common = {"subject_type": SubjectType.KPI, "subject_id": kpi.pk, "service_id": kpi.service_id}
        series = _series(row, span)
        # A year-to-date figure is not worse or better than the period before it: it
        # builds through the year (kpi_rules.headline_direction).
        polarity = kpi_rules.NONE if kpi.cumulative else kpi.polarity
        if series:
            severity = kpi_red_severity(series)
            if severity:
                run = red_run(series)
                worse = worsening_run(series, polarity, kpi.materiality)
                out.append(
                    FlagCandidate(
                        kind=FlagKind.KPI_RED,
                        severity=severity,
                        title=f"{kpi.code} {kpi.name} is red"
                        + (f" for {run} periods running" if run > 1 else f" ({row.period_label})")
                        + (" and worsening" if worse >= t.KPI_WORSENING_PERIODS else ""),
                        rule=RULE_RED,
                        evidence={
                            **_base_evidence(row),
                            **_target_facts(row),
                            "red_periods_running": run,
                            "worsening_periods_running": worse,
                            "periods": _period_facts(row, series[: max(run, 1) + 1]),
                            "corrective_action": row.latest.corrective_action,
                            "links": _links(kpi),
                        },
                        **common,
                    )
                )
            severity = kpi_worsening_severity(series, polarity, kpi.materiality)
            if severity:
                run = worsening_run(series, polarity, kpi.materiality)
                out.append(
                    FlagCandidate(
                        kind=FlagKind.KPI_WORSENING,
                        severity=severity,
                        title=f"{kpi.code} {kpi.name} has worsened {run} periods running",
                        rule=RULE_WORSENING,
                        evidence={
                            **_base_evidence(row),
                            **_target_facts(row),
                            "worsening_periods_running": run,
                            "smallest_change_that_counts": kpi_rules.materiality_words(
                                kpi.materiality, kpi.unit
                            ),
                            "periods": _period_facts(row, series[: run + 1]),
                            "links": _links(kpi),
                        },
                        **common,
                    )
                )
        severity = kpi_data_missing_severity(row.missing_periods, row.missing_in_a_row)
        if severity:
            labels = [year_rules.period_label(d, kpi.frequency, kpi.start_month) for d in row.missing_periods]
            newest = row.missing_periods[0]
            out.append(
                FlagCandidate(
                    kind=FlagKind.KPI_DATA_MISSING,
                    severity=severity,
                    title=f"{kpi.code} {kpi.name}: no result for {labels[0]}"
                    + (
                        f" and {len(labels) - 1} other period{'s' if len(labels) > 2 else ''}"
                        if len(labels) > 1
                        else ""
                    ),
                    rule=RULE_MISSING,
                    evidence={
                        **_base_evidence(row),
                        "data_lag_days": kpi.data_lag_days,
                        "missing_periods": [d.isoformat() for d in row.missing_periods],
                        "missing_period_labels": labels,
                        "missing_in_a_row": row.missing_in_a_row,
                        "latest_result_period": row.latest.period_end.isoformat() if row.latest else None,
                        "links": _links(kpi, record_period=newest),
                    },
                    **common,
                )
            )
    return out


def kpi_figures(rows: list[ScorecardRow]) -> dict[int, dict]:
    """Each service's own KPIs by the status their row shows, and its exceptions
    (id, code, status, worsening), for the dashboards' read model."""
    out: dict[int, dict] = {}
    for row in rows:
        figures = out.setdefault(row.kpi.service_id, {"counts": {}, "exceptions": []})
        figures["counts"][row.status] = figures["counts"].get(row.status, 0) + 1
        if row.is_exception:
            figures["exceptions"].append([row.kpi.pk, row.kpi.code, row.status, row.is_worsening])
    return out


def candidates(ctx) -> list[FlagCandidate]:
    """Every KPI flag for the organisation: three queries (the scorecard's)."""
    kpis = KPI.objects.filter(organisation=ctx.organisation, active=True).select_related("owner")  # evidence
    if ctx.slice is not None:
        if not ctx.slice.scope.kpis:
            return []
        # Every KPI of the touched KPIs' services, for those services' figures; flags
        # are written for the touched KPIs only (the slice holds no others).
        services = set(
            KPI.objects.filter(organisation=ctx.organisation, pk__in=ctx.slice.scope.kpis).values_list(
                "service_id", flat=True
            )
        )
        kpis = kpis.filter(service_id__in=services)
    rows = kpi_scorecard(kpis, today=ctx.today)
    ctx.shared["kpi_scorecard"] = rows
    own_kpis(ctx, kpi_figures(rows), None if ctx.slice is None else services)
    found = candidates_for_rows(rows)
    ctx.counts["kpi_flags"] = len(found)
    return found
