"""The role dashboards: a service and its subtree, the whole organisation, and
each person's own page. (The team dashboard is in insights/views/team.py.)

Each view adds up a fixed number of queries (see the comments), whatever the
size of the organisation; tests/insights/test_query_budgets.py holds them to it.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from appraisals.models import Action, FeedbackSession, Goal, GoalLevel, GoalStatus, SessionState
from appraisals.selectors.supervision import cadence_for
from core import clock
from core.db_router import replica_reads
from insights import selectors
from insights.services.recompute import last_run
from insights.views.common import can_see_service_dashboard, service_or_404, your_dashboards
from organisations.access import Viewer, require, viewer_required, visible
from organisations.models import KPI, Employee, ServiceKind
from organisations.rules import kpis as kpi_rules
from organisations.selectors.kpis import kpi_scorecard, latest_statuses, status_counts
from organisations.selectors.registrations import service_compliance

OVERDUE_LISTED = 25
EXCEPTIONS_LISTED = 25


@require_GET
@viewer_required
@replica_reads
def service_dashboard(request: HttpRequest, viewer: Viewer, service_pk: int) -> HttpResponse:
    """A service and everything below it.

    Queries, after sign-in, the viewer and the navigation (5): the services'
    stored figures 1 (a read model: KPIs by status and the exceptions, workforce
    and supervision, goals by status, who may be most overdue), the listed
    exceptions' scorecard 3, the viewer's attention list 3, the service's flags 1,
    risks 1, skills gaps 1, the most overdue 1, cycle with its completion 1, last
    run 1, registration and mandatory training 2. Without stored figures from
    today, the same counted here (one more)."""
    service = service_or_404(viewer, service_pk)
    require(
        can_see_service_dashboard(viewer, service), "Only the heads of this service can see its dashboard."
    )
    org = viewer.organisation
    today = clock.today()
    ids = viewer.service_subtree_ids(service)

    # The services' figures as the last run stored them (a read model): KPIs by status,
    # the exceptions in order, workforce and supervision. Else worked out here.
    stored = selectors.stored_figures(org, ids, today)
    kpis = visible(KPI, viewer).filter(service_id__in=ids, active=True)
    if stored is not None:
        listed = stored.exceptions[:EXCEPTIONS_LISTED]
        by_id = {
            r.kpi.pk: r for r in kpi_scorecard(kpis.filter(pk__in=listed), today=today, figures_only=True)
        }
        exceptions = [by_id[pk] for pk in listed if pk in by_id]
        kpi_count, counts, exceptions_total = stored.kpi_total, stored.kpi_counts, len(stored.exceptions)
    else:
        # Only figures, statuses and directions are shown: no commentary, no missing periods.
        kpi_rows = kpi_scorecard(kpis, today=today, figures_only=True)
        kpi_count, counts = len(kpi_rows), status_counts(kpi_rows)
        # Exceptions under the organisation's rule: red and worsening first, then red,
        # then amber and worsening, then amber; a whole council has hundreds, so the
        # most pressing are listed and the scorecard has the rest.
        exceptions = sorted(
            (r for r in kpi_rows if r.is_exception),
            key=lambda r: (r.status != kpi_rules.RED, not r.is_worsening),
        )
        exceptions_total = len(exceptions)
    # The viewer's own list (the same on every dashboard and the flag list's first
    # tab), and this service's flags as a count.
    attention = selectors.attention(viewer, new_since=clock.now() - timedelta(days=selectors.NEW_FLAG_DAYS))
    service_flags = selectors.service_flag_counts(viewer, ids)
    risks_all = selectors.risks_needing_attention(org, ids, today)
    risks, risks_total = risks_all[:5], len(risks_all)
    gaps = selectors.top_skill_gaps(org, ids)
    staff = viewer.employees().filter(active=True, service_id__in=ids)
    if stored is not None:
        workforce_counts, compliance = stored.workforce, stored.supervision
    else:
        workforce_counts, compliance = selectors.staff_figures(staff, org, today)
    workforce = selectors.workforce_mix(workforce_counts, None, org.interim_reliance_threshold)
    # The most overdue: among the stored candidates (every one of them is there), else everyone.
    overdue_staff = staff.filter(pk__in=stored.overdue) if stored is not None else staff
    supervision = selectors.supervision_over(compliance, overdue_staff, org, today, listed=OVERDUE_LISTED)
    by_id = viewer.tree.by_id
    ancestors, node = [], by_id.get(service.parent_id)
    while node is not None and node not in ancestors:
        ancestors.append(node)
        node = by_id.get(node.parent_id)
    children = sorted((s for s in viewer.tree.services if s.parent_id == service.pk), key=lambda s: s.name)
    return render(
        request,
        "insights/service_dashboard.html",
        {
            "service": service,
            "ancestors": [a for a in reversed(ancestors) if can_see_service_dashboard(viewer, a)],
            "children": children,
            "dashboards": your_dashboards(viewer, request.path),
            "kpi_count": kpi_count,
            "status_counts": counts,
            "exceptions": exceptions[:EXCEPTIONS_LISTED],
            "exceptions_more": max(0, exceptions_total - EXCEPTIONS_LISTED),
            "attention": attention,
            "service_flags": service_flags,
            "service_flags_total": sum(c.n for c in service_flags),
            "service_flags_words": selectors.severity_words(service_flags),
            "risks": risks,
            "risks_total": risks_total,
            "risks_summary": selectors.risks_in_words(risks_all),
            "gaps": gaps,
            "workforce": workforce,
            "supervision": supervision,
            "overdue": [(c, by_id.get(c.employee.service_id)) for c in supervision.overdue[:OVERDUE_LISTED]],
            "goals": stored.goals if stored is not None else selectors.goals_by_status(org, ids),
            "completion": selectors.cycle_completion(org, staff, supervision.total, today),
            "run": last_run(org),
            "registration": service_compliance(org, ids, today),
            # Who is lapsed or expiring, by name, for those who see these people's records.
            "registration_people": viewer.sees_whole_organisation or ids <= viewer.headed_service_ids,
            "new_flag_days": selectors.NEW_FLAG_DAYS,
            "organisation": org,
            "today": today,
        },
    )


@require_GET
@viewer_required
@replica_reads
def org_overview(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Every directorate and service side by side.

    Queries, after sign-in, the viewer and the navigation (5): KPIs with their
    latest status 1, high flags 1, workforce and supervision counts by service 1,
    risks 1, priorities 1, last run 1."""
    require(
        viewer.sees_whole_organisation,
        "The organisation overview is for performance officers and the chief executive.",
    )
    org = viewer.organisation
    today = clock.today()
    services = viewer.tree.services
    # Only counts by status: the latest result's status of each KPI, not the scorecard.
    kpis_by_service = selectors.kpi_status_counts_by_service(
        latest_statuses(visible(KPI, viewer).filter(active=True), as_of=today)
    )
    high_flags = selectors.high_flags_by_service(viewer)
    workforce_counts, compliance = selectors.stored_staff_figures(
        org, [s.pk for s in services], today
    ) or selectors.staff_figures(viewer.employees().filter(active=True), org, today)

    children: dict[int | None, list] = {}
    for s in services:
        children.setdefault(s.parent_id, []).append(s)

    below: dict[int, set[int]] = {}

    def subtree(service_id: int) -> set[int]:
        """The service and everything below it, each subtree worked out once."""
        if service_id not in below:
            below[service_id] = {service_id}  # a loop in the data stops here
            for child in children.get(service_id, []):
                below[service_id] |= subtree(child.pk)
        return below[service_id]

    def row(service, depth: int) -> dict:
        ids = subtree(service.pk)
        return {
            "service": service,
            "depth": depth,
            "kpis": selectors.add_counts(kpis_by_service.get(sid, {}) for sid in ids),
            "high_flags": sum(high_flags.get(sid, 0) for sid in ids),
            "supervision": selectors.compliance_over(compliance, ids),
            "workforce": selectors.workforce_mix(workforce_counts, ids, org.interim_reliance_threshold),
        }

    rows = []

    def walk(parent_id, depth: int) -> None:
        for s in sorted(children.get(parent_id, []), key=lambda s: s.name):
            if s.kind == ServiceKind.TEAM:
                continue
            if s.parent_id is not None:  # the root is the whole-organisation row
                rows.append(row(s, depth))
            walk(s.pk, depth + (s.parent_id is not None))

    walk(None, 0)
    overall = selectors.compliance_over(compliance, compliance.keys())
    whole = {
        "kpis": selectors.add_counts(kpis_by_service.values()),
        "high_flags": sum(high_flags.values()),
        "supervision": overall,
        "workforce": selectors.workforce_mix(workforce_counts, None, org.interim_reliance_threshold),
    }
    return render(
        request,
        "insights/org_overview.html",
        {
            "dashboards": your_dashboards(viewer, request.path),
            "rows": rows,
            "whole": whole,
            "risks": selectors.top_risks(org),
            "priorities": selectors.organisation_priorities(org),
            "run": last_run(org),
            "organisation": org,
            "today": today,
        },
    )


@require_GET
@viewer_required
def my_page(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """My goals, my next session, my open actions, sessions to acknowledge.

    Queries, after sign-in, the viewer and the navigation (5): goals 1,
    cadence 2, actions 1, sessions to acknowledge 1."""
    me = viewer.employee
    today = clock.today()
    goals = list(
        visible(Goal, viewer)
        .filter(owner=me, level=GoalLevel.INDIVIDUAL)
        .exclude(status__in=(GoalStatus.DROPPED, GoalStatus.ACHIEVED))
        .order_by("due_date", "title")
    )
    cadence = cadence_for(visible(Employee, viewer).filter(pk=me.pk), viewer.organisation, today).get(me.pk)
    actions = list(
        visible(Action, viewer)
        .open()
        .filter(owner=me)
        .select_related("session", "session__employee")
        .order_by("due_on", "pk")
    )
    to_acknowledge = list(
        visible(FeedbackSession, viewer)
        .filter(employee=me, state=SessionState.SHARED)
        .select_related("manager")
        .order_by("-held_on")
    )
    return render(
        request,
        "insights/my_page.html",
        {
            "dashboards": your_dashboards(viewer, request.path),
            "me": me,
            "goals": goals,
            "cadence": cadence,
            "actions": actions,
            "to_acknowledge": to_acknowledge,
            "today": today,
        },
    )
