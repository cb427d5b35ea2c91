"""People files as HR systems export them, for the demo council: the samples in
demo/hr_samples/ (written by scripts/hr_samples.py) and the bench's 10,000-row
iTrent feed. Deterministic for a seed: nothing depends on today.

The people sit in the demo council's structure (``demo.council``): the chief
executive at the top, a director per directorate, a head per service, a manager
per team, and everyone else in the teams, reporting to the team's manager.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from demo.council import COUNCIL
from demo.names import FIRST_NAMES, LAST_NAMES
from organisations.services.hr_systems import COLUMNS, FIELDS

ORG_NAME = "Northshire County Council"
DOMAIN = "northshire.gov.uk"

# How each system writes an employment type, a date, a path and an FTE.
TYPE_WORDS = {
    "itrent": {
        "permanent": "Permanent",
        "fixed_term": "Fixed Term",
        "interim": "Interim",
        "agency": "Agency",
        "secondment": "Secondment",
    },
    "oracle": {
        "permanent": "Regular",
        "fixed_term": "Temporary",
        "interim": "Contingent Worker",
        "agency": "Agency",
        "secondment": "Secondment",
    },
    "successfactors": {
        "permanent": "Regular",
        "fixed_term": "Fixed Term",
        "interim": "Contractor",
        "agency": "Agency",
        "secondment": "Secondment",
    },
    "unit4": {
        "permanent": "Permanent",
        "fixed_term": "Fixed-term",
        "interim": "Interim",
        "agency": "Agency",
        "secondment": "Secondment",
    },
}
DATE_FORMATS = {"itrent": "%d/%m/%Y", "oracle": "%d-%b-%Y", "successfactors": "%Y-%m-%d", "unit4": "%Y-%m-%d"}
SEPARATORS = {"itrent": " > ", "oracle": " > ", "successfactors": " \u203a ", "unit4": " \u203a "}


MANAGER_TITLES = ["Chief Executive", "Director", "Head of Service", "Team Manager"]
ROLE_CODES = {
    title: f"JR{i:03d}"
    for i, title in enumerate(
        MANAGER_TITLES
        + sorted({r for services in COUNCIL.values() for *_, roles in services for r in roles}),
        1,
    )
}


def _code(text: str) -> str:
    return "".join(w[0] for w in text.replace("(", "").split() if w[0].isalnum()).upper()


def feed_people(n: int, *, seed: int = 2026, directorates: list[str] | None = None) -> list[dict]:
    """``n`` people (at least one per post above the teams), as plain records."""
    rng = random.Random(seed)
    structure = {d: COUNCIL[d] for d in (directorates or COUNCIL)}
    people: list[dict] = []
    used: set[str] = set()
    numbers = iter(range(100001, 100001 + 10 * n + 1000))

    def person(path: list[str], title: str, manager: str, code: str, kind: str = "permanent") -> dict:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = str(next(numbers))
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@{DOMAIN}" if local not in used else f"{local}{number[-4:]}@{DOMAIN}"
        used.add(local)
        start = date(2004, 1, 5) + timedelta(days=rng.randrange(0, 21 * 365))
        end = None
        if kind in ("fixed_term", "agency", "interim"):
            end = date(2027, 3, 31) + timedelta(days=rng.randrange(0, 540))
        fte = "1.00" if kind != "permanent" or rng.random() < 0.78 else rng.choice(["0.50", "0.60", "0.80"])
        record = {
            "employee_number": number,
            "first_name": first,
            "last_name": last,
            "email": email,
            "job_title": title,
            "role_code": ROLE_CODES[title],
            "service_path": [ORG_NAME, *path],
            "service_code": ("CC-" + "-".join(_code(p) for p in path)) if path else "CC-CEX",
            "manager_number": manager,
            "employment_type": kind,
            "fte": fte,
            "start_date": start,
            "end_date": end,
            "leaving_date": None,
        }
        people.append(record)
        return record

    chief = person([], "Chief Executive", "", "CEX")
    teams: list[tuple[list[str], str, list[str]]] = []
    for directorate, services in structure.items():
        director = person([directorate], "Director", chief["employee_number"], "DIR")
        for service, team_names, roles in services:
            head = person([directorate, service], "Head of Service", director["employee_number"], "HOS")
            for team in team_names:
                manager = person([directorate, service, team], "Team Manager", head["employee_number"], "TM")
                teams.append(([directorate, service, team], manager["employee_number"], roles))
    i = 0
    while len(people) < n:
        path, manager, roles = teams[i % len(teams)]
        roll = rng.random()
        kind = (
            "permanent"
            if roll < 0.84
            else "fixed_term"
            if roll < 0.91
            else "agency"
            if roll < 0.95
            else "interim"
            if roll < 0.98
            else "secondment"
        )
        person(path, roles[i % len(roles)], manager, "", kind)
        i += 1
    return people


def write_feed(people: list[dict], system: str) -> str:
    """The records as ``system`` writes a CSV export: its headers, date format,
    employment-type words, path separator (and Unit4's FTE as a percentage)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([COLUMNS[system][f][0] for f in FIELDS])
    fmt = DATE_FORMATS[system]
    for p in people:
        row = []
        for f in FIELDS:
            value = p[f]
            if f == "service_path":
                value = SEPARATORS[system].join(value)
            elif f == "employment_type":
                value = TYPE_WORDS[system][value]
            elif f == "fte" and system == "unit4":
                value = f"{float(value) * 100:g}"
            elif isinstance(value, date):
                value = value.strftime(fmt).upper() if system == "oracle" else value.strftime(fmt)
            row.append("" if value is None else value)
        writer.writerow(row)
    return buffer.getvalue()
