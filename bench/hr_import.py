"""The people import at scale: seed an organisation's structure, generate an
iTrent file of ``--staff`` people (default 10,000), and time the dry run and the
apply of the first load and of a changed second feed (movers, leavers, new
managers, new starters). Budgets: each under 60 s (bench/report.py).

Usage: DATABASE_URL=postgres://... python -m bench.hr_import [--staff N]
(``make bench`` runs it in the bench's own database after the other figures.)
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SLUG = "hr-import-bench"


def _changed(data: bytes, moves: int, leavers: int, new_managers: int, starters: int) -> bytes:
    reader = csv.DictReader(io.StringIO(data.decode()))
    header, rows = reader.fieldnames, list(reader)
    staff = [
        r
        for r in rows
        if r["Position Title"] not in ("Chief Executive", "Director", "Head of Service", "Team Manager")
    ]
    teams = sorted(
        {
            (r["Organisation Path"], r["Organisation Unit Code"], r["Line Manager Employee Number"])
            for r in staff
            if r["Position Title"] != "Team Manager"
        }
    )
    for i, r in enumerate(staff[10 : 10 + moves]):
        r["Organisation Path"], r["Organisation Unit Code"], r["Line Manager Employee Number"] = teams[
            i % len(teams)
        ]
    for r in staff[-leavers:]:
        r["Leaving Date"] = "01/01/2026"
        r["Start Date"] = "01/01/2010"
    half = len(staff) // 2
    for i, r in enumerate(staff[10 + moves : 10 + moves + new_managers]):
        r["Line Manager Employee Number"] = staff[half + i]["Employee Number"]
    template = dict(staff[5])
    for i in range(starters):
        rows.append(
            {
                **template,
                "Employee Number": str(900001 + i),
                "Work Email Address": f"new{i}@northshire.gov.uk",
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def measure_hr_import(staff: int = 10_000) -> dict:
    """Figures in seconds and queries; assumes Django is set up on the bench database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.hr_feed import ORG_NAME, feed_people, write_feed
    from organisations.models import Employee, Organisation, Service, ServiceKind
    from organisations.services.people_import import CheckFailed, people_import_apply, people_import_check

    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:  # a previous run's: start again
        Employee.objects.filter(organisation=org).update(line_manager=None)
        Service.objects.filter(organisation=org).update(head=None, parent=None)
        Employee.objects.filter(organisation=org).delete()
        Service.objects.filter(organisation=org).delete()
        org.delete()
    org = Organisation.objects.create(name=ORG_NAME, slug=SLUG)
    # The structure a council sets up first: the organisation and its directorates.
    from demo.council import COUNCIL

    root = Service.objects.create(organisation=org, name=ORG_NAME, kind=ServiceKind.DIRECTORATE)
    for name in COUNCIL:
        Service.objects.create(organisation=org, name=name, kind=ServiceKind.DIRECTORATE, parent=root)
    first = write_feed(feed_people(staff, seed=2026), "itrent").encode()
    second = _changed(
        first,
        moves=min(100, staff // 10),
        leavers=min(50, staff // 20),
        new_managers=min(20, staff // 20),
        starters=min(100, staff // 10),
    )
    figures: dict = {"staff": staff, "bytes": len(first)}
    for label, data in (("first", first), ("second", second)):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            record = people_import_check(
                organisation=org, data=data, filename=f"{label}.csv", by=None, complete=True
            )
            figures[f"{label}_check_s"] = round(time.perf_counter() - started, 2)
        if isinstance(record, CheckFailed):
            raise RuntimeError(f"the {label} feed failed its check: {record.file_error or record.errors[:3]}")
        figures[f"{label}_check_queries"] = len(q.captured_queries)
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            people_import_apply(people_import=record, by=None)
            figures[f"{label}_apply_s"] = round(time.perf_counter() - started, 2)
        figures[f"{label}_apply_queries"] = len(q.captured_queries)
        figures[f"{label}_counts"] = record.summary["counts"]
    return figures


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=10_000)
    args = parser.parse_args()
    from bench.measure import setup_django

    setup_django(os.environ["DATABASE_URL"])
    figures = measure_hr_import(args.staff)
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
