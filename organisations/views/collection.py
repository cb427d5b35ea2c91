"""Collecting KPI results: the collection page (one period: what is due, overdue,
returned, awaiting sign-off and signed off, by service, with the sign-off queue)
and returning a result with a reason (docs/KPI_COLLECTION.md).

The page is for those who record or sign off results: KPI owners, heads of
service and performance officers (others get a 403). Signing off and returning
are for those who may sign off the KPI (``Viewer.can_sign_off_kpi``).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import clock, glossary
from core.form_errors import add_service_errors
from core.redirects import next_or
from organisations.access import Viewer, get_for_viewer, in_organisation, require, viewer_required
from organisations.forms.collection import ReturnForm, SignOffForm
from organisations.models import KPIResult
from organisations.rules import collection as rules
from organisations.rules import years as year_rules
from organisations.selectors.collection import collection, default_period, periods_offered
from organisations.services import kpi_csv
from organisations.services.kpi_sign_off import result_name, result_return, results_validate
from organisations.views.kpis import may_import

STANDING_FILTERS = [("", "Any"), *((s, glossary.result_standing(s).label) for s in rules.STANDINGS)]


def _period(text: str, offered: list[date], today: date, start_month: int) -> date:
    """The period asked for: a month end on or before today; else the default."""
    d = kpi_csv.parse_date(text or "")
    if d and d <= today and year_rules.is_period_end(d, year_rules.MONTHLY, start_month):
        return d
    return default_period(offered, today)


@require_http_methods(["GET", "POST"])
@viewer_required
def collection_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """GET: the period's collection. POST: sign off the results ticked in the
    queue. Queries: the viewer's services and the selector's KPIs and results,
    the same at 10 or 500 KPIs (a test)."""
    require(
        viewer.signs_off_results or may_import(viewer),
        "Only KPI owners, heads of service and performance officers can see the collection of results.",
    )
    today = clock.today()
    start = viewer.organisation.financial_year_start_month
    params = request.POST if request.method == "POST" else request.GET
    offered = periods_offered(today, start)
    period_end = _period(params.get("period", ""), offered, today, start)
    service_param = params.get("service", "")
    service = viewer.tree.by_id.get(int(service_param)) if service_param.isdigit() else None
    standing = params.get("show", "")
    if standing not in dict(STANDING_FILTERS):
        standing = ""
    data = collection(
        viewer,
        period_end=period_end,
        today=today,
        service_ids=viewer.service_subtree_ids(service) if service else None,
        standing=standing,
    )
    query = urlencode(
        {
            "period": period_end.isoformat(),
            **({"service": service.pk} if service else {}),
            **({"show": standing} if standing else {}),
        }
    )
    form = None
    if viewer.signs_off_results:
        form = SignOffForm(request.POST if request.method == "POST" else None, queue=data.queue)
    if request.method == "POST":
        require(viewer.signs_off_results, "Only those who sign off results can sign them off.")
        if form.is_valid():
            chosen = {int(pk) for pk in form.cleaned_data["result"]}
            results = [r.result for r in data.queue if r.result.pk in chosen]
            try:
                count = results_validate(results=results, by=viewer.employee)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{count} result{'s' if count != 1 else ''} signed off.")
                return redirect(f"{reverse('organisations:kpi_collection')}?{query}")
    ticked = set(request.POST.getlist("result")) if request.method == "POST" else set()
    return render(
        request,
        "organisations/collection/page.html",
        {
            "data": data,
            "form": form,
            "ticked": ticked,
            "period_end": period_end,
            "period_label": year_rules.period_label(period_end, year_rules.MONTHLY, start),
            "periods": [(d, year_rules.period_label(d, year_rules.MONTHLY, start)) for d in offered],
            "service": service,
            "service_choices": sorted(
                ((s.pk, viewer.tree.path(s)) for s in viewer.tree.services if s.parent_id is not None),
                key=lambda c: c[1].lower(),
            ),
            "standing": standing,
            "standing_label": dict(STANDING_FILTERS)[standing],
            "standing_filters": STANDING_FILTERS,
            "standings": rules.STANDINGS,
            "query": query,
            "signs_off": viewer.signs_off_results,
            "validated_by": viewer.organisation.get_results_validated_by_display(),
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def result_return_view(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    """Return a result to its owner with a reason."""
    result = get_for_viewer(
        in_organisation(KPIResult, viewer).select_related(
            "kpi__organisation", "kpi__service", "submitted_by"
        ),
        viewer,
        pk=pk,
    )
    kpi = result.kpi
    require(viewer.can_sign_off_kpi(kpi), f"Only those who sign off {kpi.code}'s results can return them.")
    back = next_or(
        request, f"{reverse('organisations:kpi_collection')}?period={result.period_end.isoformat()}"
    )
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result_return(
                result=result,
                by=viewer.employee,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{result_name(result)} returned to its owner.")
            return redirect(back)
    return render(
        request,
        "organisations/collection/return.html",
        {"form": form, "result": result, "kpi": kpi, "name": result_name(result), "back": back},
    )
