"""Benchmarks against other councils: the import (all or nothing, audited), the
link from a KPI to a measure, and the quartile, median and group size on the
KPI page, the scorecard and the quarterly report."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import AuditEvent, AuditEventKind, BenchmarkFigure, BenchmarkImport, ComparatorGroup
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.benchmarks import FROM_FILE, FROM_RESULT, kpi_benchmarks
from organisations.services.benchmark_csv import read_benchmark_csv
from organisations.services.benchmark_import import benchmark_figures_import
from tests.conftest import client_for
from tests.organisations.factories import KPIFactory, KPIResultFactory

D = Decimal
TODAY = date(2026, 11, 20)
NN = ComparatorGroup.NEAREST_NEIGHBOURS
HEADER = "area_code,area_name,period,value\n"
# Eight councils in 2024/25, the world's own (E06000099) among them.
GROUP = (
    "E06000099,Testshire,2024/25,52.4\n"
    "E06000001,Alpha,2024/25,38.2\n"
    "E06000002,Beta,2024/25,41.0\n"
    "E06000003,Gamma,2024/25,44.5\n"
    "E06000004,Delta,2024/25,47.3\n"
    "E06000005,Epsilon,2024/25,50.1\n"
    "E06000006,Zeta,2024/25,55.0\n"
    "E06000007,Eta,2024/25,61.8\n"
)
SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "benchmark_files"


def run(world, text, header=HEADER, measure="REC", group=NN, **kw):
    rows = read_benchmark_csv((header + text).encode(), measure_given=bool(measure))
    kw.setdefault("today", TODAY)
    return benchmark_figures_import(
        organisation=world.org, rows=rows, comparator_group=group, measure=measure, by=world.officer, **kw
    )


@pytest.fixture
def linked(world):
    """A recycling KPI (higher is better) linked to measure REC, the group imported
    and the world's area code set."""
    world.org.area_code = "E06000099"
    world.org.save()
    kpi = KPIFactory(
        organisation=world.org,
        service=world.service,
        code="WST-01",
        name="Household waste recycled",
        frequency=year_rules.ANNUAL,
        benchmark_measure="REC",
    )
    assert run(world, GROUP, filename="nn.csv", source="LG Inform").ok
    return kpi


# --- The import: all or nothing -------------------------------------------------------


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(world):
    text = GROUP.replace("E06000004,Delta,2024/25,47.3", "E06000004,Delta,2024/25,forty")
    outcome = run(world, text)
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [(6, "value")]
    assert "'forty' is not a number" in outcome.errors[0].message
    assert not BenchmarkFigure.objects.exists() and not BenchmarkImport.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEventKind.BENCHMARK_IMPORT).exists()


@pytest.mark.parametrize(
    "row, column, words",
    [
        (",Nowhere,2024/25,1", "area_code", "Enter the area's code"),
        ("not a code!,Nowhere,2024/25,1", "area_code", "is not an area code"),
        ("E06000008,Theta,last year,1", "period", "is not a period"),
        ("E06000008,Theta,2027/28,1", "period", "has not ended yet"),
        ("E06000001,Alpha again,2024/25,40", "area_code", "Row 3 already gives E06000001"),
    ],
)
def test_each_kind_of_bad_row_is_refused_with_its_reason(world, row, column, words):
    outcome = run(world, GROUP + row + "\n")
    assert [(e.row, e.column) for e in outcome.errors] == [(10, column)]
    assert words in outcome.errors[0].message
    assert not BenchmarkFigure.objects.exists()


def test_a_file_imports_whole_with_its_record_and_audit_event(world):
    outcome = run(world, GROUP + "E06000008,Theta,2024/25,[x]\n", filename="nn.csv", source="LG Inform")
    assert outcome.ok and outcome.created == 8 and outcome.skipped == 1
    record = BenchmarkImport.objects.get()
    assert (record.rows, record.skipped, record.measures, record.imported_by) == (
        8,
        1,
        ["REC"],
        world.officer,
    )
    figure = BenchmarkFigure.objects.get(area_code="E06000099")
    assert (figure.period, figure.period_end, figure.value) == ("2024/25", date(2025, 3, 31), D("52.4"))
    event = AuditEvent.objects.get(kind=AuditEventKind.BENCHMARK_IMPORT)
    assert event.actor == world.officer and event.subject_name == "nn.csv"
    assert "8 figures for REC (CIPFA nearest neighbours)" in event.detail


def test_a_new_file_replaces_the_same_measure_group_and_periods_only(world):
    run(world, GROUP)
    run(world, GROUP.replace("2024/25", "2023/24"))
    run(world, GROUP, group=ComparatorGroup.ENGLAND)
    outcome = run(world, "E06000001,Alpha,2024/25,39.9\n")
    assert outcome.ok
    kept = BenchmarkFigure.objects.filter(comparator_group=NN, period="2024/25")
    assert list(kept.values_list("area_code", "value")) == [("E06000001", D("39.9"))]
    assert BenchmarkFigure.objects.filter(comparator_group=NN, period="2023/24").count() == 8
    assert BenchmarkFigure.objects.filter(comparator_group=ComparatorGroup.ENGLAND).count() == 8


def test_a_measure_column_holds_several_measures_in_one_file(world):
    header = "Area Code,Area,Period,Metric,Metric name,Value\n"
    outcome = run(world, "E06000001,Alpha,2024,A1,First,1\nE06000001,Alpha,2024,b2,Second,2\n", header, "")
    assert outcome.ok and outcome.measures == ["A1", "B2"]
    assert dict(BenchmarkFigure.objects.values_list("measure", "measure_name")) == {
        "A1": "First",
        "B2": "Second",
    }


def test_a_file_without_a_measure_needs_one_on_the_form(world):
    from organisations.services.benchmark_csv import CsvFileError

    with pytest.raises(CsvFileError, match="missing the column measure"):
        read_benchmark_csv((HEADER + GROUP).encode())


def test_the_demo_samples_import(world):
    for name, measure in (
        ("nearest_neighbours_waste.csv", ""),
        ("county_councils_ehcp_20_weeks.csv", "EHCP20WK"),
    ):
        data = (SAMPLES / name).read_bytes()
        outcome = benchmark_figures_import(
            organisation=world.org,
            rows=read_benchmark_csv(data, measure_given=bool(measure)),
            comparator_group=NN,
            measure=measure,
            by=world.officer,
            today=TODAY,
        )
        assert outcome.ok, outcome.errors
    assert BenchmarkFigure.objects.filter(measure="NI191").count() == 31  # one [x] skipped


# --- The comparison ----------------------------------------------------------------------


def test_the_council_is_placed_by_its_row_in_the_file(world, linked, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        found = kpi_benchmarks([linked], world.org)[linked.pk]
    b = found[0]
    assert (b.period, b.own_from, b.comparison.group_size) == ("2024/25", FROM_FILE, 8)
    assert b.comparison.median == D("48.7")
    assert b.position == "upper_middle_quartile" and b.position_label == "Upper middle quartile"
    assert b.value_display == "52.4%" and b.median_display == "48.7%"


def test_lower_is_better_turns_the_quartiles_round(world, linked):
    linked.polarity = kpi_rules.LOWER
    linked.save()
    b = kpi_benchmarks([linked], world.org)[linked.pk][0]
    assert b.position == "lower_middle_quartile"
    assert b.top_quartile_words == "43.6% or less"


def test_without_its_row_the_councils_own_result_is_placed(world, linked):
    world.org.area_code = ""
    world.org.save()
    result = KPIResultFactory(kpi=linked, period_end=date(2025, 3, 31), value=D("62"))
    b = kpi_benchmarks([linked], world.org, own_results={linked.pk: {result.period_end: result.value}})[
        linked.pk
    ][0]
    assert b.own_from == FROM_RESULT and b.comparison.group_size == 9
    assert b.position == "top_quartile"
    none = kpi_benchmarks([linked], world.org)[linked.pk][0]
    assert none.position == "not_ranked" and none.own_from == ""
    assert none.not_ranked_reason == "no figure for this council for the period"


def test_the_latest_comparable_period_is_the_latest_with_the_councils_figure(world, linked):
    run(world, "E06000001,Alpha,2025/26,40\nE06000002,Beta,2025/26,41\n")
    b = kpi_benchmarks([linked], world.org)[linked.pk][0]
    assert b.period == "2024/25"  # 2025/26 has no row for the council yet
    assert kpi_benchmarks([linked], world.org, as_of=date(2024, 12, 31)) == {}


# --- Pages ----------------------------------------------------------------------------


def test_the_kpi_page_shows_quartile_median_and_group_size(world, linked):
    page = client_for(world.staff).get(reverse("organisations:kpi_detail", args=[linked.pk])).content.decode()
    assert "Compared with other councils" in page
    assert "CIPFA nearest neighbours: 2024/25" in page
    assert "Upper middle quartile" in page and "48.7%" in page
    assert "Councils with a figure" in page and "LG Inform" in page


def test_the_scorecard_shows_the_kpis_quartile(world, linked):
    url = reverse("organisations:kpi_scorecard", args=[world.service.pk])
    page = client_for(world.staff).get(url).content.decode()
    table = page.split('id="kpi-benchmarks-caption"')[1]
    assert "WST-01" in table and "Upper middle quartile" in table and "48.7%" in table
    assert ">8<" in table


def test_the_quarterly_report_shows_the_kpis_quartile(world, linked):
    query = {"financial_year": 2025, "quarter": 2}
    page = client_for(world.officer).get(reverse("insights:quarterly_report"), query).content.decode()
    section = page.split('id="benchmarks-heading"')[1]
    assert "WST-01" in section and "Upper middle quartile" in section and "48.7%" in section
    # A quarter ending before the figures' period leaves them out.
    early = client_for(world.officer).get(
        reverse("insights:quarterly_report"), {"financial_year": 2024, "quarter": 3}
    )
    assert 'id="benchmarks-heading"' not in early.content.decode()


def test_an_unlinked_kpi_says_so(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, code="X-01")
    page = client_for(world.officer).get(reverse("organisations:kpi_detail", args=[kpi.pk])).content.decode()
    assert "not linked to a benchmark measure" in page


def test_the_kpi_form_links_a_measure(world):
    kpi = KPIFactory(organisation=world.org, service=world.service, code="X-01", name="Recycling")
    client = client_for(world.officer)
    form = client.get(reverse("organisations:kpi_edit", args=[kpi.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(benchmark_measure=" ni192 ", service=world.service.pk, owner="")
    for flag in ("cumulative", "active", "published"):
        if not data.get(flag):
            data.pop(flag, None)
    response = client.post(reverse("organisations:kpi_edit", args=[kpi.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    kpi.refresh_from_db()
    assert kpi.benchmark_measure == "NI192"
    data["benchmark_measure"] = "no spaces allowed"
    response = client.post(reverse("organisations:kpi_edit", args=[kpi.pk]), data)
    assert "A measure&#x27;s code is up to 60" in response.content.decode()


def test_the_import_page_lists_the_bad_rows_and_keeps_nothing(world):
    client = client_for(world.officer)
    upload = SimpleUploadedFile(
        "nn.csv", (HEADER + GROUP + "E06000008,Theta,someday,3\n").encode(), content_type="text/csv"
    )
    response = client.post(
        reverse("organisations:benchmark_import"),
        {"comparator_group": NN, "measure": "REC", "file": upload},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Nothing was imported" in page
    assert "Problems in the file (1)" in page and "&#x27;someday&#x27; is not a period" in page
    assert not BenchmarkFigure.objects.exists()


def test_the_import_page_imports_and_the_benchmarks_page_lists_it(world):
    client = client_for(world.officer)
    upload = SimpleUploadedFile("nn.csv", (HEADER + GROUP).encode(), content_type="text/csv")
    response = client.post(
        reverse("organisations:benchmark_import"),
        {
            "comparator_group": NN,
            "measure": "rec",
            "measure_name": "Recycling",
            "source": "LG Inform",
            "file": upload,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("organisations:benchmark_list")).content.decode()
    assert "CIPFA nearest neighbours" in page and "REC" in page and "Recycling" in page
    assert "nn.csv" in page and "Olu Officer" in page


def test_only_performance_officers_manage_benchmarks(world):
    for persona in (world.staff, world.head, world.chief):
        assert client_for(persona).get(reverse("organisations:benchmark_list")).status_code == 403
        assert client_for(persona).get(reverse("organisations:benchmark_import")).status_code == 403


def test_the_area_code_is_set_and_recorded(world):
    client = client_for(world.officer)
    response = client.post(reverse("organisations:benchmark_area_code"), {"area_code": " e06000099 "})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.area_code == "E06000099"
    event = AuditEvent.objects.get(kind=AuditEventKind.SETTINGS_CHANGED)
    assert event.changes == [["Area code", "none", "E06000099"]]
    bad = client.post(reverse("organisations:benchmark_area_code"), {"area_code": "E06-0000"})
    assert "letters and numbers only" in bad.content.decode()


# --- The demo -------------------------------------------------------------------------


def test_the_demo_council_shows_quartiles(db):
    from io import StringIO

    from django.core.management import call_command

    from organisations.models import KPI, Employee, Organisation

    call_command("seed_demo", employees=100, seed=5, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    assert org.area_code == "E10900001"
    linked = list(KPI.objects.filter(organisation=org).exclude(benchmark_measure=""))
    assert {k.benchmark_measure for k in linked} == {"NI191", "NI192", "EHCP20WK"}
    found = kpi_benchmarks(linked, org)
    positions = {k.benchmark_measure: found[k.pk][0].position for k in linked}
    # Recycling 54.1% among its nearest neighbours; residual waste 455.3 kg (lower is
    # better); EHC plans 34.8% among county councils.
    assert positions == {
        "NI192": "upper_middle_quartile",
        "NI191": "top_quartile",
        "EHCP20WK": "bottom_quartile",
    }
    officer = Employee.objects.filter(
        organisation=org, is_performance_officer=True, user__isnull=False
    ).first()
    page = client_for(officer).get(reverse("organisations:kpi_detail", args=[linked[0].pk])).content.decode()
    assert "Compared with other councils" in page and "quartile" in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_benchmarks_page_costs_the_same_however_many_measures(world, linked):
    client, url = client_for(world.officer), reverse("organisations:benchmark_list")
    client.get(url)
    one = _queries(client, url)
    for n in range(5):
        run(world, GROUP.replace("2024/25", "2023/24"), measure=f"M{n}", group=ComparatorGroup.ENGLAND)
    assert _queries(client, url) == one <= 12


def test_the_kpi_page_adds_one_query_for_its_benchmarks(world, linked):
    client = client_for(world.staff)
    plain = KPIFactory(
        organisation=world.org, service=world.service, code="X-02", frequency=year_rules.ANNUAL
    )
    client.get(reverse("organisations:kpi_detail", args=[plain.pk]))
    without = _queries(client, reverse("organisations:kpi_detail", args=[plain.pk]))
    assert _queries(client, reverse("organisations:kpi_detail", args=[linked.pk])) == without + 1
