"""Training records from the learning system's CSV: check every row, then save
all of them or none (the pattern of ``organisations.services.kpi_import``).

Columns: ``employee_number`` (the HR system's number, as on the person's
record), ``course`` (the mandatory course's name, any case) and ``completed_on``
(YYYY-MM-DD or DD/MM/YYYY). Other columns are ignored. A completion already
recorded (same person, course and date) is skipped, so the same export can be
imported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core import clock
from organisations.models import Employee, MandatoryCourse, Organisation, TrainingRecord, TrainingSource
from organisations.rules import registrations as rules
from organisations.services import kpi_csv
from organisations.services.kpi_import import MAX_IMPORT_ERRORS, MAX_IMPORT_ROWS, RowError

COLUMNS = ("employee_number", "course", "completed_on")


@dataclass
class TrainingImportOutcome:
    created: int = 0
    already: int = 0  # rows naming a completion already recorded
    errors: list[RowError] = field(default_factory=list)
    more: int = 0  # problems beyond those listed

    @property
    def ok(self) -> bool:
        return not self.errors


def iter_training_csv(stream, *, filename: str = "") -> Iterable[kpi_csv.CsvRow]:
    return kpi_csv.iter_csv(stream, filename=filename, required=COLUMNS)


@transaction.atomic
def training_import(
    *,
    organisation: Organisation,
    rows: Iterable[kpi_csv.CsvRow],
    by: Employee | None,
    today: date | None = None,
) -> TrainingImportOutcome:
    """Check every row, then save all of them or none. A row is rejected for: no
    or an unknown employee number (or a leaver's), an unknown course, a date that
    is not a date or is in the future, or the same completion twice in the file.
    Queries to check, whatever the size of the file: people 1, courses 1,
    completions already recorded 1; then one bulk insert."""
    today = today or clock.today()
    outcome = TrainingImportOutcome()
    people = {
        e.employee_number.strip().upper(): e
        for e in Employee.objects.filter(organisation=organisation).exclude(employee_number="")
    }
    courses = {c.name.strip().lower(): c for c in MandatoryCourse.objects.filter(organisation=organisation)}
    parsed: list[tuple[int, Employee, MandatoryCourse, date]] = []
    seen: dict[tuple[int, int, date], int] = {}
    errors: list[RowError] = []
    try:
        for count, row in enumerate(rows, start=1):
            if count > MAX_IMPORT_ROWS:
                errors.append(
                    RowError(
                        0,
                        "",
                        f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it into smaller files.",
                    )
                )
                break
            _check_row(row, organisation, people, courses, seen, parsed, errors, today)
    except kpi_csv.CsvFileError as exc:
        errors.append(RowError(0, "", str(exc)))
    if errors:
        outcome.errors, outcome.more = errors[:MAX_IMPORT_ERRORS], max(0, len(errors) - MAX_IMPORT_ERRORS)
        return outcome
    if not parsed:
        outcome.errors.append(RowError(0, "", "The file has no completions in it."))
        return outcome
    recorded = set(
        TrainingRecord.objects.filter(
            organisation=organisation, employee_id__in={p[1].pk for p in parsed}
        ).values_list("employee_id", "course_id", "completed_on")
    )
    new = []
    for _number, person, course, completed_on in parsed:
        if (person.pk, course.pk, completed_on) in recorded:
            outcome.already += 1
            continue
        new.append(
            TrainingRecord(
                organisation=organisation,
                employee=person,
                course=course,
                completed_on=completed_on,
                expires_on=rules.training_expires_on(completed_on, course.renewal_months),
                source=TrainingSource.IMPORT,
            )
        )
    if new:
        bulk_create_with_history(
            new, TrainingRecord, batch_size=1000, default_user=by.user if by is not None else None
        )
    outcome.created = len(new)
    return outcome


def _check_row(row, organisation, people, courses, seen, parsed, errors, today) -> None:
    cells = row.cells
    row_errors: list[RowError] = []
    number = kpi_csv.unprotect_cell(cells["employee_number"].strip())
    person = people.get(number.upper())
    if not number:
        row_errors.append(RowError(row.number, "employee_number", "Enter the person's employee number."))
    elif person is None:
        row_errors.append(
            RowError(
                row.number, "employee_number", f"No one in {organisation} has the employee number '{number}'."
            )
        )
    elif not person.active:
        row_errors.append(
            RowError(
                row.number, "employee_number", f"{person.full_name} ({number}) has left the organisation."
            )
        )
        person = None
    name = kpi_csv.unprotect_cell(cells["course"].strip())
    course = courses.get(name.lower())
    if not name:
        row_errors.append(RowError(row.number, "course", "Enter the course's name."))
    elif course is None:
        names = ", ".join(c.name for c in courses.values()) or "none yet"
        row_errors.append(
            RowError(
                row.number, "course", f"'{name[:100]}' is not a mandatory course. The courses are: {names}."
            )
        )
    text = cells["completed_on"].strip()
    completed_on = kpi_csv.parse_date(text)
    if not text:
        row_errors.append(RowError(row.number, "completed_on", "Enter the date the course was completed."))
    elif completed_on is None:
        row_errors.append(
            RowError(
                row.number,
                "completed_on",
                f"'{text[:30]}' is not a date. Write it as YYYY-MM-DD or DD/MM/YYYY, like 2026-06-30.",
            )
        )
    elif completed_on > today:
        row_errors.append(RowError(row.number, "completed_on", f"{completed_on:%d/%m/%Y} is in the future."))
    if not row_errors and person is not None and course is not None and completed_on is not None:
        key = (person.pk, course.pk, completed_on)
        if key in seen:
            row_errors.append(
                RowError(
                    row.number,
                    "completed_on",
                    f"Row {seen[key]} already gives this completion: keep one row for each.",
                )
            )
        else:
            seen[key] = row.number
            parsed.append((row.number, person, course, completed_on))
    errors.extend(row_errors)
