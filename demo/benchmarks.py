"""Benchmarks for the demo council: its area code, the sample files in
demo/benchmark_files/ (illustrative figures for fictional councils, see the
README there) imported for their comparator groups, and three KPIs linked to
their measures, so the KPI pages, scorecards and the quarterly report show
quartiles."""

from __future__ import annotations

from pathlib import Path

from organisations.models import KPI, ComparatorGroup
from organisations.services.benchmark_csv import read_benchmark_csv
from organisations.services.benchmark_import import benchmark_figures_import

FILES = Path(__file__).resolve().parent / "benchmark_files"
AREA_CODE = "E10900001"

# (file, comparator group, measure for a file without a measure column, its name)
SAMPLES = (
    ("nearest_neighbours_waste.csv", ComparatorGroup.NEAREST_NEIGHBOURS, "", ""),
    (
        "county_councils_ehcp_20_weeks.csv",
        ComparatorGroup.SAME_TYPE,
        "EHCP20WK",
        "New EHC plans issued within 20 weeks (%)",
    ),
)
SOURCE = "Illustrative sample in the shape of an LG Inform download (not published figures)"

# The demo KPI (by name, from demo/kpi_catalogue.py) linked to each measure.
LINKS = {
    "Household waste recycled, reused or composted": "NI192",
    "Residual household waste per household, kg": "NI191",
    "EHC plans issued within 20 weeks": "EHCP20WK",
}


def seed(ctx) -> None:
    org = ctx.organisation
    org.area_code = AREA_CODE
    org.save(update_fields=["area_code"])
    officer = next(
        (p for p in ctx.personas.values() if p.organisation_id == org.pk and p.is_performance_officer), None
    )
    for filename, group, measure, name in SAMPLES:
        path = FILES / filename
        rows = read_benchmark_csv(path.read_bytes(), filename=filename, measure_given=bool(measure))
        outcome = benchmark_figures_import(
            organisation=org,
            rows=rows,
            comparator_group=group,
            measure=measure,
            measure_name=name,
            source=SOURCE,
            filename=filename,
            by=officer,
        )
        if not outcome.ok:
            raise RuntimeError(f"The sample {filename} did not import: {outcome.errors[:3]}")
    for kpi_name, measure in LINKS.items():
        KPI.objects.filter(organisation=org, name=kpi_name).update(benchmark_measure=measure)
