"""What every dashboard shares: where each role lands, and the links to the
other dashboards a person is entitled to."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse

from organisations.access import Viewer, top_headed_services  # noqa: F401 (re-exported)
from organisations.models import Service, ServiceKind


def reverse_or_none(name: str, *args) -> str | None:
    """A URL another capability may not have added yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def service_or_404(viewer: Viewer, pk: int) -> Service:
    """A service of the viewer's organisation, from the list the viewer already
    loaded (no query); another organisation's service is a 404."""
    for service in viewer.tree.services:
        if service.pk == pk:
            return service
    raise Http404("No such service.")


def home_url(viewer: Viewer) -> str:
    """Where ``/`` sends each person.

    Performance officers and the chief executive: the organisation overview.
    Heads of a directorate or service: its dashboard. Managers (team managers
    included, though they head their team): the team dashboard, or their own
    page until that exists. Everyone else: their own page."""
    if viewer.sees_whole_organisation:
        return reverse("insights:org_overview")
    tops = top_headed_services(viewer)
    if tops and tops[0].kind != ServiceKind.TEAM:
        return reverse("insights:service_dashboard", args=[tops[0].pk])
    if viewer.is_manager:
        return reverse_or_none("insights:team_dashboard") or reverse("insights:my_page")
    if tops:
        return reverse("insights:service_dashboard", args=[tops[0].pk])
    return reverse("insights:my_page")


@dataclass
class DashboardLink:
    label: str
    url: str
    current: bool = False


def your_dashboards(viewer: Viewer, current_url: str) -> list[DashboardLink]:
    """Every dashboard this person may open, for the links at the top of each."""
    links: list[DashboardLink] = []
    if viewer.sees_whole_organisation:
        links.append(DashboardLink("Organisation overview", reverse("insights:org_overview")))
    for service in top_headed_services(viewer):
        links.append(
            DashboardLink(
                f"{service.name} dashboard", reverse("insights:service_dashboard", args=[service.pk])
            )
        )
    if viewer.is_manager:
        team = reverse_or_none("insights:team_dashboard")
        if team:
            links.append(DashboardLink("Team dashboard", team))
    links.append(DashboardLink("My page", reverse("insights:my_page")))
    if viewer.sees_whole_organisation or viewer.is_head_of_service:
        links.append(DashboardLink("Quarterly performance report", reverse("insights:quarterly_report")))
    for link in links:
        link.current = link.url == current_url
    return links


def can_see_service_dashboard(viewer: Viewer, service: Service) -> bool:
    return viewer.sees_whole_organisation or service.pk in viewer.headed_service_ids
