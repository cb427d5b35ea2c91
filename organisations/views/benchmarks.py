"""Benchmarks against other councils, for performance officers: the measures held
by comparator group, importing a file of figures, and the organisation's area
code. Everyone else gets a 403. Each KPI's quartile position shows on its own
page, its service's scorecard and the quarterly report."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from organisations.access import Viewer, require, viewer_required
from organisations.forms.benchmarks import AreaCodeForm, BenchmarkImportForm
from organisations.rules import benchmarks as benchmark_rules
from organisations.selectors.benchmarks import measures_by_group, recent_imports
from organisations.services import benchmark_csv
from organisations.services.benchmark_import import benchmark_figures_import, organisation_area_code_set

OFFICERS_ONLY = "Only performance officers can manage benchmarks."


@require_GET
@viewer_required
def benchmark_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Queries after the viewer: the measures by group (3) and the imports (1)."""
    require(viewer.is_performance_officer, OFFICERS_ONLY)
    org = viewer.organisation
    return render(
        request,
        "organisations/benchmarks/list.html",
        {
            "groups": measures_by_group(org),
            "imports": recent_imports(org),
            "area_code": org.area_code,
            "min_group": benchmark_rules.MIN_GROUP_SIZE,
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def benchmark_import(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_performance_officer, OFFICERS_ONLY)
    post = request.method == "POST"
    form = BenchmarkImportForm(request.POST if post else None, request.FILES if post else None)
    row_errors = []
    if post and form.is_valid():
        data = form.cleaned_data
        outcome = benchmark_figures_import(
            organisation=viewer.organisation,
            rows=form.rows,
            comparator_group=data["comparator_group"],
            measure=data["measure"],
            measure_name=data["measure_name"].strip(),
            source=data["source"],
            filename=data["file"].name or "",
            by=viewer.employee,
        )
        if outcome.ok:
            skipped = f" {outcome.skipped} rows had no figure published." if outcome.skipped else ""
            messages.success(
                request,
                f"Imported {outcome.created} figure{'s' if outcome.created != 1 else ''} for "
                f"{', '.join(outcome.measures)}.{skipped}",
            )
            return redirect("organisations:benchmark_list")
        row_errors = outcome.errors
        problems = f"{len(row_errors)} problem{'s' if len(row_errors) != 1 else ''}"
        form.add_error(
            "file",
            f"The file has {problems}. Nothing was imported: correct the rows listed and upload the file again.",
        )
    return render(
        request,
        "organisations/benchmarks/import.html",
        {"form": form, "row_errors": row_errors, "columns": benchmark_csv.REQUIRED_COLUMNS},
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def benchmark_area_code(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_performance_officer, OFFICERS_ONLY)
    org = viewer.organisation
    post = request.method == "POST"
    form = AreaCodeForm(request.POST if post else None, initial={"area_code": org.area_code})
    if post and form.is_valid():
        changed = organisation_area_code_set(
            organisation=org, area_code=form.cleaned_data["area_code"], by=viewer.employee
        )
        if changed:
            messages.success(request, f"Area code saved: {org.area_code or 'none'}.")
        return redirect("organisations:benchmark_list")
    return render(request, "organisations/benchmarks/area_code.html", {"form": form})
