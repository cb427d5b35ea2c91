"""The quarterly performance report, on screen (print-ready) and as downloads."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import clock
from core.db_router import replica_reads
from insights.forms.reports import ORGANISATION_SCOPE, QuarterlyReportForm
from insights.models import CommitteeTemplate, QuarterSignOff
from insights.selectors import latest_complete_quarter
from insights.selectors.report import Report, build_report
from insights.services import exports
from insights.views.common import top_headed_services, your_dashboards
from organisations.access import Viewer, require, viewer_required, visible
from organisations.models import Service
from organisations.rules import years as year_rules

YEARS_OFFERED = 6
PARAMS = ("financial_year", "quarter", "scope")


def _scope_choices(viewer: Viewer) -> list[tuple[str, str]]:
    """The organisation (for those who see all of it) and each service the
    viewer may report on, indented under its parent."""
    children: dict[int | None, list[Service]] = {}
    for s in viewer.tree.services:
        children.setdefault(s.parent_id, []).append(s)
    allowed = None if viewer.sees_whole_organisation else viewer.headed_service_ids
    choices = [(ORGANISATION_SCOPE, "Whole organisation")] if viewer.sees_whole_organisation else []

    def walk(parent_id: int | None, depth: int) -> None:
        for s in sorted(children.get(parent_id, []), key=lambda s: s.name):
            shown = s.parent_id is not None and (allowed is None or s.pk in allowed)
            if shown:
                choices.append((str(s.pk), f"{'– ' * (depth - 1)}{s.name}"))
            walk(s.pk, depth + 1)

    walk(None, 0)
    return choices


def _report_form(request: HttpRequest, viewer: Viewer, today: date) -> QuarterlyReportForm:
    require(
        viewer.sees_whole_organisation or viewer.is_head_of_service,
        "The quarterly report is for performance officers, the chief executive and heads of service.",
    )
    start_month = viewer.organisation.financial_year_start_month
    fy, quarter = latest_complete_quarter(today, start_month)
    current_fy = year_rules.financial_year_start(today, start_month)
    if viewer.sees_whole_organisation:
        scope = ORGANISATION_SCOPE
    else:
        scope = str(top_headed_services(viewer)[0].pk)
    data = {"financial_year": str(fy), "quarter": str(quarter), "scope": scope}
    data.update({k: request.GET[k] for k in PARAMS if k in request.GET})
    # Another organisation's service is a 404; one of ours the viewer may not
    # report on is a 403, as everywhere else.
    asked = data["scope"]
    if asked.isdigit():
        if not any(s.pk == int(asked) for s in viewer.tree.services):
            raise Http404("No such service.")
        if not viewer.sees_whole_organisation and int(asked) not in viewer.headed_service_ids:
            raise PermissionDenied("You can report only on the services you head.")
    return QuarterlyReportForm(
        data,
        years=list(range(current_fy, current_fy - YEARS_OFFERED, -1)),
        start_month=start_month,
        scopes=_scope_choices(viewer),
    )


def _report(viewer: Viewer, form: QuarterlyReportForm, today: date) -> Report:
    scope = form.cleaned_data["scope"]
    service = None
    if scope != ORGANISATION_SCOPE:
        service = next(s for s in viewer.tree.services if s.pk == int(scope))
    return build_report(
        viewer,
        financial_year=form.cleaned_data["financial_year"],
        quarter=form.cleaned_data["quarter"],
        service=service,
        today=today,
    )


@require_GET
@viewer_required
@replica_reads
def quarterly_report(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Queries, after sign-in, the viewer and the navigation (5): the report's 6,
    the committees whose papers it offers 1 and the quarter's sign-off 1."""
    today = clock.today()
    form = _report_form(request, viewer, today)
    report = _report(viewer, form, today) if form.is_valid() else None
    sign_off = None
    if report:
        sign_off = (
            visible(QuarterSignOff, viewer)
            .filter(financial_year=report.financial_year, quarter=report.quarter)
            .first()
        )
    return render(
        request,
        "insights/quarterly_report.html",
        {
            "form": form,
            "report": report,
            "query": urlencode({k: form.data[k] for k in PARAMS}) if report else "",
            "committees": list(visible(CommitteeTemplate, viewer)) if report else [],
            "sign_off": sign_off,
            "dashboards": your_dashboards(viewer, request.path),
        },
    )


def _download(request: HttpRequest, viewer: Viewer, kind: str) -> HttpResponse:
    today = clock.today()
    form = _report_form(request, viewer, today)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Choose a financial year, a quarter and a scope.", content_type="text/plain"
        )
    report = _report(viewer, form, today)
    if kind == "csv":
        response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.{kind}"'
    return response


@require_GET
@viewer_required
@replica_reads
def quarterly_report_csv(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return _download(request, viewer, "csv")


@require_GET
@viewer_required
@replica_reads
def quarterly_report_xlsx(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return _download(request, viewer, "xlsx")
