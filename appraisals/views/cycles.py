"""Appraisal cycles: who has had their mid-year and year-end review.

Managers see the people below them, heads of service their subtree, performance
officers and the chief executive everyone. Only that a review happened is shown
(date and kind), never what was said, so heads and officers may see it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from appraisals.forms.sessions import CycleForm
from appraisals.models import AppraisalCycle
from appraisals.selectors.supervision import (
    DONE,
    MISSING,
    OUTSTANDING,
    REVIEW_STATUS_LABELS,
    completion_by_service,
    cycle_completion,
    cycle_windows,
)
from appraisals.services.cycles import appraisal_cycle_create, default_cycle_windows
from core import clock
from core.form_errors import add_service_errors
from organisations.access import Viewer, require, viewer_required, visible
from organisations.models import Employee
from organisations.rules import years as year_rules

NO_ACCESS = "Appraisal cycles are for managers, heads of service and performance officers."


def _people_in_scope(viewer: Viewer) -> QuerySet[Employee] | None:
    """Active people whose reviews this viewer may follow, or None when nobody."""
    people = viewer.employees().filter(active=True)
    if viewer.sees_whole_organisation:
        return people
    condition = Q(pk__in=[])
    if viewer.report_ids:
        condition |= Q(pk__in=viewer.report_ids)
    if viewer.headed_service_ids:
        condition |= Q(service_id__in=viewer.headed_service_ids)
    if not viewer.report_ids and not viewer.headed_service_ids:
        return None
    return people.filter(condition)


def _label(viewer: Viewer, year: int) -> str:
    return year_rules.fy_label(year, viewer.organisation.financial_year_start_month)


@require_GET
@viewer_required
def cycle_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(_people_in_scope(viewer) is not None, NO_ACCESS)
    cycles = list(visible(AppraisalCycle, viewer).order_by("-financial_year"))
    for cycle in cycles:
        cycle.label = _label(viewer, cycle.financial_year)
    current = year_rules.financial_year_start(clock.today(), viewer.organisation.financial_year_start_month)
    return render(
        request,
        "appraisals/cycles/list.html",
        {"cycles": cycles, "current_year": current, "can_create": viewer.is_performance_officer},
    )


@require_GET
@viewer_required
def cycle_detail(request: HttpRequest, viewer: Viewer, year: int) -> HttpResponse:
    cycle = get_object_or_404(
        visible(AppraisalCycle, viewer).select_related("organisation"), financial_year=year
    )
    people = _people_in_scope(viewer)
    require(people is not None, NO_ACCESS)
    today = clock.today()
    rows = cycle_completion(cycle, people, today=today)
    services = completion_by_service(rows)
    missing = [
        r for r in rows if r.mid_year in (OUTSTANDING, MISSING) or r.year_end in (OUTSTANDING, MISSING)
    ]
    page = Paginator(missing, 50).get_page(request.GET.get("page"))
    totals = {
        "people": len(rows),
        "mid_year_due": sum(s.mid_year_due for s in services),
        "mid_year_done": sum(s.mid_year_done for s in services),
        "year_end_due": sum(s.year_end_due for s in services),
        "year_end_done": sum(s.year_end_done for s in services),
    }
    for key in ("mid_year", "year_end"):
        due = totals[f"{key}_due"]
        totals[f"{key}_percent"] = round(totals[f"{key}_done"] / due * 100) if due else None
    windows = cycle_windows(cycle, cycle.organisation.financial_year_start_month)
    return render(
        request,
        "appraisals/cycles/detail.html",
        {
            "cycle": cycle,
            "label": _label(viewer, cycle.financial_year),
            "services": services,
            "totals": totals,
            "page_obj": page,
            "missing_count": len(missing),
            "status_labels": REVIEW_STATUS_LABELS,
            "done": DONE,
            "missing_state": MISSING,
            "outstanding": OUTSTANDING,
            "windows": windows,
            "whole_organisation": viewer.sees_whole_organisation,
        },
    )


@require_http_methods(["GET", "POST"])
@viewer_required
def cycle_create(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    require(viewer.is_performance_officer, "Only performance officers can set up appraisal cycles.")
    org = viewer.organisation
    year = year_rules.financial_year_start(clock.today(), org.financial_year_start_month)
    if visible(AppraisalCycle, viewer).filter(financial_year=year).exists():
        year += 1
    form = CycleForm(
        request.POST or None, initial=default_cycle_windows(year, org.financial_year_start_month)
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = appraisal_cycle_create(organisation=org, by=viewer.employee, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Appraisal cycle {_label(viewer, cycle.financial_year)} set up.")
            return redirect("appraisals:cycle_detail", year=cycle.financial_year)
    return render(request, "appraisals/cycles/create.html", {"form": form})
