"""Writes for benchmarks: check a whole file of other councils' figures, then
save all of it or none, and record who imported it."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from core import clock
from organisations.models import (
    AuditEventKind,
    BenchmarkFigure,
    BenchmarkImport,
    ComparatorGroup,
    Employee,
    Organisation,
)
from organisations.rules import benchmarks as benchmark_rules
from organisations.services import benchmark_csv, kpi_csv
from organisations.services.audit import audit_event_record, organisation_event_record
from organisations.services.kpi_import import MAX_IMPORT_ERRORS, MAX_IMPORT_ROWS, MAX_IMPORT_SECONDS, RowError

_AREA_CODE = re.compile(r"^[A-Z0-9]{1,12}$")
_MEASURE = re.compile(r"^[A-Za-z0-9_.:/\-]{1,60}$")
MAX_NAME = 200
MAX_PERIOD = 40


@dataclass
class BenchmarkOutcome:
    created: int = 0
    skipped: int = 0  # rows with no figure published
    errors: list[RowError] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    record: BenchmarkImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Figure:
    row: int
    measure: str
    measure_name: str
    area_code: str
    area_name: str
    period: str
    period_end: date
    value: Decimal


def clean_measure(text: str) -> str:
    """A measure's code as stored and matched: KPI.benchmark_measure is the same."""
    return (text or "").strip().upper()


def measure_problem(measure: str) -> str:
    """Why a measure code cannot be used, in words; empty when it can."""
    if not measure:
        return "Enter the measure's code."
    if not _MEASURE.match(measure):
        return "A measure's code is up to 60 letters, numbers, hyphens, dots or underscores, like 1234 or NI-192."
    return ""


@transaction.atomic
def benchmark_figures_import(
    *,
    organisation: Organisation,
    rows: Iterable[kpi_csv.CsvRow],
    comparator_group: str,
    by: Employee,
    measure: str = "",
    measure_name: str = "",
    source: str = "",
    filename: str = "",
    today: date | None = None,
) -> BenchmarkOutcome:
    """Check every row, then save all the figures or none. A row is refused for:
    no area code or one that is not a code (letters and numbers, such as
    E06000023), a period that names none (``rules.benchmarks.period_end``) or has
    not ended, a value that is not a number, a measure code that is missing or not
    a code, a name too long, or a second row for the same measure, area and
    period. A row whose value says no figure was published ("-", ":", "[x]",
    blank) is skipped and counted. The figures replace any this organisation holds
    for the same measure, group and periods. Bounded like the results import.
    Queries: none to check; to save, one delete, the bulk insert, the import's
    record and its audit event."""
    today = today or clock.today()
    if comparator_group not in ComparatorGroup.values:
        raise ValueError(f"unknown comparator group {comparator_group!r}")
    outcome = BenchmarkOutcome()
    errors = outcome.errors
    start_month = organisation.financial_year_start_month
    default_measure = clean_measure(measure)
    figures: list[_Figure] = []
    seen: dict[tuple[str, str, date], int] = {}
    deadline = time.monotonic() + MAX_IMPORT_SECONDS
    rows = iter(rows)
    count = 0
    try:
        for row in rows:
            count += 1
            if count > MAX_IMPORT_ROWS:
                errors.append(
                    RowError(
                        0,
                        "",
                        f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it into smaller files.",
                    )
                )
                break
            if len(errors) >= MAX_IMPORT_ERRORS:
                left = 1 + sum(1 for _ in itertools.islice(rows, MAX_IMPORT_ROWS))
                errors.append(
                    RowError(0, "", f"{left:,} more row{'s were' if left != 1 else ' was'} not checked.")
                )
                break
            if time.monotonic() > deadline:
                errors.append(
                    RowError(0, "", "The file took too long to check: split it into smaller files.")
                )
                break
            checked = _check_row(row, default_measure, measure_name, start_month, today, seen, errors)
            if checked is None:
                continue
            if checked == "skip":
                outcome.skipped += 1
            else:
                figures.append(checked)
    except kpi_csv.CsvFileError as exc:
        errors.append(RowError(0, "", str(exc)))
    if errors:
        return outcome
    if not figures:
        errors.append(RowError(0, "", "The file has no figures in it."))
        return outcome
    return _save(outcome, organisation, figures, comparator_group, by, source, filename)


def _check_row(row, default_measure, default_name, start_month, today, seen, errors):
    """The row's figure, "skip" when it has none published, or None (its problems
    added to ``errors``)."""
    cells = row.cells
    problems: list[RowError] = []
    measure = clean_measure(cells.get("measure", "")) or default_measure
    problem = measure_problem(measure)
    if problem:
        problems.append(RowError(row.number, "measure", problem))
    name = kpi_csv.unprotect_cell(cells.get("measure_name", "").strip()) or default_name
    area_name = kpi_csv.unprotect_cell(cells.get("area_name", "").strip())
    for column, label, text in (
        ("measure_name", "measure's name", name),
        ("area_name", "area's name", area_name),
    ):
        if len(text) > MAX_NAME:
            problems.append(
                RowError(row.number, column, f"The {label} must be {MAX_NAME} characters or fewer.")
            )
    area_code = cells["area_code"].strip().upper()
    if not area_code:
        problems.append(RowError(row.number, "area_code", "Enter the area's code, like E06000023."))
    elif not _AREA_CODE.match(area_code):
        problems.append(
            RowError(
                row.number,
                "area_code",
                f"'{cells['area_code'].strip()[:40]}' is not an area code: use the ONS code, like E06000023.",
            )
        )
    period = " ".join(cells["period"].split())
    end = benchmark_rules.period_end(period, start_month)
    if not period:
        problems.append(RowError(row.number, "period", "Enter the period, like 2025/26."))
    elif end is None or len(period) > MAX_PERIOD:
        problems.append(
            RowError(
                row.number,
                "period",
                f"'{period[:40]}' is not a period. Write a financial year like 2025/26, a quarter like "
                "Q2 2025/26, a year like 2025, a month like Mar 2026 or a date.",
            )
        )
    elif end > today:
        problems.append(RowError(row.number, "period", f"The period {period} has not ended yet."))
    raw = cells["value"].strip()
    if raw.lower() in benchmark_csv.NOT_PUBLISHED:
        errors.extend(problems)
        return None if problems else "skip"
    value, value_error = kpi_csv.parse_value(raw)
    if value_error:
        problems.append(RowError(row.number, "value", value_error))
    if not problems:
        key = (measure.upper(), area_code, end)
        earlier = seen.get(key)
        if earlier is not None:
            problems.append(
                RowError(
                    row.number,
                    "area_code",
                    f"Row {earlier} already gives {area_code} for {period}: keep one row per area and period.",
                )
            )
        else:
            seen[key] = row.number
    if problems:
        errors.extend(problems)
        return None
    return _Figure(row.number, measure, name, area_code, area_name, period, end, value)


def _save(outcome, organisation, figures, comparator_group, by, source, filename) -> BenchmarkOutcome:
    measures = sorted({f.measure for f in figures})
    replaced = Q()
    for m in measures:
        replaced |= Q(measure=m, period_end__in={f.period_end for f in figures if f.measure == m})
    BenchmarkFigure.objects.filter(organisation=organisation, comparator_group=comparator_group).filter(
        replaced
    ).delete()
    record = BenchmarkImport.objects.create(
        organisation=organisation,
        comparator_group=comparator_group,
        measures=measures,
        source=source.strip()[:300],
        filename=(filename or "benchmarks.csv")[:255],
        rows=len(figures),
        skipped=outcome.skipped,
        imported_by=by,
        imported_at=clock.now(),
    )
    BenchmarkFigure.objects.bulk_create(
        [
            BenchmarkFigure(
                organisation=organisation,
                benchmark_import=record,
                measure=f.measure,
                measure_name=f.measure_name,
                comparator_group=comparator_group,
                area_code=f.area_code,
                area_name=f.area_name,
                period=f.period,
                period_end=f.period_end,
                value=f.value,
            )
            for f in figures
        ],
        batch_size=1000,
    )
    group = ComparatorGroup(comparator_group).label
    audit_event_record(
        kind=AuditEventKind.BENCHMARK_IMPORT,
        actor=by,
        subject=None,
        subject_name=record.filename,
        detail=(
            f"{len(figures)} figure{'s' if len(figures) != 1 else ''} for {', '.join(measures)} "
            f"({group}); {outcome.skipped} row{'s' if outcome.skipped != 1 else ''} with no figure"
        ),
    )
    outcome.created, outcome.measures, outcome.record = len(figures), measures, record
    return outcome


@transaction.atomic
def organisation_area_code_set(*, organisation: Organisation, area_code: str, by: Employee) -> bool:
    """Set the organisation's area code (the ONS code benchmark files use for it),
    recorded as a settings change; False when it was already that."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old, new = org.area_code, (area_code or "").strip().upper()
    if old == new:
        return False
    org.area_code = new
    org.full_clean()
    org.save(update_fields=["area_code"])
    organisation.area_code = new
    organisation_event_record(
        kind=AuditEventKind.SETTINGS_CHANGED,
        actor=by,
        organisation=organisation,
        changes=[("Area code", old or "none", new or "none")],
    )
    return True
