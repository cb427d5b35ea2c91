"""The organisation structure, service pages and person pages."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core import clock
from organisations.access import Viewer, own_scope, viewer_required, visible
from organisations.models import Employee, Service
from organisations.models.people import CONTINGENT_TYPES, EmploymentType
from organisations.rules import workforce as workforce_rules
from organisations.views.person_sections import sections_for


def _tree(services: list[Service], counts: dict[int, int]) -> list[dict]:
    """Nested dicts for the template, with headcount of each node's subtree."""
    children: dict[int | None, list[Service]] = {}
    for s in services:
        children.setdefault(s.parent_id, []).append(s)

    def build(node: Service) -> dict:
        kids = [build(c) for c in sorted(children.get(node.pk, []), key=lambda s: s.name)]
        total = counts.get(node.pk, 0) + sum(k["total"] for k in kids)
        return {"service": node, "own": counts.get(node.pk, 0), "total": total, "children": kids}

    return [build(root) for root in sorted(children.get(None, []), key=lambda s: s.name)]


@require_GET
@viewer_required
def structure(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    services = list(viewer.services().select_related("head"))
    counts = dict(
        viewer.employees()
        .filter(active=True)
        .values_list("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    )
    return render(
        request,
        "organisations/structure.html",
        {"tree": _tree(services, counts), "headcount": sum(counts.values())},
    )


@require_GET
@viewer_required
def service_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    service = get_object_or_404(viewer.services().select_related("head", "parent"), pk=pk)
    ids = viewer.service_subtree_ids(service)
    staff = viewer.employees().filter(service_id__in=ids, active=True)
    by_type = {
        row["employment_type"]: row
        for row in staff.values("employment_type").annotate(n=Count("pk"), fte=Sum("fte"))
    }
    total_fte = sum((r["fte"] for r in by_type.values()), 0)
    contingent_fte = sum((by_type[t]["fte"] for t in CONTINGENT_TYPES if t in by_type), 0)
    workforce = [
        {
            "label": label,
            "n": by_type.get(value, {}).get("n", 0),
            "fte": by_type.get(value, {}).get("fte") or 0,
        }
        for value, label in EmploymentType.choices
    ]
    children = list(service.children.select_related("head").order_by("name"))
    members = list(
        viewer.employees()
        .filter(service=service, active=True)
        .select_related("job_role", "line_manager")
        .order_by("last_name", "first_name")
    )
    # Contracts and employment types of individuals are HR details: only for those
    # who see the person's individual records (Employee.individual_records_visible_to).
    hr_visible = set(viewer.visible_individuals().filter(service=service).values_list("pk", flat=True))
    for m in members:
        m.hr_visible = m.pk in hr_visible
    today = clock.today()
    ending = (
        viewer.visible_individuals()
        .filter(service_id__in=ids, active=True)
        .filter(employment_type__in=CONTINGENT_TYPES, end_date__lte=today + timedelta(days=90))
        .select_related("service", "job_role")
        .order_by("end_date")
    )
    share = workforce_rules.interim_share(contingent_fte=contingent_fte, total_fte=total_fte)
    threshold = viewer.organisation.interim_reliance_threshold
    return render(
        request,
        "organisations/service_detail.html",
        {
            "service": service,
            "ancestors": viewer.tree.ancestors(service),
            "children": children,
            "members": members,
            "workforce": workforce,
            "headcount": sum(w["n"] for w in workforce),
            "total_fte": total_fte,
            "interim_share": share or 0,
            "above_threshold": workforce_rules.above_threshold(share, threshold),
            "threshold": threshold,
            "ending": ending,
            "today": today,
        },
    )


@require_GET
@viewer_required
def person_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    person = get_object_or_404(
        visible(Employee, viewer).select_related("service", "job_role", "line_manager", "organisation"), pk=pk
    )
    reports = list(person.direct_reports.filter(active=True).select_related("job_role"))
    context = {
        "person": person,
        "reports": reports,
        "can_see_individual": viewer.can_see_individual(person),
        # Employment type, FTE, contract dates: the same rule as individual records.
        "hr_visible": person.individual_records_visible_to(viewer),
        "is_me": person.pk == viewer.employee.pk,
    }
    # Goals, sessions and skills add their sections through this hook, so this app
    # never imports the apps above it.
    context["extra_sections"] = sections_for(request, viewer, person)
    return render(request, "organisations/person_detail.html", context)


@require_GET
@viewer_required
def people(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Find a person in the organisation by name. Without a name it lists the
    people of the viewer's own service (or a service chosen); a name is looked
    for across the organisation unless a service is chosen."""
    from django.core.paginator import Paginator

    q = request.GET.get("q", "").strip()[:100]
    scope_value = request.GET.get("service", "")
    if scope_value.isdigit():
        scope = viewer.tree.by_id.get(int(scope_value))
    elif scope_value == "all" or q:
        scope = None
    else:
        scope = own_scope(viewer)
    qs = viewer.employees().filter(active=True).select_related("service", "job_role")
    if scope is not None:
        qs = qs.filter(service_id__in=viewer.service_subtree_ids(scope))
    if q:
        for part in q.split():
            qs = qs.filter(Q(first_name__icontains=part) | Q(last_name__icontains=part))
    page = Paginator(qs.order_by("last_name", "first_name"), 50).get_page(request.GET.get("page"))
    choices = sorted(((s.pk, viewer.tree.path(s)) for s in viewer.tree.services), key=lambda c: c[1].lower())
    return render(
        request,
        "organisations/people.html",
        {
            "page_obj": page,
            "q": q,
            "scope": scope,
            "scope_name": viewer.tree.path(scope) if scope else viewer.organisation.name,
            "service_choices": choices,
            "can_import_people": viewer.may_import_people,
        },
    )
