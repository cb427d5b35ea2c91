"""The people import from the HR system: a first load of 1,200 staff, a monthly
feed with movers, a leaver and a new manager, the same file twice, bad rows, each
system's sample, leavers' accounts and flags, and the bounded query count."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from organisations.models import AuditEvent, AuditEventKind, Employee, ImportStatus, Service
from organisations.services.hr_files import read_hr_file
from organisations.services.people_import import CheckFailed, people_import_apply, people_import_check
from tests.factories import OrganisationFactory, UserFactory
from tests.insights.flag_factories import personal_flag

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "hr_samples"
ITRENT_1200 = (SAMPLES / "itrent_1200.csv").read_bytes()


def rows_of(data: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return reader.fieldnames, list(reader)


def csv_of(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def check(org, data, **kw):
    return people_import_check(
        organisation=org, data=data, filename=kw.pop("filename", "people.csv"), by=None, **kw
    )


def load(org, data, **kw):
    record = check(org, data, **kw)
    assert not isinstance(record, CheckFailed), getattr(record, "errors", None)
    return people_import_apply(people_import=record, by=None)


@pytest.fixture
def empty_org(db):
    return OrganisationFactory(name="Northshire County Council", slug="northshire-hr")


def test_first_load_then_a_changed_monthly_feed(empty_org):
    record = load(empty_org, ITRENT_1200)
    assert record.status == ImportStatus.APPLIED and record.content == b""
    people = Employee.objects.filter(organisation=empty_org)
    assert people.count() == 1200 and people.filter(active=True).count() == 1200
    assert Service.objects.filter(organisation=empty_org).count() == 65
    staff = people.get(employee_number="100100")
    assert staff.line_manager is not None and staff.service.kind == "team"
    assert AuditEvent.objects.filter(kind=AuditEventKind.PEOPLE_IMPORT, organisation=empty_org).count() == 1

    header, rows = rows_of(ITRENT_1200)
    by_number = {r["Employee Number"]: r for r in rows}
    # Two movers: staff to another team's path and code.
    target = by_number["100100"]
    other = next(
        r
        for r in rows
        if r["Organisation Path"] != target["Organisation Path"]
        and r["Position Title"] not in ("Chief Executive", "Director", "Head of Service", "Team Manager")
    )
    movers = [by_number["100100"], by_number["100101"]]
    for m in movers:
        m["Organisation Path"], m["Organisation Unit Code"] = (
            other["Organisation Path"],
            other["Organisation Unit Code"],
        )
        m["Line Manager Employee Number"] = other["Line Manager Employee Number"]
    # A leaver: a team manager, whose reports then need a new manager...
    manager_number = by_number["100100"]["Line Manager Employee Number"]
    leaving_manager = next(
        r
        for r in rows
        if r["Position Title"] == "Team Manager"
        and r["Employee Number"] != manager_number
        and r["Employee Number"] != other["Line Manager Employee Number"]
    )
    leaving_manager["Leaving Date"] = "01/01/2020"
    leaving_manager["Start Date"] = "01/01/2010"
    # ...except one, who gets a new manager.
    reports = [r for r in rows if r["Line Manager Employee Number"] == leaving_manager["Employee Number"]]
    reports[0]["Line Manager Employee Number"] = manager_number
    feed = csv_of(header, rows)

    second = check(empty_org, feed)
    counts = second.summary["counts"]
    assert counts["new_people"] == 0 and counts["moves"] == 2 and counts["leavers"] == 1
    assert counts["changed"] == 2 + 1 + 1
    assert counts["needing_manager"] == len(reports) - 1
    assert {m["number"] for m in second.summary["moves"]} == {"100100", "100101"}
    change = next(c for c in second.summary["changes"] if c["number"] == reports[0]["Employee Number"])
    assert [f["field"] for f in change["fields"]] == ["Line manager"]
    # Nothing has changed yet: a dry run.
    assert people.get(employee_number="100100").service_id == staff.service_id

    people_import_apply(people_import=second, by=None)
    moved = people.get(employee_number="100100")
    assert moved.service.code == other["Organisation Unit Code"]
    left = people.get(employee_number=leaving_manager["Employee Number"])
    assert not left.active and str(left.left_on) == "2020-01-01"
    assert people.filter(active=True, line_manager=left).count() == len(reports) - 1
    assert (
        people.get(employee_number=reports[0]["Employee Number"]).line_manager.employee_number
        == manager_number
    )

    # The same file again changes nothing.
    third = check(empty_org, feed)
    assert third.summary["changes_anything"] is False
    assert third.summary["counts"]["changed"] == 0 and third.summary["unchanged"] == 1200


def test_the_same_file_twice_changes_nothing(empty_org):
    data = (SAMPLES / "itrent.csv").read_bytes()
    load(empty_org, data)
    before = Employee.history.model.objects.count()
    again = load(empty_org, data)
    assert again.summary["applied"]["people_written"] == 0
    assert Employee.history.model.objects.count() == before


@pytest.mark.parametrize("name", ["itrent", "oracle", "successfactors", "unit4"])
def test_each_sample_file_parses_and_loads(empty_org, name):
    data = (SAMPLES / f"{name}.csv").read_bytes()
    assert read_hr_file(data, filename=f"{name}.csv").system == name
    record = load(empty_org, data)
    assert record.system == name and record.summary["counts"]["new_people"] == 30
    people = Employee.objects.filter(organisation=empty_org)
    assert people.filter(line_manager__isnull=True).count() == 1  # the chief executive
    assert people.filter(employment_type="permanent").exists()
    if name == "unit4":  # FTE as a percentage
        assert all(0 < p.fte <= 1 for p in people)


def test_an_excel_file_and_a_windows_1252_file(empty_org):
    from openpyxl import Workbook

    header, rows = rows_of((SAMPLES / "itrent.csv").read_bytes())
    rows[3]["Forename"] = "Zoë"
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append([r[h] for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    record = check(empty_org, buffer.getvalue(), filename="people.xlsx")
    assert record.summary["encoding"] == "Excel" and record.summary["counts"]["new_people"] == 30
    cp = csv_of(header, rows).decode().encode("cp1252")
    record = check(empty_org, cp)
    assert record.summary["encoding"] == "Windows-1252"
    assert any(p["name"].startswith("Zoë") for p in record.summary["new_people"])
    assert check(empty_org, "a,b".encode("utf-16")).file_error.startswith("The file is saved as UTF-16")


def test_bad_rows_save_nothing_and_are_named(empty_org):
    load(empty_org, (SAMPLES / "itrent.csv").read_bytes())
    header, rows = rows_of((SAMPLES / "itrent.csv").read_bytes())
    rows[5]["Start Date"] = "31/02/2024"  # row 7: malformed date
    rows[6]["Line Manager Employee Number"] = "999999"  # row 8: unknown manager
    rows[7]["Organisation Path"] = "Northshire County Council > Hosuing > Lettings"  # row 9
    rows[7]["Organisation Unit Code"] = ""
    dup = dict(rows[8])  # row 32: the same person in another service
    dup["Organisation Path"], dup["Organisation Unit Code"] = (
        rows[2]["Organisation Path"],
        rows[2]["Organisation Unit Code"],
    )
    twice = dict(rows[9])  # row 33: listed twice
    rows[10]["Employee Number"] = ""  # row 12
    rows[11]["Contract Type"] = "Zero hours"  # row 13
    # rows 15 and 16 manage each other: a loop
    a, b = rows[13], rows[14]
    a["Line Manager Employee Number"], b["Line Manager Employee Number"] = (
        b["Employee Number"],
        a["Employee Number"],
    )
    result = check(empty_org, csv_of(header, [*rows, dup, twice]))
    assert isinstance(result, CheckFailed)
    found = {(e.row, e.column) for e in result.errors}
    assert (7, "start date") in found and (8, "line manager's employee number") in found
    assert (9, "service path") in found and (12, "employee number") in found
    assert (13, "employment type") in found
    assert (32, "employee number") in found and (33, "employee number") in found
    assert any("loop" in e.message and e.row in (15, 16) for e in result.errors)
    messages = " ".join(e.message for e in result.errors)
    assert "in another service" in messages and "list each person once" in messages
    assert Employee.objects.filter(organisation=empty_org).count() == 30
    assert not Employee.objects.filter(organisation=empty_org, employee_number="999999").exists()


def test_errors_are_bounded(empty_org):
    header, rows = rows_of(ITRENT_1200)
    for r in rows[:120]:
        r["Start Date"] = "soon"
    result = check(empty_org, csv_of(header, rows))
    assert len(result.errors) == 50 and result.total == 120 and result.more == 70


def test_file_limits(empty_org, settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 100
    assert "more than 100 people" in check(empty_org, ITRENT_1200).file_error
    settings.PEOPLE_IMPORT_MAX_BYTES = 1000
    assert "smaller than" in check(empty_org, ITRENT_1200).file_error
    assert "no column for" in check(empty_org, b"name,team\nA,B\n").file_error


def test_a_leaver_in_a_complete_file_loses_their_account_and_flags(empty_org):
    data = (SAMPLES / "itrent.csv").read_bytes()
    load(empty_org, data)
    header, rows = rows_of(data)
    gone = rows.pop(20)
    person = Employee.objects.get(organisation=empty_org, employee_number=gone["Employee Number"])
    person.user = UserFactory(username="leaver")
    person.save()
    flag = personal_flag(person)
    partial = check(empty_org, csv_of(header, rows))
    assert partial.summary["counts"]["leavers"] == 0  # not a complete file: left as they are
    record = load(empty_org, csv_of(header, rows), complete=True)
    assert record.summary["leavers"][0]["why"] == "Not in the file, which lists everyone"
    person.refresh_from_db()
    person.user.refresh_from_db()
    flag.refresh_from_db()
    assert not person.active and person.left_on is not None and not person.user.is_active
    assert flag.resolved_at is not None
    assert "left the organisation" in flag.history.latest().history_change_reason
    assert Employee.objects.get(pk=person.pk)  # kept for retention


def test_apply_refuses_when_records_changed_since_the_check(empty_org):
    data = (SAMPLES / "itrent.csv").read_bytes()
    load(empty_org, data)
    header, rows = rows_of(data)
    rows[4]["Surname"] = "Changed"
    record = check(empty_org, csv_of(header, rows))
    Employee.objects.filter(organisation=empty_org, employee_number=rows[4]["Employee Number"]).update(
        last_name="Edited meanwhile"
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="changed since this file was checked"):
        people_import_apply(people_import=record, by=None)


def test_queries_do_not_grow_with_the_rows(db, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.hr_feed import feed_people, write_feed

    counts = []
    for n, slug in ((40, "small"), (400, "large")):
        org = OrganisationFactory(name="Northshire County Council", slug=slug)
        data = write_feed(feed_people(n, seed=3, directorates=["Housing"]), "itrent").encode()
        with CaptureQueriesContext(connection) as checked:
            record = check(org, data)
        with CaptureQueriesContext(connection) as applied:
            people_import_apply(people_import=record, by=None)
        counts.append((len(checked), len(applied)))
    # Check: organisation's services, roles, people, and the stored import. Apply: two
    # statements per level of new services, roles, people, managers, history, audit, recompute.
    # (a statement is skipped when it has no rows, e.g. no new person has a new manager)
    assert counts[0][0] == counts[1][0] <= 6, counts
    assert abs(counts[0][1] - counts[1][1]) <= 2 and max(counts[0][1], counts[1][1]) <= 40, counts


def test_the_command_checks_then_applies(empty_org, capsys):
    path = str(SAMPLES / "oracle.csv")
    call_command("import_people", empty_org.slug, path)
    assert "30 new" in capsys.readouterr().out
    assert not Employee.objects.filter(organisation=empty_org).exists()
    call_command("import_people", empty_org.slug, path, "--system", "oracle", "--apply")
    assert Employee.objects.filter(organisation=empty_org).count() == 30


def test_the_docs_name_every_systems_columns():
    from organisations.services.hr_systems import COLUMNS

    text = (Path(__file__).resolve().parents[2] / "docs" / "HR_IMPORT.md").read_text()
    missing = [(s, n[0]) for s, fields in COLUMNS.items() for n in fields.values() if n[0] not in text]
    assert missing == []
