"""KPI forms: add and edit a KPI, record or correct a result, set a year's target,
import a file of results. Each is for those who may change the KPI
(``Viewer.can_edit_kpi``); others get a 403, another organisation's KPI a 404.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import clock
from core.form_errors import add_service_errors
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required, visible
from organisations.forms.kpi_results import ImportForm, ResultForm
from organisations.forms.kpis import KPIForm, TargetForm
from organisations.models import KPI
from organisations.rules import years as year_rules
from organisations.services import kpi_csv
from organisations.services import kpis as kpi_services
from organisations.services.kpi_import import kpi_results_import
from organisations.views.kpis import current_year, may_import


@require_http_methods(["GET", "POST"])
@viewer_required
def kpi_create(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.can_create_kpis(), "Only performance officers and heads of service can add KPIs.")
    initial = {}
    if request.GET.get("service", "").isdigit():
        initial["service"] = int(request.GET["service"])
    form = KPIForm(request.POST if request.method == "POST" else None, viewer=viewer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            kpi = kpi_services.kpi_create(
                organisation=viewer.organisation,
                service=data.pop("service"),
                code=data.pop("code"),
                name=data.pop("name"),
                by=viewer.employee,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"KPI {kpi.code} created. Now set its target for this year.")
            return redirect(
                f"{reverse('organisations:kpi_targets', args=[kpi.pk])}?year={current_year(viewer)}"
            )
    return render(request, "organisations/kpis/form.html", {"form": form, "kpi": None})


def _editable_kpi(viewer: Viewer, pk: int, action: str) -> KPI:
    """The viewer's organisation's KPI (else 404), if they may edit it (else 403)."""
    kpi = get_for_viewer(
        in_organisation(KPI, viewer).select_related("service", "organisation"), viewer, pk=pk
    )
    require(
        viewer.can_edit_kpi(kpi),
        f"Only the KPI's owner, its head of service and performance officers can {action}.",
    )
    return kpi


@require_http_methods(["GET", "POST"])
@viewer_required
def kpi_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    kpi = _editable_kpi(viewer, pk, "change it")
    form = KPIForm(request.POST if request.method == "POST" else None, instance=kpi, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            outcome = kpi_services.kpi_update(
                kpi=visible(KPI, viewer).get(pk=kpi.pk), by=viewer.employee, **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = f"KPI {outcome.kpi.code} saved."
            if outcome.regraded:
                text += f" {outcome.regraded} results were re-graded against the new polarity."
            messages.success(request, text)
            if outcome.reds_without_action:
                messages.warning(
                    request,
                    f"{outcome.reds_without_action} results are now red without a corrective action: add one to each.",
                )
            return redirect("organisations:kpi_detail", pk=kpi.pk)
    return render(request, "organisations/kpis/form.html", {"form": form, "kpi": kpi})


def _past_period_end(kpi: KPI, text: str, today: date) -> date | None:
    """A date that ends one of the KPI's periods, on or before today; else None."""
    d = kpi_csv.parse_date(text)
    if d and year_rules.is_period_end(d, kpi.frequency, kpi.start_month) and d <= today:
        return d
    return None


@require_http_methods(["GET", "POST"])
@viewer_required
def kpi_result_record(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    kpi = _editable_kpi(viewer, pk, "record results")
    today = clock.today()
    targets = {t.financial_year: t for t in kpi.targets.all()}
    recorded = set(kpi.results.values_list("period_end", flat=True))
    # ?period=YYYY-MM-DD: correct that period's result (also one older than the list).
    wanted = _past_period_end(kpi, request.GET.get("period", ""), today)
    existing = kpi.results.filter(period_end=wanted).first() if wanted else None
    initial = {"period": wanted.isoformat()} if wanted else {}
    if existing:
        initial.update(
            value=kpi_csv.plain_number(existing.value),
            commentary=existing.commentary,
            corrective_action=existing.corrective_action,
            public_commentary=existing.public_commentary,
        )
    form = ResultForm(
        request.POST if request.method == "POST" else None,
        kpi=kpi,
        targets=targets,
        recorded=recorded,
        today=today,
        # A correction of a period older than the list posts that period back.
        extra_period=_past_period_end(kpi, request.POST.get("period", ""), today)
        if request.method == "POST"
        else wanted,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result, created = kpi_services.kpi_result_record(
                kpi=kpi,
                period_end=data["period"],
                value=data["value"],
                commentary=data["commentary"],
                corrective_action=data["corrective_action"],
                public_commentary=data["public_commentary"],
                by=viewer.employee,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = year_rules.period_label(result.period_end, kpi.frequency, kpi.start_month)
            status = result.get_status_display().lower()
            verb = "recorded" if created else "corrected"
            messages.success(
                request, f"{label} {verb}: {kpi.format(result.value)}, {status}. It now awaits sign-off."
            )
            return redirect("organisations:kpi_detail", pk=kpi.pk)
    return render(
        request,
        "organisations/kpis/result_form.html",
        {
            "form": form,
            "kpi": kpi,
            "existing": existing,
            "targets": sorted(targets.values(), key=lambda t: -t.financial_year),
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def kpi_targets(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    kpi = _editable_kpi(viewer, pk, "set targets")
    today = clock.today()
    targets = list(kpi.targets.order_by("-financial_year"))
    by_year = {t.financial_year: t for t in targets}
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() else None
    existing = by_year.get(year) if year else None
    initial = {"financial_year": year} if year else {}
    if existing:
        initial.update(
            target=kpi_csv.plain_number(existing.target),
            tolerance_kind=existing.tolerance_kind,
            green_tolerance=existing.green_tolerance.normalize(),
            amber_tolerance=existing.amber_tolerance.normalize(),
        )
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        kpi=kpi,
        today=today,
        existing_years=list(by_year),
        example=existing or (targets[0] if targets else None),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = kpi_services.kpi_target_set(
                kpi=kpi,
                financial_year=data["financial_year"],
                target=data["target"],
                tolerance_kind=data["tolerance_kind"],
                green_tolerance=data["green_tolerance"],
                amber_tolerance=data["amber_tolerance"],
                by=viewer.employee,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = year_rules.fy_label(data["financial_year"], kpi.start_month)
            regrading_messages(
                request, outcome, label, f"Target for {label} saved: {kpi.format(outcome.target.target)}."
            )
            return redirect("organisations:kpi_detail", pk=kpi.pk)
    return render(request, "organisations/kpis/targets.html", {"form": form, "kpi": kpi, "targets": targets})


@require_http_methods(["GET", "POST"])
@viewer_required
def kpi_import(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(
        may_import(viewer), "Only KPI owners, heads of service and performance officers can import results."
    )
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        may_sign_off=viewer.signs_off_results,
    )
    row_errors = []
    if request.method == "POST" and form.is_valid():
        sign_off = bool(form.cleaned_data.get("sign_off"))
        outcome = kpi_results_import(
            organisation=viewer.organisation,
            rows=form.rows,
            by=viewer.employee,
            may_edit=viewer.can_edit_kpi,
            sign_off=sign_off,
        )
        if outcome.ok:
            total = outcome.created + outcome.updated
            messages.success(
                request,
                f"Imported {total} result{'s' if total != 1 else ''}: "
                f"{outcome.created} created, {outcome.updated} updated. "
                + ("They are signed off." if sign_off else "They await sign-off."),
            )
            services = {k.service_id for k in outcome.kpis}
            if len(services) == 1:
                return redirect("organisations:kpi_scorecard", service_pk=services.pop())
            return redirect("organisations:kpi_list")
        row_errors = outcome.errors
        problems = f"{len(row_errors)} problem{'s' if len(row_errors) != 1 else ''}"
        if outcome.unchecked:
            problems = f"at least {problems}. Checking stopped there: {outcome.stopped}"
        form.add_error(
            "file",
            f"The file has {problems}. "
            "Nothing was imported: correct the rows listed and upload the file again.",
        )
    return render(
        request,
        "organisations/kpis/import.html",
        {
            "form": form,
            "row_errors": row_errors,
            "columns": kpi_csv.REQUIRED_COLUMNS,
            "year": current_year(viewer),
        },
    )


def regrading_messages(request: HttpRequest, outcome, label: str, saved: str) -> None:
    """Say what saving a year's target or its profile did to that year's results:
    how many were re-graded, and how many are now red without a corrective action."""
    if outcome.regraded:
        saved += f" {outcome.regraded} results in {label} were re-graded."
    messages.success(request, saved)
    if outcome.reds_without_action:
        messages.warning(
            request,
            f"{outcome.reds_without_action} results in {label} are now red without a corrective "
            "action: add one to each.",
        )
