"""The dry run of a people import: check every row of an HR file against the
organisation and work out what applying it would change, without writing.

Three queries whatever the size of the file (the organisation's services, job
roles and people), then memory only. :func:`plan_people_import` returns a
:class:`Plan`: the rows' problems, or the new services, roles and people, the
changes field by field, the leavers and who would need a new line manager.
``people_import.py`` turns a plan into its summary and applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from organisations.models import Employee, EmploymentType, JobRole, Organisation, Service
from organisations.models.people import CONTINGENT_TYPES
from organisations.models.structure import ServiceTree
from organisations.services import hr_systems
from organisations.services.hr_files import HRFile
from organisations.services.people_services import ServiceResolver

MAX_ERRORS_SHOWN = 50
# Fields an import may change on an existing person, in the order the diff lists them.
TRACKED = (
    "first_name",
    "last_name",
    "email",
    "job_role_id",
    "service_id",
    "line_manager_id",
    "employment_type",
    "fte",
    "start_date",
    "end_date",
    "active",
    "left_on",
)
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Work email",
    "job_role_id": "Job role",
    "service_id": "Service",
    "line_manager_id": "Line manager",
    "employment_type": "Employment type",
    "fte": "FTE",
    "start_date": "Start date",
    "end_date": "Contract end",
    "active": "Working here",
    "left_on": "Left on",
}
# Columns that, when the file lacks them, leave the field as it is.
COLUMN_OF = {
    "email": "email",
    "employment_type": "employment_type",
    "fte": "fte",
    "end_date": "end_date",
    "line_manager_id": "manager_number",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Person:
    """One row, parsed: what the person's record would hold after the import."""

    row: int
    number: str
    values: dict[str, object]
    service_key: tuple[str, ...]
    role_key: str | None  # a job role's title, lower case (existing or new)
    manager_number: str
    existing: Employee | None = None


@dataclass
class Plan:
    organisation: Organisation
    system: str
    encoding: str
    complete: bool
    as_of: date
    rows: int
    columns: set[str] = field(default_factory=set)  # the fields the file has columns for
    errors: list[RowError] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    services: ServiceResolver | None = None
    roles: dict[str, JobRole] = field(default_factory=dict)  # title lower -> role (pk None: new)
    new_roles: list[JobRole] = field(default_factory=list)
    leavers_absent: list[Employee] = field(default_factory=list)  # not in a complete file
    unnumbered_active: int = 0
    left_before: int = 0  # new people whose leaving date has passed: not added
    employees: dict[int, Employee] = field(default_factory=dict)
    by_number: dict[str, Employee] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def plan_people_import(
    *, organisation: Organisation, hr_file: HRFile, complete: bool, as_of: date, by: Employee | None
) -> Plan:
    plan = Plan(
        organisation=organisation,
        system=hr_file.system,
        encoding=hr_file.encoding,
        complete=complete,
        as_of=as_of,
        rows=len(hr_file.rows),
    )
    tree = ServiceTree(Service.objects.filter(organisation=organisation))
    plan.services = ServiceResolver(organisation, tree)
    roles = list(JobRole.objects.filter(organisation=organisation))
    plan.roles = {r.title.lower(): r for r in roles}
    roles_by_code = {r.code.upper(): r for r in roles if r.code}
    employees = list(Employee.objects.filter(organisation=organisation))
    plan.employees = {e.pk: e for e in employees}
    plan.by_number = {e.employee_number.upper(): e for e in employees if e.employee_number}
    unnumbered_by_email: dict[str, list[Employee]] = {}
    for e in employees:
        if not e.employee_number and e.email:
            unnumbered_by_email.setdefault(e.email.lower(), []).append(e)

    has = plan.columns = set(hr_file.columns)
    errors = plan.errors
    seen: dict[str, Person] = {}
    percentage = hr_systems.normalise_header(
        hr_file.columns.get("fte", "")
    ) in hr_systems.FTE_AS_PERCENTAGE.get(hr_file.system, ())
    for raw in hr_file.rows:
        row_errors: list[RowError] = []

        def problem(column: str, message: str, row_errors=row_errors, number=raw.number):
            row_errors.append(RowError(number, hr_systems.FIELD_LABELS.get(column, column), message))

        cells = raw.cells
        number = _text(cells.get("employee_number")).upper()
        if not number:
            problem("employee_number", "Enter the person's employee number.")
        elif len(number) > 30:
            problem("employee_number", "An employee number has at most 30 characters.")
        values: dict[str, object] = {}
        for name in ("first_name", "last_name"):
            values[name] = _text(cells.get(name))
            if not values[name]:
                problem(name, f"Enter the person's {hr_systems.FIELD_LABELS[name]}.")
            elif len(values[name]) > 100:
                problem(name, f"The {hr_systems.FIELD_LABELS[name]} has at most 100 characters.")
        if "email" in has:
            email = _text(cells.get("email")).lower()
            if email:
                try:
                    validate_email(email)
                    values["email"] = email
                except ValidationError:
                    problem("email", f"'{email}' is not an email address.")
        if "employment_type" in has:
            kind, message = hr_systems.parse_employment_type(_text(cells.get("employment_type")))
            if message:
                problem("employment_type", message)
            values["employment_type"] = kind or EmploymentType.PERMANENT.value
        if "fte" in has:
            fte, message = hr_systems.parse_fte(_text(cells.get("fte")), percentage=percentage)
            if message:
                problem("fte", message)
            values["fte"] = fte
        dates: dict[str, date | None] = {}
        for name in ("start_date", "end_date", "leaving_date"):
            if name not in has:
                continue
            cell = cells.get(name)
            dates[name] = hr_systems.parse_date(cell) if _text(cell) or not isinstance(cell, str) else None
            if _text(cell) and dates[name] is None:
                problem(
                    name,
                    f"'{_text(cell)}' is not a date. Write it as YYYY-MM-DD or DD/MM/YYYY, like 2026-04-01.",
                )
        start, end, leaving = dates.get("start_date"), dates.get("end_date"), dates.get("leaving_date")
        if start is None and not _text(cells.get("start_date")):
            problem("start_date", "Enter the date the person started.")
        values["start_date"] = start
        if "end_date" in has:
            values["end_date"] = end
        if start and end and end < start:
            problem("end_date", "The contract end date is before the start date.")
        if start and leaving and leaving < start:
            problem("leaving_date", "The leaving date is before the start date.")
        if values.get("employment_type") in CONTINGENT_TYPES and "end_date" in has and not end:
            problem("end_date", "Enter a contract end date for interim and agency staff.")
        left = leaving is not None and leaving <= as_of
        values["active"] = not left
        values["left_on"] = leaving if left else None

        service_key, message, column = plan.services.resolve(
            _text(cells.get("service_path")), _text(cells.get("service_code"))
        )
        if message:
            problem(column, message)
        role_key = _role_key(
            plan, roles_by_code, _text(cells.get("job_title")), _text(cells.get("role_code"))
        )
        if isinstance(role_key, RowError):
            problem("role_code", role_key.message)
            role_key = None
        manager = _text(cells.get("manager_number")).upper()
        if number and manager == number:
            problem("manager_number", "A person cannot be their own line manager.")

        existing = plan.by_number.get(number)
        if existing is None and values.get("email"):
            matches = unnumbered_by_email.get(str(values["email"]), [])
            existing = matches[0] if len(matches) == 1 else None
        if number in seen:
            first = seen[number]
            if first.service_key != service_key:
                problem(
                    "employee_number",
                    f"{number} is also on row {first.row} in another service: a person works in one "
                    "service (give their main post only).",
                )
            else:
                problem("employee_number", f"{number} is also on row {first.row}: list each person once.")
        if by is not None and existing is not None and existing.pk == by.pk and left:
            problem("leaving_date", "This row says you have left: someone else must import it.")
        person = Person(raw.number, number, values, service_key, role_key, manager, existing)
        if number and number not in seen:
            seen[number] = person
        if row_errors:
            errors.extend(row_errors)
            continue
        if existing is None and left:
            plan.left_before += 1
            continue
        plan.people.append(person)

    _check_managers(plan, seen, has)
    if complete:
        listed = {p.existing.pk for p in seen.values() if p.existing is not None}
        for e in employees:
            if e.active and e.pk not in listed:
                if not e.employee_number:
                    plan.unnumbered_active += 1
                elif by is None or e.pk != by.pk:
                    plan.leavers_absent.append(e)
    errors.sort(key=lambda e: e.row)
    return plan


def _role_key(plan: Plan, by_code: dict[str, JobRole], title: str, code: str) -> str | None | RowError:
    code = code.upper()
    if code and code in by_code:
        return by_code[code].title.lower()
    if title:
        key = title.lower()
        if key not in plan.roles:
            role = JobRole(organisation=plan.organisation, title=title[:200], code=code[:30])
            plan.roles[key] = role
            plan.new_roles.append(role)
            if code:
                by_code[code] = role
        return key
    if code:
        return RowError(0, "role_code", f"No job role has the code {code}: give the job title too.")
    return None


def _check_managers(plan: Plan, seen: dict[str, Person], has: set[str]) -> None:
    """Every line manager named is someone in the file or already here, and
    following managers upwards never comes back to the same person."""
    if "manager_number" not in has:
        return
    boss: dict[str, str] = {}  # employee number (or "#id") -> their manager's, after the import
    for e in plan.employees.values():
        key = e.employee_number.upper() or f"#{e.pk}"
        manager = plan.employees.get(e.line_manager_id) if e.line_manager_id else None
        if manager is not None:
            boss[key] = manager.employee_number.upper() or f"#{manager.pk}"
    for number, person in seen.items():
        if person.existing is not None and not person.existing.employee_number:
            boss.pop(f"#{person.existing.pk}", None)
        boss.pop(number, None)
        if person.manager_number:
            if person.manager_number not in seen and person.manager_number not in plan.by_number:
                plan.errors.append(
                    RowError(
                        person.row,
                        hr_systems.FIELD_LABELS["manager_number"],
                        f"No one has the employee number {person.manager_number}: "
                        "the line manager must be in the file or already here.",
                    )
                )
                continue
            if person.manager_number != number:  # their own manager: reported on its row
                boss[number] = person.manager_number
    reported: set[str] = set()
    for start in seen:
        path, node = [], start
        while node in boss and node not in path and len(path) < 10_000:
            path.append(node)
            node = boss[node]
        if node in path:
            loop = path[path.index(node) :]
            if not reported & set(loop):
                reported |= set(loop)
                rows = sorted(seen[n].row for n in loop if n in seen)
                names = " → ".join([*loop, node])
                for r in rows[:1]:
                    plan.errors.append(
                        RowError(
                            r,
                            hr_systems.FIELD_LABELS["manager_number"],
                            f"The line managers make a loop ({names}; rows {', '.join(map(str, rows))}).",
                        )
                    )
