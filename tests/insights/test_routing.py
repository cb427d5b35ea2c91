"""``/`` sends each role to its own dashboard, and every dashboard links to the
others the person may open."""

import pytest
from django.urls import NoReverseMatch, reverse

from organisations.models import ServiceKind
from tests.conftest import client_for
from tests.factories import EmployeeFactory, ServiceFactory, UserFactory


def team_dashboard_or_my_page() -> str:
    try:
        return reverse("insights:team_dashboard")
    except NoReverseMatch:  # built by the sessions capability
        return reverse("insights:my_page")


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("chief", lambda w: reverse("insights:org_overview")),
        ("officer", lambda w: reverse("insights:org_overview")),
        ("head", lambda w: reverse("insights:service_dashboard", args=[w.directorate.pk])),
        ("service_head", lambda w: reverse("insights:service_dashboard", args=[w.service.pk])),
        # heads the Options Team, but comes for their people: the team dashboard
        ("manager", lambda w: team_dashboard_or_my_page()),
        ("staff", lambda w: reverse("insights:my_page")),
        ("peer", lambda w: reverse("insights:my_page")),
        ("interim", lambda w: reverse("insights:my_page")),
        ("outsider", lambda w: reverse("insights:org_overview")),  # a performance officer there
        ("outsider_manager", lambda w: reverse("insights:service_dashboard", args=[w.other_service.pk])),
    ],
)
def test_home_redirects_each_role_to_its_dashboard(world, persona, expected):
    response = client_for(world.persona(persona)).get("/")
    assert response.status_code == 302
    assert response["Location"] == expected(world)
    # ... and the page is there for them.
    assert client_for(world.persona(persona)).get(response["Location"]).status_code == 200


def test_a_team_head_with_no_reports_lands_on_the_team_dashboard_of_their_service(world):
    team = ServiceFactory(
        organisation=world.org, name="Solo Team", kind=ServiceKind.TEAM, parent=world.service
    )
    lead = EmployeeFactory(organisation=world.org, service=team, user=UserFactory(username="lead"))
    team.head = lead
    team.save()
    response = client_for(lead).get("/")
    assert response["Location"] == reverse("insights:service_dashboard", args=[team.pk])


def test_the_chief_executive_who_is_also_a_head_lands_on_the_overview(world):
    assert world.root.head == world.chief
    assert client_for(world.chief).get("/")["Location"] == reverse("insights:org_overview")


def _dashboard_links(html: str) -> str:
    start = html.index("Your dashboards")
    return html[start : html.index("</nav>", start)]


def test_each_person_sees_links_to_the_dashboards_they_may_open(world):
    head_page = client_for(world.head).get(reverse("insights:my_page")).content.decode()
    links = _dashboard_links(head_page)
    assert reverse("insights:service_dashboard", args=[world.directorate.pk]) in links
    assert "Housing dashboard" in links
    assert reverse("insights:quarterly_report") in links
    assert reverse("insights:org_overview") not in links

    chief_page = client_for(world.chief).get(reverse("insights:org_overview")).content.decode()
    links = _dashboard_links(chief_page)
    assert 'aria-current="page"' in links
    assert reverse("insights:service_dashboard", args=[world.root.pk]) in links
    assert reverse("insights:my_page") in links

    officer_page = client_for(world.officer).get(reverse("insights:my_page")).content.decode()
    links = _dashboard_links(officer_page)
    assert reverse("insights:org_overview") in links
    assert "insights/dashboards/services" not in links and "/dashboards/services/" not in links


def test_staff_have_only_their_own_page_and_no_dashboard_links(world):
    html = client_for(world.staff).get(reverse("insights:my_page")).content.decode()
    assert "Your dashboards" not in html
    for name in ("insights:org_overview", "insights:quarterly_report"):
        assert reverse(name) not in html
