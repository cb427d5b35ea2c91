"""Writes for KPI results by import: check a whole results file, then save all of it or none."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import clock
from core.queueing import request_recompute
from core.text_limits import MAX_TEXT_LENGTH, too_long_message
from organisations.access import Viewer
from organisations.models import KPI, AuditEvent, AuditEventKind, Employee, KPIResult, KPITarget, Organisation
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.services import kpi_csv
from organisations.services.kpi_sign_off import SIGN_OFF_FIELDS, mark_submitted, save_trail, trail_event
from organisations.services.kpis import result_status


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
    by: Employee | None = None,
    may_edit: Callable[[KPI], bool] | None = None,
    today: date | None = None,
    sign_off: bool = False,
) -> ImportOutcome:
    """Validate the rows as they stream in, then save all of them or none.
    Bounded whatever the file holds: checking stops at the first
    ``MAX_IMPORT_ERRORS`` problems (counting the rows not checked), at
    ``MAX_IMPORT_ROWS`` rows and after ``MAX_IMPORT_SECONDS``.

    A row is rejected for: an unknown KPI code (or one ``may_edit`` refuses), a
    date that is not a date or not one of the KPI's period ends, a period that
    has not ended, a value that is not a number, a second row for the same KPI
    and period, or a red result without a corrective action. Existing results
    for the same period are corrected. Every result imported awaits sign-off,
    unless ``sign_off`` (someone who may sign off every KPI in the file ticked
    the box): then it is signed off as imported; a KPI they may not sign off is
    a row's problem. Three queries to validate, whatever the
    size of the file (KPIs, targets, existing results), then the bulk writes.
    """
    today = today or clock.today()
    if sign_off and by is None:
        raise ValueError("signing off on import needs the person who imports")
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
    signer = Viewer(by) if sign_off else None

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
            if sign_off and parsed and parsed[-1][0] is row and not signer.can_sign_off_kpi(parsed[-1][1]):
                kpi = parsed.pop()[1]
                errors.append(
                    RowError(row.number, "kpi_code", f"You may not sign off the results of {kpi.code}.")
                )
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
    return _save_results(
        outcome, organisation, parsed, ids, targets, by, has_public=has_public, sign_off=sign_off
    )


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
        elif not year_rules.is_period_end(period_end, kpi.frequency, kpi.start_month):
            nearest = year_rules.period_end_for(period_end, kpi.frequency, kpi.start_month)
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
        year = year_rules.financial_year_start(period_end, kpi.start_month)
        target = targets.get((kpi.pk, year))
        status = result_status(kpi, target, value, period_end=period_end)
        if status == kpi_rules.RED and not action:
            row_errors.append(
                RowError(
                    row.number,
                    "corrective_action",
                    f"{kpi.format(value)} is red against the {_target_name(kpi, target, period_end)} "
                    f"of {kpi.format(target.target_for(period_end))}: enter a corrective action.",
                )
            )
        else:
            parsed.append((row, kpi, period_end, value, commentary, action, public))
            used[kpi.pk] = kpi
    errors.extend(row_errors)


def _target_name(kpi: KPI, target: KPITarget, period_end: date) -> str:
    """ "2026/27 target", or for a profiled target "Q1 2026/27 profiled target"."""
    if target.is_profiled:
        return f"{year_rules.period_label(period_end, kpi.frequency, kpi.start_month)} profiled target"
    return f"{year_rules.fy_label(target.financial_year, kpi.start_month)} target"


def _save_results(
    outcome, organisation, parsed, ids, targets, by, has_public=False, sign_off=False
) -> ImportOutcome:
    errors = outcome.errors
    existing = {
        (r.kpi_id, r.period_end): r
        for r in KPIResult.objects.filter(kpi_id__in=ids, period_end__in={p[2] for p in parsed})
    }
    now = clock.now()
    user = by.user if by is not None else None
    to_create: list[KPIResult] = []
    to_update: list[KPIResult] = []
    trail: list[AuditEvent] = []
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
        year = year_rules.financial_year_start(period_end, kpi.start_month)
        result.status = result_status(kpi, targets.get((kpi.pk, year)), value, period_end=period_end)
        result.entered_by = user
        result.entered_at = now
        kind = mark_submitted(result, by=by, at=now, sign_off=sign_off)
        if by is not None:
            trail.append(trail_event(kind, by, result, now, detail="Imported"))
            if sign_off:
                trail.append(
                    trail_event(AuditEventKind.RESULT_VALIDATED, by, result, now, detail="On import")
                )
        try:
            # Field limits and the model's own rules. Uniqueness was checked above and
            # the foreign keys were loaded, so neither costs a query per row.
            result.full_clean(
                exclude=["kpi", "entered_by", "submitted_by", "validated_by", "returned_by"],
                validate_unique=False,
                validate_constraints=False,
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
                *SIGN_OFF_FIELDS,
            ],
            batch_size=1000,
            default_user=user,
            default_change_reason="Imported",
        )
    save_trail(trail)
    request_recompute(organisation.pk, kpis={r.kpi_id for r in [*to_create, *to_update]})
    outcome.created, outcome.updated = len(to_create), len(to_update)
    outcome.kpis = list({id(p[1]): p[1] for p in parsed}.values())
    return outcome
