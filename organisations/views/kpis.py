"""KPI pages for reading: the organisation's list, a service scorecard, a KPI's
page and the CSV export (the forms are in ``kpi_edits``).

Everyone in the organisation may read; the KPI's owner, the head of its service
(or above) and performance officers may change it (``Viewer.can_edit_kpi``).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from core import clock, glossary
from organisations.access import Viewer, get_for_viewer, in_organisation, own_scope, viewer_required, visible
from organisations.models import KPI, KPIResult, KPITarget
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.benchmarks import headline_benchmarks, kpi_benchmarks
from organisations.selectors.kpi_profiles import profile_rows
from organisations.selectors.kpis import kpi_scorecard, scorecard_summary
from organisations.services import kpi_csv

STATUS_FILTERS = [
    ("", "Any status"),
    *((code, glossary.KPI_STATUS[code].label) for code in glossary.KPI_STATUS_ORDER),
    ("worsening", glossary.DIRECTION[glossary.WORSENING].label),
    ("overdue", "Result overdue"),
]


ALL = "all"
KPIS_PER_PAGE = 50


def _matches(row, status: str) -> bool:
    if not status:
        return True
    if status == "worsening":
        return row.is_worsening
    if status == "overdue":
        return row.overdue_period is not None
    return row.status == status


def current_year(viewer: Viewer) -> int:
    return year_rules.financial_year_start(clock.today(), viewer.organisation.financial_year_start_month)


def may_import(viewer: Viewer) -> bool:
    return (
        viewer.is_performance_officer
        or viewer.is_head_of_service
        or visible(KPI, viewer).filter(owner=viewer.employee).exists()
    )


# --- Reading -------------------------------------------------------------------


@require_GET
@viewer_required
def kpi_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The organisation's KPIs, opening on the viewer's own scope (the service they
    head, else their own service; the whole organisation for performance officers
    and the chief executive), with filters, a search and pages of KPIs grouped by
    service. Queries: the viewer's services, then the scorecard's three (KPIs,
    results, targets), whatever the number of KPIs."""
    services = viewer.tree.by_id
    service_filter = request.GET.get("service", "")
    status_filter = request.GET.get("status", "")
    if status_filter not in dict(STATUS_FILTERS):
        status_filter = ""
    query = request.GET.get("q", "").strip()[:100]
    include_inactive = request.GET.get("inactive") == "1"
    kpis = visible(KPI, viewer)
    if not include_inactive:
        kpis = kpis.filter(active=True)
    if service_filter.isdigit():
        chosen = services.get(int(service_filter))
    elif service_filter == ALL or "service" in request.GET:
        chosen = None
    else:
        chosen = own_scope(viewer)
    if chosen is not None:
        kpis = kpis.filter(service_id__in=viewer.service_subtree_ids(chosen))
    if query:
        kpis = kpis.filter(Q(code__icontains=query) | Q(name__icontains=query))
    rows = kpi_scorecard(kpis)
    summary = scorecard_summary(rows)

    groups: dict[int, dict] = {}
    for row in rows:
        group = groups.setdefault(row.kpi.service_id, {"service": row.kpi.service, "rows": [], "all": []})
        group["all"].append(row)
    ordered = sorted(groups.values(), key=lambda g: viewer.tree.path(g["service"]).lower())
    matching = []
    for g in ordered:
        g["summary"] = scorecard_summary(g["all"])
        g["path"] = viewer.tree.path(g["service"])
        matching += [(g, row) for row in g["all"] if _matches(row, status_filter)]
    # Pages of KPIs, each page's KPIs grouped under their service again.
    page = Paginator(matching, KPIS_PER_PAGE).get_page(request.GET.get("page"))
    shown: list[dict] = []
    for g, row in page.object_list:
        if not shown or shown[-1]["service"] != g["service"]:
            shown.append({"service": g["service"], "path": g["path"], "rows": []})
        shown[-1]["rows"].append(row)
    service_choices = sorted(
        ((s.pk, viewer.tree.path(s)) for s in services.values() if s.parent_id is not None),
        key=lambda c: c[1].lower(),
    )
    return render(
        request,
        "organisations/kpis/list.html",
        {
            "groups": ordered,
            "shown": shown,
            "page_obj": page,
            "summary": summary,
            "shown_count": len(matching),
            "status_filters": STATUS_FILTERS,
            "service_choices": service_choices,
            "service_filter": chosen.pk if chosen else ALL,
            "scope_name": viewer.tree.path(chosen) if chosen else viewer.organisation.name,
            "status_filter": status_filter,
            "query": query,
            "include_inactive": include_inactive,
            "filtered": bool(status_filter or include_inactive or query),
            "can_create": viewer.can_create_kpis(),
            "can_import": may_import(viewer),
            "year": current_year(viewer),
            "may_benchmark": viewer.is_performance_officer,
        },
    )


@require_GET
@viewer_required
def kpi_scorecard_view(request: HttpRequest, viewer: Viewer, service_pk: int) -> HttpResponse:
    """A service and everything below it: each KPI's latest result against its
    target, status, direction of travel and overdue data. Queries: the service,
    the viewer's services, the scorecard's three; the same at 10 or 200 KPIs."""
    service = get_object_or_404(viewer.services().select_related("head"), pk=service_pk)
    ids = viewer.service_subtree_ids(service)
    rows = kpi_scorecard(visible(KPI, viewer).filter(service_id__in=ids, active=True))
    summary = scorecard_summary(rows)
    exceptions_only = request.GET.get("show") == "exceptions"
    shown = [r for r in rows if r.is_exception] if exceptions_only else rows
    several_services = len({r.kpi.service_id for r in rows}) > 1
    # A directorate's scorecard reads service by service, the service itself first.
    groups: dict[int, dict] = {}
    for row in shown:
        groups.setdefault(row.kpi.service_id, {"service": row.kpi.service, "rows": []})["rows"].append(row)
    ordered = sorted(
        groups.values(),
        key=lambda g: (g["service"].pk != service.pk, viewer.tree.path(g["service"]).lower()),
    )
    year = current_year(viewer)
    return render(
        request,
        "organisations/kpis/scorecard.html",
        {
            "service": service,
            "ancestors": viewer.tree.ancestors(service),
            "rows": shown,
            "groups": ordered,
            "summary": summary,
            "exceptions_only": exceptions_only,
            "exception_words": viewer.organisation.exception_rule_words,
            "several_services": several_services,
            "can_create": viewer.is_performance_officer or service.pk in viewer.headed_service_ids,
            "can_import": any(viewer.can_edit_kpi(r.kpi) for r in rows),
            "year": year,
            "year_label": year_rules.fy_label(year, viewer.organisation.financial_year_start_month),
            "today": clock.today(),
            "benchmarks": headline_benchmarks(rows, viewer.organisation),
        },
    )


def _result_rows(kpi: KPI, results: list[KPIResult], targets: dict[int, KPITarget]) -> list[dict]:
    by_period = {r.period_end: r for r in results}
    start = kpi.start_month
    rows = []
    for r in results:
        previous = by_period.get(year_rules.previous_period_end(r.period_end, kpi.frequency, start))
        last_year = by_period.get(year_rules.same_period_last_year(r.period_end, kpi.frequency, start))
        target = targets.get(year_rules.financial_year_start(r.period_end, start))
        rows.append(
            {
                "result": r,
                "label": year_rules.period_label(r.period_end, kpi.frequency, start),
                "value": kpi.format(r.value),
                "target": kpi.format(target.target_for(r.period_end)) if target else kpi_rules.MISSING,
                "target_value": target.target_for(r.period_end) if target else None,
                "direction_previous": kpi.direction_since_previous(
                    r.value, previous.value if previous else None
                ),
                "direction_last_year": kpi.direction(r.value, last_year.value if last_year else None),
            }
        )
    return rows


INDIVIDUAL_GOALS_LISTED = 25

CHART_PERIODS = {year_rules.MONTHLY: 36, year_rules.QUARTERLY: 12, year_rules.ANNUAL: 5}


def _chart_rows(kpi: KPI, rows: list[dict], targets: dict[int, KPITarget]) -> list[dict]:
    """Consecutive periods up to the latest result, oldest first, the last three
    years or so; a period without a result is a row with no value (a gap in the
    line, an en dash in the table)."""
    if not rows:
        return []
    by_period = {r["result"].period_end: r for r in rows}
    first = min(by_period)
    end, out = rows[0]["result"].period_end, []
    for _ in range(CHART_PERIODS[kpi.frequency]):
        if end < first:
            break
        row = by_period.get(end)
        if row is None:
            target = targets.get(year_rules.financial_year_start(end, kpi.start_month))
            row = {
                "result": None,
                "label": year_rules.period_label(end, kpi.frequency, kpi.start_month),
                "value": kpi_rules.MISSING,
                "target": kpi.format(target.target_for(end)) if target else kpi_rules.MISSING,
                "target_value": target.target_for(end) if target else None,
            }
        out.append(row)
        end = year_rules.previous_period_end(end, kpi.frequency, kpi.start_month)
    return list(reversed(out))


@require_GET
@viewer_required
def kpi_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    kpi = get_for_viewer(
        in_organisation(KPI, viewer).select_related("service", "owner", "owner__job_role", "organisation"),
        viewer,
        pk=pk,
    )
    targets = list(kpi.targets.order_by("-financial_year"))
    by_year = {t.financial_year: t for t in targets}
    results = list(kpi.results.select_related("entered_by").order_by("-period_end"))
    rows = _result_rows(kpi, results, by_year)
    chart_rows = _chart_rows(kpi, rows, by_year)
    # Goals that contribute, through the reverse relation (this app never imports
    # appraisals). Individual objectives are shown only to those who may see them,
    # and only the first few: a council-wide KPI can have hundreds, counted instead.
    # Three queries: shared goals, the individual objectives listed, the counts.
    contributing = kpi.goals.exclude(status="dropped").select_related("owner", "service")
    individual = contributing.filter(level="individual")
    may_see = Q(owner__in=viewer.visible_individuals())
    listed = list(individual.filter(may_see).order_by("title", "pk")[:INDIVIDUAL_GOALS_LISTED])
    counts = individual.order_by().aggregate(total=Count("pk"), visible=Count("pk", filter=may_see))
    goals = sorted(
        [*contributing.exclude(level="individual").order_by("title", "pk"), *listed], key=lambda g: g.title
    )
    hidden = counts["total"] - counts["visible"]
    row = kpi_scorecard(visible(KPI, viewer).filter(pk=kpi.pk))[0]
    year = current_year(viewer)
    # The target the status section describes: the latest result's, else this year's.
    judged = row.target or by_year.get(year)
    profiled = by_year.get(year) if by_year.get(year) and by_year[year].is_profiled else None
    benchmarks = kpi_benchmarks([kpi], kpi.organisation, own_results={kpi.pk: row.by_period})
    return render(
        request,
        "organisations/kpis/detail.html",
        {
            "kpi": kpi,
            "row": row,
            "ancestors": viewer.tree.ancestors(kpi.service),
            "targets": targets,
            "rows": rows,
            "chart_rows": chart_rows,
            "goals": goals,
            "hidden_goals": hidden,
            "more_goals": counts["visible"] - len(listed),
            "can_edit": viewer.can_edit_kpi(kpi),
            "year": year,
            "judged_target": judged,
            "judged_value": row.target_value if row.target else (judged.target if judged else None),
            "current_target": by_year.get(year),
            "profile_rows": profile_rows(kpi, profiled, results) if profiled else [],
            "benchmarks": benchmarks.get(kpi.pk, []),
        },
    )


def _year_from(text: str, start_month: int) -> int | None:
    """A financial year from "2026" or "2026/27"; None when it is neither."""
    text = text.strip()
    if text.isdigit():
        year = int(text)
    else:
        try:
            year = year_rules.parse_fy_label(text, start_month)
        except ValueError:
            return None
    return year if 1900 < year < 2200 else None


@require_GET
@viewer_required
def kpi_export(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The results of a service (and below) for a financial year as the import's
    CSV: ``?service=<pk>&year=2026``; without a service, the whole organisation."""
    service = None
    service_param = request.GET.get("service", "")
    kpis = visible(KPI, viewer)
    if service_param:
        if not service_param.isdigit():
            raise Http404("No such service.")
        service = get_object_or_404(viewer.services(), pk=int(service_param))
        kpis = kpis.filter(service_id__in=viewer.service_subtree_ids(service))
    start_month = viewer.organisation.financial_year_start_month
    year = _year_from(request.GET.get("year", ""), start_month) or current_year(viewer)
    first, last = year_rules.fy_bounds(year, start_month)
    results = (
        visible(KPIResult, viewer)
        .filter(kpi__in=kpis, period_end__gte=first, period_end__lte=last)
        .select_related("kpi", "kpi__service", "kpi__organisation")
        .order_by("kpi__code", "period_end")
    )
    targets = {t.kpi_id: t for t in visible(KPITarget, viewer).filter(kpi__in=kpis, financial_year=year)}

    def rows():
        for r in results.iterator(chunk_size=2000):
            kpi = r.kpi
            target = targets.get(kpi.pk)
            yield {
                "kpi_code": kpi.code,
                "period_end": kpi_csv.format_date(r.period_end),
                "value": kpi_csv.plain_number(r.value),
                "commentary": r.commentary,
                "corrective_action": r.corrective_action,
                "public_commentary": r.public_commentary,
                "kpi_name": kpi.name,
                "service": kpi.service.name,
                "period": year_rules.period_label(r.period_end, kpi.frequency, start_month),
                "unit": kpi.unit,
                "target": kpi_csv.plain_number(target.target_for(r.period_end)) if target else "",
                "status": glossary.kpi_status_label(r.status),
            }

    scope = slugify(service.name) if service else slugify(viewer.organisation.slug or "all")
    filename = f"kpi-results-{scope}-{year_rules.fy_label(year, start_month).replace('/', '-')}.csv"
    response = HttpResponse(
        "".join(kpi_csv.write_results_csv(rows())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
