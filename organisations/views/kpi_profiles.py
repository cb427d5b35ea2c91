"""The page that spreads a year's target over its periods (its profile), for
those who may change the KPI (``Viewer.can_edit_kpi``): others get a 403,
another organisation's KPI a 404, a year without a target a 404."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.form_errors import add_service_errors
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required
from organisations.forms.kpi_profiles import ProfileForm
from organisations.models import KPI
from organisations.rules import profiles as profile_rules
from organisations.rules import years as year_rules
from organisations.selectors.kpi_profiles import profile_rows
from organisations.services import kpis as kpi_services
from organisations.services.kpi_profiles import period_targets_for
from organisations.views.kpi_edits import regrading_messages


def _shown(kpi: KPI, stored: dict[str, str], end) -> str:
    value = stored.get(end.isoformat())
    return kpi.format(None if value is None else Decimal(value))


def _choices_preview(kpi: KPI, target, ends) -> list[dict]:
    """What spreading evenly and last year's shape would give, period by period,
    for a cumulative KPI (last year's shape left out when last year cannot give one)."""
    if not kpi.cumulative:
        return []
    worked = {}
    for profile in profile_rules.WORKED_OUT:
        try:
            worked[profile] = period_targets_for(
                kpi=kpi, financial_year=target.financial_year, target=target.target, profile=profile
            )
        except ValidationError:
            worked[profile] = {}
    return (
        [
            {
                "label": year_rules.period_label(end, kpi.frequency, kpi.start_month),
                "even": _shown(kpi, worked[profile_rules.EVEN], end),
                "last_year": _shown(kpi, worked[profile_rules.LAST_YEAR], end),
            }
            for end in ends
        ]
        if worked[profile_rules.EVEN]
        else []
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def kpi_target_profile(request: HttpRequest, viewer: Viewer, pk: int, year: int) -> HttpResponse:
    """Queries: the KPI, its target for the year, its results in the year (and last
    year's figures once for the preview), then the save."""
    kpi = get_for_viewer(
        in_organisation(KPI, viewer).select_related("service", "organisation"), viewer, pk=pk
    )
    require(
        viewer.can_edit_kpi(kpi),
        "Only the KPI's owner, its head of service and performance officers can change its targets.",
    )
    target = kpi.targets.filter(financial_year=year).first()
    if target is None:
        raise Http404("This KPI has no target for that year.")
    target.kpi = kpi
    ends = year_rules.period_ends_in_year(year, kpi.frequency, kpi.start_month)
    form = ProfileForm(request.POST if request.method == "POST" else None, kpi=kpi, target=target, ends=ends)
    label = year_rules.fy_label(year, kpi.start_month)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = kpi_services.kpi_target_profile_set(
                target=target,
                profile=form.cleaned_data["profile"],
                entered=form.entered(),
                by=viewer.employee,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            regrading_messages(
                request,
                outcome,
                label,
                f"The {label} target's profile is saved: {outcome.target.get_profile_display().lower()}.",
            )
            return redirect("organisations:kpi_detail", pk=kpi.pk)
    first, last = year_rules.fy_bounds(year, kpi.start_month)
    results = kpi.results.filter(period_end__gte=first, period_end__lte=last)
    return render(
        request,
        "organisations/kpis/target_profile.html",
        {
            "form": form,
            "kpi": kpi,
            "target": target,
            "year_label": label,
            "rows": profile_rows(kpi, target, results),
            "preview": _choices_preview(kpi, target, ends),
        },
    )
