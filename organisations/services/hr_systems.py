"""What each HR system calls the columns of a people export, and how their values
are written: the column mappings for iTrent, Oracle HCM, SAP SuccessFactors and
Unit4, the employment-type words they use, and the date and FTE formats read.

Pure: no database. docs/HR_IMPORT.md lists the same mappings for HR officers;
a test keeps the two in step.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from organisations.models.imports import HRSystem
from organisations.models.people import EmploymentType

# The import's own names for what a row holds, in the order pages list them.
FIELDS = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "role_code",
    "service_path",
    "service_code",
    "manager_number",
    "employment_type",
    "fte",
    "start_date",
    "end_date",
    "leaving_date",
)
REQUIRED = ("employee_number", "first_name", "last_name", "start_date")
FIELD_LABELS = {
    "employee_number": "employee number",
    "first_name": "first name",
    "last_name": "last name",
    "email": "work email",
    "job_title": "job title",
    "role_code": "role code",
    "service_path": "service path",
    "service_code": "service code",
    "manager_number": "line manager's employee number",
    "employment_type": "employment type",
    "fte": "FTE",
    "start_date": "start date",
    "end_date": "contract end date",
    "leaving_date": "leaving date",
}

# Column headers per system (compared ignoring case, spaces and punctuation). Every
# system also accepts the import's own names above ("employee_number", ...).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    HRSystem.ITRENT: {
        "employee_number": ("Employee Number", "Person Number", "Employee No"),
        "first_name": ("Forename", "First Forename", "Known As"),
        "last_name": ("Surname",),
        "email": ("Work Email Address", "Email Address", "Work Email"),
        "job_title": ("Position Title", "Job Title", "Post Title"),
        "role_code": ("Position Code", "Post Number", "Job Code"),
        "service_path": ("Organisation Path", "Organisation Structure", "Org Unit Path"),
        "service_code": ("Organisation Unit Code", "Org Unit Code", "Cost Centre"),
        "manager_number": ("Line Manager Employee Number", "Reports To Employee Number", "Manager Number"),
        "employment_type": ("Contract Type", "Employment Type", "Employee Category"),
        "fte": ("FTE", "Full Time Equivalent"),
        "start_date": ("Start Date", "Continuous Service Date", "Appointment Start Date"),
        "end_date": ("Contract End Date", "Fixed Term End Date", "Appointment End Date"),
        "leaving_date": ("Leaving Date", "Termination Date", "Date Left"),
    },
    HRSystem.ORACLE: {
        "employee_number": ("Person Number", "Employee Number"),
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("Work Email", "Work Email Address", "Email Address"),
        "job_title": ("Job Name", "Position Name", "Job Title"),
        "role_code": ("Job Code", "Position Code"),
        "service_path": ("Department Hierarchy", "Department Path"),
        "service_code": ("Department Code", "Cost Center", "Cost Centre"),
        "manager_number": ("Manager Person Number", "Line Manager Person Number"),
        "employment_type": ("Assignment Category", "Worker Category", "Person Type"),
        "fte": ("FTE", "Full Time Equivalent"),
        "start_date": ("Hire Date", "Start Date", "Assignment Start Date"),
        "end_date": ("Projected End Date", "Assignment Projected End Date", "Contract End Date"),
        "leaving_date": ("Actual Termination Date", "Termination Date"),
    },
    HRSystem.SUCCESSFACTORS: {
        "employee_number": ("Employee ID", "User ID", "Person ID External"),
        "first_name": ("First Name",),
        "last_name": ("Last Name",),
        "email": ("Email", "Business Email", "Email Address"),
        "job_title": ("Job Title", "Position Title"),
        "role_code": ("Job Code", "Job Classification", "Position"),
        "service_path": ("Department Path", "Organisation Path"),
        "service_code": ("Department", "Department Code", "Cost Center"),
        "manager_number": ("Manager ID", "Manager User ID", "Supervisor ID"),
        "employment_type": ("Employee Class", "Employment Type", "Contract Type"),
        "fte": ("FTE",),
        "start_date": ("Hire Date", "Start Date", "Original Start Date"),
        "end_date": ("Contract End Date", "End Date"),
        "leaving_date": ("Termination Date", "Last Date Worked"),
    },
    HRSystem.UNIT4: {
        "employee_number": ("Resource ID", "Resource Number", "Employee ID"),
        "first_name": ("First Name", "First name", "Forename"),
        "last_name": ("Surname", "Last Name"),
        "email": ("E-mail", "Email", "Work E-mail"),
        "job_title": ("Post Description", "Position", "Job Title"),
        "role_code": ("Post ID", "Position Code", "Post Code"),
        "service_path": ("Org Unit Path", "Organisational Unit Path"),
        "service_code": ("Org Unit", "Organisational Unit", "Cost Centre"),
        "manager_number": ("Manager Resource ID", "Line Manager ID", "Manager ID"),
        "employment_type": ("Employment Type", "Contract Type", "Employment Category"),
        "fte": ("Percentage", "Position Percentage", "FTE"),
        "start_date": ("Date From", "Start Date", "Date Started"),
        "end_date": ("Date To", "Contract End Date", "End Date"),
        "leaving_date": ("Termination Date", "Date Left", "Leaving Date"),
    },
}

# Unit4 gives a post's share of full time as a percentage (100 = full time).
FTE_AS_PERCENTAGE = {HRSystem.UNIT4: ("percentage", "position percentage")}

# Employment-type words, as the systems write them, to the product's types.
EMPLOYMENT_TYPES: dict[str, str] = {
    "permanent": EmploymentType.PERMANENT,
    "regular": EmploymentType.PERMANENT,
    "employee": EmploymentType.PERMANENT,
    "established": EmploymentType.PERMANENT,
    "fixed term": EmploymentType.FIXED_TERM,
    "fixed-term": EmploymentType.FIXED_TERM,
    "fixedterm": EmploymentType.FIXED_TERM,
    "temporary": EmploymentType.FIXED_TERM,
    "casual": EmploymentType.FIXED_TERM,
    "interim": EmploymentType.INTERIM,
    "contractor": EmploymentType.INTERIM,
    "contingent worker": EmploymentType.INTERIM,
    "contingent": EmploymentType.INTERIM,
    "agency": EmploymentType.AGENCY,
    "agency worker": EmploymentType.AGENCY,
    "secondment": EmploymentType.SECONDMENT,
    "seconded": EmploymentType.SECONDMENT,
    "secondee": EmploymentType.SECONDMENT,
}

# "Adults › Safeguarding" or "Adults > Safeguarding": the path separators read.
PATH_SEPARATORS = re.compile(r"\s*(?:\u203a|>)\s*")


def normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def header_map(system: str) -> dict[str, str]:
    """Normalised header -> field, for one system (its names and the import's own)."""
    mapping = {normalise_header(f): f for f in FIELDS}
    for field, names in COLUMNS[system].items():
        for name in names:
            mapping.setdefault(normalise_header(name), field)
    return mapping


def detect_system(headers: list[str]) -> str:
    """The system whose column names match most of the headers (iTrent on a tie)."""
    normalised = [normalise_header(h) for h in headers]
    best, best_score = HRSystem.ITRENT.value, -1
    for system in HRSystem.values:
        own = {normalise_header(n) for names in COLUMNS[system].values() for n in names}
        score = sum(1 for h in normalised if h in own)
        if score > best_score:
            best, best_score = system, score
    return best


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NAMED = re.compile(r"^(\d{1,2})[\s\-/]([A-Za-z]{3})[A-Za-z]*[\s\-/](\d{4})$")
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_date(value: object) -> date | None:
    """A date from a cell: a spreadsheet date, YYYY-MM-DD (a time after it is
    ignored), DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or DD-MON-YYYY ("01-APR-2024").
    Day before month always: 03/04/2026 is 3 April. None when it is not a date."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if MIN_YEAR <= value.year <= MAX_YEAR else None
    text = str(value or "").strip()
    try:
        if m := _ISO.match(text):
            parsed = date(int(m[1]), int(m[2]), int(m[3]))
        elif m := _NUMERIC.match(text):
            parsed = date(int(m[3]), int(m[2]), int(m[1]))
        elif (m := _NAMED.match(text)) and m[2].lower() in _MONTHS:
            parsed = date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        else:
            return None
    except ValueError:
        return None
    return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else None


def parse_fte(text: str, *, percentage: bool) -> tuple[Decimal | None, str]:
    """FTE between 0.01 and 1 (or a percentage up to 100 for Unit4); blank is 1."""
    raw = (text or "").strip().rstrip("%").strip()
    if not raw:
        return Decimal("1.00"), ""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, f"'{text}' is not a number."
    if not value.is_finite():
        return None, f"'{text}' is not a number."
    if percentage:
        value = value / 100
    value = value.quantize(Decimal("0.01"))
    if not Decimal("0.01") <= value <= Decimal("1.00"):
        limit = "between 1 and 100 (a percentage)" if percentage else "between 0.01 and 1"
        return None, f"'{text}' is not an FTE: it must be {limit}."
    return value, ""


def parse_employment_type(text: str) -> tuple[str | None, str]:
    raw = (text or "").strip()
    if not raw:
        return EmploymentType.PERMANENT.value, ""
    found = EMPLOYMENT_TYPES.get(re.sub(r"\s+", " ", raw.lower()))
    if found is None:
        words = ", ".join(sorted({w.title() for w in EMPLOYMENT_TYPES if "-" not in w and " " not in w}))
        return None, f"'{raw}' is not an employment type this import knows. Use one of: {words}."
    return str(found), ""


def split_path(text: str) -> list[str]:
    return [" ".join(p.split()) for p in PATH_SEPARATORS.split((text or "").strip()) if p.strip()]
