"""Importing and exporting KPI results as CSV: the file, each bad row, all or nothing."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from organisations.models import KPIResult
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.services import kpi_csv
from organisations.services.kpi_import import kpi_results_import
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal
HEADER = "kpi_code,period_end,value,commentary,corrective_action\n"
TODAY = date(2026, 11, 20)


@pytest.fixture
def kpis(world):
    """A monthly and a quarterly KPI in Housing Options with 2025/26 targets of 90%
    (red below 85.5%), and a KPI in another service owned by no one."""
    monthly = KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    quarterly = KPIFactory(
        organisation=world.org, service=world.service, code="HO-02", frequency=year_rules.QUARTERLY
    )
    elsewhere = KPIFactory(organisation=world.org, service=world.corporate, code="RES-01")
    for k in (monthly, quarterly, elsewhere):
        KPITargetFactory(kpi=k, financial_year=2025, target=D("90"))
    return {"monthly": monthly, "quarterly": quarterly, "elsewhere": elsewhere}


def rows(text: str):
    return kpi_csv.read_results_csv((HEADER + text).encode("utf-8"))


def run(world, text, **kw):
    kw.setdefault("today", TODAY)
    return kpi_results_import(organisation=world.org, rows=rows(text), **kw)


# --- Reading the file --------------------------------------------------------


def test_reads_rows_numbered_as_a_spreadsheet_does():
    parsed = rows("HO-01,2025-04-30,91,,\n\nHO-01,2025-05-31,92,,\n")
    assert [r.number for r in parsed] == [2, 4]  # the blank line 3 is skipped
    assert parsed[0].cells == {
        "kpi_code": "HO-01",
        "period_end": "2025-04-30",
        "value": "91",
        "commentary": "",
        "corrective_action": "",
    }


def test_header_is_matched_loosely_and_extra_columns_are_ignored():
    data = "\ufeffKPI Code,Period-End,Value,Commentary,Corrective Action,Status\nHO-01,2025-04-30,91,,,red\n"
    (row,) = kpi_csv.read_results_csv(data.encode("utf-8"))
    assert row.cells["kpi_code"] == "HO-01" and "status" not in row.cells


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "r.csv", "The selected file is empty."),
        (HEADER.encode(), "r.csv", "header row but no results"),
        (
            b"kpi_code,value\nHO-01,1\n",
            "r.csv",
            "missing the columns period_end, commentary, corrective_action",
        ),
        (
            b"kpi_code,period_end,value,commentary\nHO-01,2025-04-30,1,\n",
            "r.csv",
            "missing the column corrective_action",
        ),
        (
            "kpi_code,period_end,value,commentary,corrective_action\nHO-01,2025-04-30,1,caf\xe9,\n".encode(
                "latin-1"
            ),
            "r.csv",
            "UTF-8",
        ),
        (b"PK\x03\x04rest-of-a-zip", "results.xlsx", "must be a CSV file"),
        (b"%PDF-1.7 kpi_code,period_end", "results.pdf", "must be a CSV file"),
        (b"PK\x03\x04rest-of-a-zip", "renamed.csv", "must be a CSV file"),
        (b"kpi_code\x00,period_end\n", "r.csv", "must be a CSV file"),
        (b"x" * (kpi_csv.MAX_UPLOAD_BYTES + 1), "r.csv", "smaller than 2 MB"),
    ],
    ids=[
        "empty",
        "header-only",
        "missing-columns",
        "missing-one",
        "not-utf8",
        "xlsx",
        "pdf",
        "zip-named-csv",
        "binary",
        "too-big",
    ],
)
def test_file_level_problems(data, filename, message):
    with pytest.raises(kpi_csv.CsvFileError, match=message):
        kpi_csv.read_results_csv(data, filename=filename)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-30", date(2025, 4, 30)),
        ("30/04/2025", date(2025, 4, 30)),
        ("3/4/2025", date(2025, 4, 3)),  # UK order: 3 April
        (" 2025-4-30 ", date(2025, 4, 30)),
        ("04/30/2025", None),  # US order is not a date here
        ("31/02/2025", None),
        ("30-04-2025", None),
        ("April 2025", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert kpi_csv.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "error"),
    [
        ("96.5", D("96.5"), ""),
        ("96.5%", D("96.5"), ""),
        ("£1,234.50", D("1234.50"), ""),
        ("-3", D("-3"), ""),
        ("0.1234", D("0.1234"), ""),
        ("0.12345", None, "decimal places"),
        ("12345678901", None, "too large"),
        ("abc", None, "not a number"),
        ("NaN", None, "not a number"),
        ("inf", None, "not a number"),
        ("", None, "Enter a value"),
    ],
)
def test_parse_value(text, value, error):
    got, message = kpi_csv.parse_value(text)
    assert got == value
    assert error in message and bool(message) == bool(error)


# --- Validating rows -----------------------------------------------------------


def test_a_good_file_creates_and_updates(world, kpis):
    KPIResultFactory(
        kpi=kpis["monthly"], period_end=date(2025, 4, 30), value=D("80"), corrective_action="Plan"
    )
    outcome = run(
        world,
        "HO-01,2025-04-30,91,Corrected after audit,\n"
        "ho-01,31/05/2025,92.5%,,\n"
        "HO-02,2025-06-30,84,Below target,Recovery plan agreed\n",
        by=world.officer,
    )
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (2, 1)
    stored = {(r.kpi.code, r.period_end): r for r in KPIResult.objects.select_related("kpi")}
    april = stored[("HO-01", date(2025, 4, 30))]
    assert april.value == D("91") and april.status == kpi_rules.GREEN
    assert april.commentary == "Corrected after audit" and april.corrective_action == ""
    assert april.entered_by == world.officer.user
    assert stored[("HO-01", date(2025, 5, 31))].value == D("92.5")
    assert stored[("HO-02", date(2025, 6, 30))].status == kpi_rules.RED
    # History is kept for bulk writes too: the correction has two versions.
    assert april.history.count() == 2


def test_the_optional_public_commentary_column(world, kpis):
    KPIResultFactory(
        kpi=kpis["monthly"], period_end=date(2025, 4, 30), value=D("91"), public_commentary="Kept"
    )
    outcome = run(world, "HO-01,2025-04-30,92,Internal only,\n")
    assert outcome.ok, outcome.errors
    # A file without the column leaves the published text as it was.
    assert KPIResult.objects.get().public_commentary == "Kept"
    data = (HEADER.strip() + ",public_commentary\nHO-01,2025-04-30,93,Internal only,,On target\n").encode()
    outcome = kpi_results_import(organisation=world.org, rows=kpi_csv.read_results_csv(data), today=TODAY)
    assert outcome.ok, outcome.errors
    result = KPIResult.objects.get()
    assert (result.commentary, result.public_commentary) == ("Internal only", "On target")


def test_the_export_carries_both_commentaries_in_their_own_columns(world, kpis):
    KPIResultFactory(
        kpi=kpis["monthly"],
        period_end=date(2025, 4, 30),
        value=D("91"),
        commentary="Internal",
        public_commentary="=Published",
    )
    response = client_for(world.officer).get(reverse("organisations:kpi_export") + "?year=2025")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert table[0]["commentary"] == "Internal"
    assert table[0]["public_commentary"] == "'=Published"  # guarded against formulas
    # And the file imports back unchanged.
    outcome = kpi_results_import(
        organisation=world.org, rows=kpi_csv.read_results_csv(response.content), today=TODAY
    )
    assert outcome.ok, outcome.errors
    assert KPIResult.objects.get().public_commentary == "=Published"


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("XX-99,2025-04-30,91,,", "kpi_code", "no KPI with the code 'XX-99'"),
        (",2025-04-30,91,,", "kpi_code", "Enter a KPI code"),
        ("HO-01,,91,,", "period_end", "Enter the date"),
        ("HO-01,2025-13-01,91,,", "period_end", "is not a date"),
        ("HO-01,2025-04-15,91,,", "period_end", "did you mean 30/04/2025"),
        ("HO-02,2025-05-31,91,,", "period_end", "quarterly periods; did you mean 30/06/2025"),
        ("HO-01,2026-12-31,91,,", "period_end", "has not ended yet"),
        ("HO-01,2025-04-30,ninety,,", "value", "not a number"),
        ("HO-01,2025-04-30,,,", "value", "Enter a value"),
        (
            "HO-01,2025-04-30,80,Short staffed,",
            "corrective_action",
            "red against the 2025/26 target of 90.0%",
        ),
    ],
    ids=[
        "unknown-code",
        "no-code",
        "no-date",
        "bad-date",
        "not-a-month-end",
        "not-a-quarter-end",
        "future",
        "not-a-number",
        "no-value",
        "red-without-action",
    ],
)
def test_each_bad_row_is_reported_and_nothing_is_saved(world, kpis, line, column, message):
    outcome = run(world, "HO-01,2025-06-30,91,,\n" + line + "\n")
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)]
    assert message in outcome.errors[0].message
    assert outcome.created == outcome.updated == 0
    assert not KPIResult.objects.exists()  # the good row 2 was not saved either


def test_a_duplicate_row_names_the_first(world, kpis):
    outcome = run(world, "HO-01,2025-04-30,91,,\nHO-02,2025-06-30,91,,\nHO-01,30/04/2025,92,,\n")
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "period_end")]
    assert "Row 2 already gives HO-01" in outcome.errors[0].message
    assert not KPIResult.objects.exists()


def test_every_problem_is_listed_not_just_the_first(world, kpis):
    outcome = run(world, "XX-1,2025-04-30,91,,\nHO-01,2025-04-15,abc,,\nHO-01,2025-05-31,80,,\n")
    assert [(e.row, e.column) for e in outcome.errors] == [
        (2, "kpi_code"),
        (3, "period_end"),
        (3, "value"),
        (4, "corrective_action"),
    ]


def test_existing_results_are_untouched_when_a_row_is_bad(world, kpis):
    existing = KPIResultFactory(kpi=kpis["monthly"], period_end=date(2025, 4, 30), value=D("95"))
    outcome = run(world, "HO-01,2025-04-30,91,,\nXX-1,2025-04-30,91,,\n")
    assert not outcome.ok
    existing.refresh_from_db()
    assert existing.value == D("95")


def test_rows_for_kpis_the_importer_may_not_edit_are_refused(world, kpis):
    from organisations.access import Viewer

    viewer = Viewer(world.service_head)  # heads Housing Options, not Resources
    outcome = run(world, "HO-01,2025-04-30,91,,\nRES-01,2025-04-30,91,,\n", may_edit=viewer.can_edit_kpi)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "kpi_code")]
    assert "may not record results for RES-01" in outcome.errors[0].message
    assert not KPIResult.objects.exists()


def test_codes_of_another_organisation_are_unknown(world, kpis):
    KPIFactory(organisation=world.other_org, service=world.other_service, code="RH-01")
    outcome = run(world, "RH-01,2025-04-30,91,,\n")
    assert outcome.errors[0].column == "kpi_code"
    assert not KPIResult.objects.exists()


def test_validation_takes_a_fixed_number_of_queries(world, kpis, django_assert_num_queries):
    # The service's savepoint; the organisation's KPIs, their targets, the results
    # already there; one insert of results and one of their history; the KPIs the
    # run is to recompute and the outbox request for it; release.
    text = "".join(
        f"HO-01,{year_rules.period_end_for(date(2024, m, 1), 'monthly')},91,,\n" for m in range(4, 13)
    )
    with django_assert_num_queries(9):
        assert run(world, text).created == 9


# --- Through the page ----------------------------------------------------------


def upload(client: Client, text: str, name="results.csv", header=HEADER):
    data = (header + text).encode("utf-8")
    return client.post(
        reverse("organisations:kpi_import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_import_page_success_message_and_redirect(world, kpis):
    client = client_for(world.officer)
    response = upload(client, "HO-01,2025-04-30,91,,\nHO-01,2025-05-31,92,,\n")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:kpi_scorecard", args=[world.service.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Imported 2 results: 2 created, 0 updated." in page


def test_import_page_lists_row_errors_and_saves_nothing(world, kpis):
    client = client_for(world.officer)
    response = upload(client, "HO-01,2025-04-30,91,,\nHO-01,2025-04-31,91,,\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Import KPI results" in html
    assert "The file has 1 problem. Nothing was imported" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert "&#x27;2025-04-31&#x27; is not a date" in html
    assert not KPIResult.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("results.csv", b"x" * (kpi_csv.MAX_UPLOAD_BYTES + 1), "smaller than 2 MB"),
        ("results.xlsx", b"PK\x03\x04zipped", "must be a CSV file"),
        ("results.csv", (HEADER + "HO-01,2025-04-30,91,caf\xe9,\n").encode("cp1252"), "saved as UTF-8"),
        (
            "results.csv",
            b"code,date,value\nHO-01,2025-04-30,91\n",
            "missing the columns kpi_code, period_end",
        ),
    ],
)
def test_import_page_file_errors_are_shown_by_the_field(world, kpis, name, data, message):
    client = client_for(world.officer)
    response = client.post(
        reverse("organisations:kpi_import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'href="#id_file"' in html  # in the error summary, linked to the field
    assert not KPIResult.objects.exists()


def test_import_page_without_a_file(world):
    response = client_for(world.officer).post(reverse("organisations:kpi_import"), {})
    assert "Select a CSV file of results." in response.content.decode()


def test_import_is_for_editors(world, kpis):
    assert upload(client_for(world.staff), "HO-01,2025-04-30,91,,\n").status_code == 403
    # A KPI owner may import for their KPI, and only for it.
    kpis["monthly"].owner = world.staff
    kpis["monthly"].save()
    client = client_for(world.staff)
    response = upload(client, "HO-01,2025-04-30,91,,\nHO-02,2025-06-30,91,,\n")
    assert "may not record results for HO-02" in response.content.decode()
    assert upload(client, "HO-01,2025-04-30,91,,\n").status_code == 302
    assert KPIResult.objects.count() == 1


# --- Export ------------------------------------------------------------------


def test_export_round_trip(world, kpis):
    KPIResultFactory(kpi=kpis["monthly"], period_end=date(2025, 4, 30), value=D("91.2500"), commentary="Fine")
    KPIResultFactory(
        kpi=kpis["monthly"],
        period_end=date(2025, 5, 31),
        value=D("80"),
        commentary='=HYPERLINK("http://x")',
        corrective_action="-Recovery plan",
    )
    KPIResultFactory(kpi=kpis["monthly"], period_end=date(2024, 5, 31), value=D("70"))  # 2024/25
    KPIResultFactory(kpi=kpis["elsewhere"], period_end=date(2025, 4, 30), value=D("99"))  # not this service
    client = client_for(world.staff)
    response = client.get(reverse("organisations:kpi_export"), {"service": world.service.pk, "year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="kpi-results-housing-options-2025-26.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [(r["kpi_code"], r["period_end"], r["value"]) for r in table] == [
        ("HO-01", "2025-04-30", "91.25"),
        ("HO-01", "2025-05-31", "80"),
    ]
    assert table[1]["status"] == "Red" and table[1]["target"] == "90" and table[1]["period"] == "May 2025"
    # Formula-looking text is guarded for spreadsheets...
    assert table[1]["commentary"] == '\'=HYPERLINK("http://x")'
    # ...and importing the export unchanged restores exactly what was there.
    before = list(
        KPIResult.objects.order_by("pk").values_list("value", "commentary", "corrective_action", "status")
    )
    outcome = kpi_results_import(
        organisation=world.org, rows=kpi_csv.read_results_csv(response.content), today=TODAY
    )
    assert outcome.ok and (outcome.created, outcome.updated) == (0, 2)
    after = list(
        KPIResult.objects.order_by("pk").values_list("value", "commentary", "corrective_action", "status")
    )
    assert after == before


def test_export_year_may_be_a_label(world, kpis):
    KPIResultFactory(kpi=kpis["monthly"], period_end=date(2025, 4, 30), value=D("91"))
    response = client_for(world.staff).get(reverse("organisations:kpi_export"), {"year": "2025/26"})
    assert "HO-01,2025-04-30,91" in response.content.decode()
    assert "2025-26.csv" in response["Content-Disposition"]


def test_export_defaults_to_the_whole_organisation_and_this_year(world, kpis):
    response = client_for(world.staff).get(reverse("organisations:kpi_export"))
    assert response.status_code == 200
    header = response.content.decode().splitlines()[0]
    assert header.startswith("kpi_code,period_end,value,commentary,corrective_action")


def test_export_of_another_organisations_service_is_404(world, kpis):
    client = client_for(world.staff)
    assert (
        client.get(reverse("organisations:kpi_export"), {"service": world.other_service.pk}).status_code
        == 404
    )
    assert client.get(reverse("organisations:kpi_export"), {"service": "abc"}).status_code == 404


def test_officer_imports_a_quarter_and_the_scorecard_turns(world, kpis):
    """Done when: a performance officer imports a quarter of results, sees the
    scorecard turn, and the director reads RAG and direction at a glance."""
    for month in (4, 5, 6):
        end = year_rules.period_end_for(date(2025, month, 1), "monthly")
        KPIResultFactory(kpi=kpis["monthly"], period_end=end, value=D("95"))
    director = client_for(world.head)
    url = reverse("organisations:kpi_scorecard", args=[world.directorate.pk])
    before = director.get(url).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in before
    response = upload(
        client_for(world.officer),
        "HO-01,2025-07-31,88,Summer peak,\n"
        "HO-01,2025-08-31,84,Two vacancies,Agency cover from September\n"
        "HO-01,2025-09-30,83,Vacancies persist,Recruitment campaign; weekly review by head of service\n",
    )
    assert response.status_code == 302
    after = director.get(url).content.decode()
    row = re.search(r"HO-01.*?</tr>", after, re.S).group(0)
    assert "Sep 2025" in row and "83.0%" in row
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in row
    assert "Worsening" in row
