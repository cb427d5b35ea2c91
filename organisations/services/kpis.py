"""Writes for KPIs: definitions, yearly targets, results (one at a time or by import).

Each service is keyword-only, runs in one transaction, validates with
``full_clean()``, records who did it (``entered_by`` on results and the
simple-history user on every change) and asks for the organisation's flags to
be recomputed once the change is committed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import clock
from core.queueing import request_recompute
from core.text_limits import MAX_TEXT_LENGTH, too_long_message
from organisations.models import KPI, KPIResult, KPITarget, Organisation, Service
from organisations.rules import kpis as kpi_rules
from organisations.services import kpi_csv

KPI_FIELDS = (
    "service",
    "code",
    "name",
    "definition",
    "unit",
    "decimal_places",
    "polarity",
    "frequency",
    "cumulative",
    "data_lag_days",
    "owner",
    "active",
    "published",
)


def _as_history_user(obj: Any, by: Any) -> None:
    # Outside a request simple-history cannot know the user: tell it.
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by


def result_status(kpi: KPI, target: KPITarget | None, value: Decimal) -> str:
    """Status of a value against its year's target (grey without one)."""
    if target is None:
        return kpi_rules.GREY
    return target.status_for(value, kpi.polarity)


def target_for(kpi: KPI, period_end: date) -> KPITarget | None:
    year = kpi_rules.financial_year_start(period_end, kpi.start_month)
    return KPITarget.objects.filter(kpi=kpi, financial_year=year).first()


def _regrade(kpi: KPI, *, financial_year: int | None = None, by: Any = None) -> tuple[int, int]:
    """Recompute the stored status of a KPI's results (of one financial year, or
    all) after its target or polarity changed. Returns (changed, red without a
    corrective action): a result that turns red keeps its figures; the missing
    action is for its owner to add, and the flag run will prompt them."""
    targets = {t.financial_year: t for t in KPITarget.objects.filter(kpi=kpi)}
    results = list(KPIResult.objects.filter(kpi=kpi))
    changed = []
    reds_without_action = 0
    for r in results:
        year = kpi_rules.financial_year_start(r.period_end, kpi.start_month)
        if financial_year is not None and year != financial_year:
            continue
        status = result_status(kpi, targets.get(year), r.value)
        if status != r.status:
            r.status = status
            changed.append(r)
            if status == kpi_rules.RED and not r.corrective_action.strip():
                reds_without_action += 1
    if changed:
        bulk_update_with_history(
            changed, KPIResult, ["status"], default_user=by, default_change_reason="Re-graded"
        )
    return len(changed), reds_without_action


@transaction.atomic
def kpi_create(
    *, organisation: Organisation, service: Service, code: str, name: str, by: Any = None, **fields
) -> KPI:
    """Define a KPI. ``fields`` are the other KPI fields (unit, polarity, ...)."""
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown KPI fields: {sorted(unknown)}")
    kpi = KPI(organisation=organisation, service=service, code=code.strip().upper(), name=name, **fields)
    kpi.full_clean()
    _as_history_user(kpi, by)
    kpi.save()
    request_recompute(organisation.pk)
    return kpi


@dataclass
class KPIUpdateOutcome:
    kpi: KPI
    regraded: int = 0
    reds_without_action: int = 0


@transaction.atomic
def kpi_update(*, kpi: KPI, by: Any = None, **changes) -> KPIUpdateOutcome:
    """Change a KPI's definition. Its frequency cannot change once it has results
    (their period ends would no longer be periods); a new polarity re-grades them."""
    unknown = set(changes) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown KPI fields: {sorted(unknown)}")
    before = KPI.objects.select_for_update().get(pk=kpi.pk)
    if "code" in changes:
        changes["code"] = changes["code"].strip().upper()
    for name, value in changes.items():
        setattr(kpi, name, value)
    if kpi.frequency != before.frequency and KPIResult.objects.filter(kpi=kpi).exists():
        raise ValidationError(
            {"frequency": "This KPI has results, so its frequency cannot change. Create a new KPI instead."}
        )
    kpi.full_clean()
    _as_history_user(kpi, by)
    kpi.save()
    outcome = KPIUpdateOutcome(kpi=kpi)
    if kpi.polarity != before.polarity:
        outcome.regraded, outcome.reds_without_action = _regrade(kpi, by=by)
    request_recompute(kpi.organisation_id)
    return outcome


@dataclass
class TargetOutcome:
    target: KPITarget
    created: bool
    regraded: int = 0
    reds_without_action: int = 0


@transaction.atomic
def kpi_target_set(
    *,
    kpi: KPI,
    financial_year: int,
    target: Decimal,
    tolerance_kind: str = kpi_rules.PERCENT,
    green_tolerance: Decimal = Decimal(0),
    amber_tolerance: Decimal = Decimal(5),
    by: Any = None,
) -> TargetOutcome:
    """Set (or change) a KPI's target for a financial year and re-grade that
    year's results against it."""
    obj = KPITarget.objects.select_for_update().filter(kpi=kpi, financial_year=financial_year).first()
    created = obj is None
    if created:
        obj = KPITarget(kpi=kpi, financial_year=financial_year)
    obj.target = target
    obj.tolerance_kind = tolerance_kind
    obj.green_tolerance = green_tolerance
    obj.amber_tolerance = amber_tolerance
    obj.full_clean()
    _as_history_user(obj, by)
    obj.save()
    regraded, reds = _regrade(kpi, financial_year=financial_year, by=by)
    request_recompute(kpi.organisation_id)
    return TargetOutcome(target=obj, created=created, regraded=regraded, reds_without_action=reds)


@transaction.atomic
def kpi_result_record(
    *,
    kpi: KPI,
    period_end: date,
    value: Decimal,
    commentary: str = "",
    corrective_action: str = "",
    public_commentary: str | None = None,
    by: Any = None,
) -> tuple[KPIResult, bool]:
    """Record a period's result, or correct it if one exists. The status is
    computed from the target of the period's financial year; a red result needs
    a corrective action. ``public_commentary`` None leaves the published text as
    it is. Returns the result and whether it was created."""
    result = KPIResult.objects.select_for_update().filter(kpi=kpi, period_end=period_end).first()
    created = result is None
    if created:
        result = KPIResult(kpi=kpi, period_end=period_end)
    result.kpi = kpi  # the caller's instance: its organisation is already loaded
    result.value = value
    result.commentary = commentary.strip()
    result.corrective_action = corrective_action.strip()
    if public_commentary is not None:
        result.public_commentary = public_commentary.strip()
    result.status = result_status(kpi, target_for(kpi, period_end), value)
    if by is not None and getattr(by, "is_authenticated", False):
        result.entered_by = by
    result.full_clean()
    _as_history_user(result, by)
    result.save()
    request_recompute(kpi.organisation_id)
    return result, created


# --- Import ------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


# Bounds on the work one upload can cause, whatever is in it: checking stops at
# the first MAX_IMPORT_ERRORS problems (the rest are counted, not checked), at
# MAX_IMPORT_ROWS rows, and after MAX_IMPORT_SECONDS.
MAX_IMPORT_ERRORS = 100
MAX_IMPORT_ROWS = 10_000
MAX_IMPORT_SECONDS = 20.0


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    kpis: list[KPI] = field(default_factory=list)
    unchecked: int = 0  # rows not checked once checking stopped
    stopped: str = ""  # why checking stopped early, in words

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def kpi_results_import(
    *,
    organisation: Organisation,
    rows: Iterable[kpi_csv.CsvRow],
    by: Any = None,
    may_edit: Callable[[KPI], bool] | None = None,
    today: date | None = None,
) -> ImportOutcome:
    """Validate the rows as they stream in, then save all of them or none.
    Bounded whatever the file holds: checking stops at the first
    ``MAX_IMPORT_ERRORS`` problems (counting the rows not checked), at
    ``MAX_IMPORT_ROWS`` rows and after ``MAX_IMPORT_SECONDS``.

    A row is rejected for: an unknown KPI code (or one ``may_edit`` refuses), a
    date that is not a date or not one of the KPI's period ends, a period that
    has not ended, a value that is not a number, a second row for the same KPI
    and period, or a red result without a corrective action. Existing results
    for the same period are corrected. Three queries to validate, whatever the
    size of the file (KPIs, targets, existing results), then the bulk writes.
    """
    today = today or clock.today()
    outcome = ImportOutcome()
    errors = outcome.errors
    # Every KPI of the organisation (a few hundred at most) and their targets, so
    # the rows can be read once, as they stream, and codes match whatever their case.
    kpis = {
        k.code.upper(): k
        for k in KPI.objects.filter(organisation=organisation).select_related("organisation")
    }
    targets = {
        (t.kpi_id, t.financial_year): t for t in KPITarget.objects.filter(kpi__organisation=organisation)
    }
    used: dict[int, KPI] = {}

    parsed: list[tuple[kpi_csv.CsvRow, KPI, date, Decimal, str, str, str]] = []
    # Without the optional column the published text of corrected results is kept.
    has_public = False
    seen: dict[tuple[int, date], int] = {}
    deadline = time.monotonic() + MAX_IMPORT_SECONDS
    rows = iter(rows)
    count = 0
    try:
        for row in rows:
            count += 1
            if count == 1:
                has_public = "public_commentary" in row.cells
            if count > MAX_IMPORT_ROWS:
                outcome.stopped = f"The file has more than {MAX_IMPORT_ROWS:,} rows of results: split it into smaller files."
                break
            if len(errors) >= MAX_IMPORT_ERRORS:
                # Count what is left (no further than the row limit) without checking it.
                left = 1 + sum(1 for _ in itertools.islice(rows, MAX_IMPORT_ROWS - count + 1))
                if count - 1 + left > MAX_IMPORT_ROWS:
                    outcome.unchecked = MAX_IMPORT_ROWS - count + 1
                    outcome.stopped = (
                        f"the rest of the file was not checked: it has more than {MAX_IMPORT_ROWS:,} "
                        "rows, the most one import takes"
                    )
                else:
                    outcome.unchecked = left
                    outcome.stopped = f"{left:,} more row{'s were' if left != 1 else ' was'} not checked"
                break
            if time.monotonic() > deadline:
                outcome.stopped = "The file took too long to check: split it into smaller files."
                break
            _check_row(row, organisation, kpis, targets, seen, used, parsed, errors, today, may_edit)
    except kpi_csv.CsvFileError as exc:
        errors.append(RowError(0, "", str(exc)))
    del errors[MAX_IMPORT_ERRORS:]
    if outcome.stopped and not errors:
        errors.append(RowError(0, "", outcome.stopped))
    ids = list(used)
    if errors:
        return outcome
    if not parsed:
        errors.append(RowError(0, "", "The file has no results in it."))
        return outcome
    return _save_results(outcome, organisation, parsed, ids, targets, by, has_public=has_public)


def _check_row(row, organisation, kpis, targets, seen, used, parsed, errors, today, may_edit) -> None:
    """Check one row, adding its problems to ``errors`` or it to ``parsed``."""
    cells = row.cells
    row_errors: list[RowError] = []
    code = cells["kpi_code"].strip().upper()
    kpi = kpis.get(code)
    if not code:
        row_errors.append(RowError(row.number, "kpi_code", "Enter a KPI code."))
    elif kpi is None:
        row_errors.append(
            RowError(row.number, "kpi_code", f"There is no KPI with the code '{code}' in {organisation}.")
        )
    elif may_edit is not None and not may_edit(kpi):
        row_errors.append(RowError(row.number, "kpi_code", f"You may not record results for {kpi.code}."))
        kpi = None

    period_text = cells["period_end"].strip()
    period_end = kpi_csv.parse_date(period_text)
    if not period_text:
        row_errors.append(RowError(row.number, "period_end", "Enter the date the period ended."))
    elif period_end is None:
        row_errors.append(
            RowError(
                row.number,
                "period_end",
                f"'{period_text}' is not a date. Write it as YYYY-MM-DD or DD/MM/YYYY, like 2026-06-30.",
            )
        )
    elif kpi is not None:
        # The future first: a date near 31/12/9999 has no period end Python can hold.
        if period_end > today:
            row_errors.append(
                RowError(
                    row.number,
                    "period_end",
                    f"The period ending {period_end:%d/%m/%Y} has not ended yet.",
                )
            )
        elif not kpi_rules.is_period_end(period_end, kpi.frequency, kpi.start_month):
            nearest = kpi_rules.period_end_for(period_end, kpi.frequency, kpi.start_month)
            row_errors.append(
                RowError(
                    row.number,
                    "period_end",
                    f"{period_end:%d/%m/%Y} is not the end of one of {kpi.code}'s "
                    f"{kpi.get_frequency_display().lower()} periods; did you mean {nearest:%d/%m/%Y}?",
                )
            )
        else:
            earlier = seen.get((kpi.pk, period_end))
            if earlier is not None:
                row_errors.append(
                    RowError(
                        row.number,
                        "period_end",
                        f"Row {earlier} already gives {kpi.code} for this period: "
                        "keep one row per KPI and period.",
                    )
                )
            else:
                seen[(kpi.pk, period_end)] = row.number

    value, value_error = kpi_csv.parse_value(cells["value"])
    if value_error:
        row_errors.append(RowError(row.number, "value", value_error))

    commentary = kpi_csv.unprotect_cell(cells["commentary"].strip())
    action = kpi_csv.unprotect_cell(cells["corrective_action"].strip())
    public = kpi_csv.unprotect_cell(cells.get("public_commentary", "").strip())
    for column, label, text in (
        ("commentary", "Commentary", commentary),
        ("corrective_action", "Corrective action", action),
        ("public_commentary", "Public commentary", public),
    ):
        if len(text) > MAX_TEXT_LENGTH:
            row_errors.append(RowError(row.number, column, too_long_message(label, MAX_TEXT_LENGTH)))
    if not row_errors and kpi is not None and period_end is not None and value is not None:
        year = kpi_rules.financial_year_start(period_end, kpi.start_month)
        target = targets.get((kpi.pk, year))
        status = result_status(kpi, target, value)
        if status == kpi_rules.RED and not action:
            row_errors.append(
                RowError(
                    row.number,
                    "corrective_action",
                    f"{kpi.format(value)} is red against the {kpi_rules.fy_label(year, kpi.start_month)} "
                    f"target of {kpi.format(target.target)}: enter a corrective action.",
                )
            )
        else:
            parsed.append((row, kpi, period_end, value, commentary, action, public))
            used[kpi.pk] = kpi
    errors.extend(row_errors)


def _save_results(outcome, organisation, parsed, ids, targets, by, has_public=False) -> ImportOutcome:
    errors = outcome.errors
    existing = {
        (r.kpi_id, r.period_end): r
        for r in KPIResult.objects.filter(kpi_id__in=ids, period_end__in={p[2] for p in parsed})
    }
    now = clock.now()
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    to_create: list[KPIResult] = []
    to_update: list[KPIResult] = []
    for row, kpi, period_end, value, commentary, action, public in parsed:
        result = existing.get((kpi.pk, period_end))
        is_new = result is None
        if is_new:
            result = KPIResult(kpi=kpi, period_end=period_end)
        result.kpi = kpi
        result.value = value
        result.commentary = commentary
        result.corrective_action = action
        if has_public:
            result.public_commentary = public
        year = kpi_rules.financial_year_start(period_end, kpi.start_month)
        result.status = result_status(kpi, targets.get((kpi.pk, year)), value)
        result.entered_by = user
        result.entered_at = now
        try:
            # Field limits and the model's own rules. Uniqueness was checked above and
            # the foreign keys were loaded, so neither costs a query per row.
            result.full_clean(
                exclude=["kpi", "entered_by"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                errors.extend(RowError(row.number, column, m) for m in messages)
            continue
        (to_create if is_new else to_update).append(result)
    if errors:
        return outcome

    if to_create:
        bulk_create_with_history(to_create, KPIResult, batch_size=1000, default_user=user)
    if to_update:
        bulk_update_with_history(
            to_update,
            KPIResult,
            [
                "value",
                "status",
                "commentary",
                "corrective_action",
                *(["public_commentary"] if has_public else []),
                "entered_by",
                "entered_at",
            ],
            batch_size=1000,
            default_user=user,
            default_change_reason="Imported",
        )
    request_recompute(organisation.pk)
    outcome.created, outcome.updated = len(to_create), len(to_update)
    outcome.kpis = list({id(p[1]): p[1] for p in parsed}.values())
    return outcome
