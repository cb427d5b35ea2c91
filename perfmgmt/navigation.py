"""Navigation by role, shown in the service navigation of every page."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from organisations.access import get_viewer

# (label, url name, who sees it). A url name that does not exist yet is skipped,
# so each capability adds its page by adding its URL.
NAV = [
    ("Home", "home", "all"),
    ("My goals", "appraisals:my_goals", "all"),
    ("My sessions", "appraisals:my_sessions", "all"),
    ("My team", "insights:team_dashboard", "manager"),
    ("Goals", "appraisals:alignment", "leader"),
    ("KPIs", "organisations:kpi_list", "all"),
    ("Risks", "organisations:risk_register", "all"),  # the register is not personal: everyone reads it
    ("Flags", "insights:flag_list", "manager_or_leader"),
    ("Skills", "organisations:skills_framework", "all"),
    ("Training", "organisations:course_list", "training_admin"),  # everyone may read it; linked from Skills
    ("Reports", "insights:quarterly_report", "leader"),
    ("Settings", "organisations:settings", "organisation_admin"),
]


def _allowed(audience: str, viewer) -> bool:
    leader = viewer.is_head_of_service or viewer.sees_whole_organisation
    return {
        "all": True,
        "manager": viewer.is_manager,
        "leader": leader,
        "manager_or_leader": leader or viewer.is_manager,
        "organisation_admin": viewer.is_organisation_admin,
        "training_admin": viewer.is_performance_officer or viewer.employee.is_hr_officer,
    }[audience]


def navigation(request: HttpRequest) -> dict:
    context = {"service_title": "Performance management", "viewer": None, "nav_items": []}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    try:
        viewer = get_viewer(request)
    except Exception:  # an account with no employee record: no navigation
        return context
    path = request.path
    items = []
    for label, name, audience in NAV:
        if not _allowed(audience, viewer):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    context.update(viewer=viewer, nav_items=items, service_title=viewer.organisation.name)
    return context
