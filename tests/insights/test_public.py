"""The public performance page and its service pages: published KPIs of one
organisation, for anyone, short by default, and nothing about people."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import GoalLevel, GoalStatus
from organisations.models import Employee
from tests.conftest import client_for
from tests.insights.factories import GoalFactory, KPIFactory, KPIResultFactory, KPITargetFactory
from tests.insights.test_dashboards import text


@pytest.fixture
def published(world):
    shown = KPIFactory(
        service=world.service,
        code="HO-01",
        name="Households prevented from becoming homeless",
        definition="Cases closed with accommodation secured for 6 months.",
        owner=world.staff,
        frequency="quarterly",
        published=True,
    )
    KPITargetFactory(kpi=shown, financial_year=2025, target=Decimal("60"))
    KPIResultFactory(kpi=shown, period_end=date(2025, 6, 30), value=Decimal("55"), status="amber")
    KPIResultFactory(
        kpi=shown,
        period_end=date(2025, 9, 30),
        value=Decimal("48"),
        status="red",
        commentary="Demand rose after the summer; INTERNAL-COMMENTARY-MARKER.",
        corrective_action="Sol Staff to recruit two prevention officers.",
        public_commentary="Demand for help rose in the autumn.",
    )
    hidden = KPIFactory(service=world.service, code="HO-02", name="Secret internal measure")
    KPIResultFactory(kpi=hidden, period_end=date(2025, 9, 30), value=Decimal("1"))
    retired = KPIFactory(
        service=world.service, code="HO-03", name="Retired measure", published=True, active=False
    )
    KPIResultFactory(kpi=retired, period_end=date(2025, 9, 30), value=Decimal("1"))
    elsewhere = KPIFactory(
        service=world.other_service, code="RH-01", name="Riverside repairs", published=True
    )
    KPIResultFactory(kpi=elsewhere, period_end=date(2025, 9, 30), value=Decimal("1"))
    return shown


def public_page(client, world):
    return client.get(reverse("insights:public_performance", args=[world.org.slug]))


def service_page(client, world, service, slug=None):
    return client.get(reverse("insights:public_service", args=[slug or world.org.slug, service.pk]))


def both_pages(client, world):
    """The page and the published service's page, as text."""
    return text(public_page(client, world)) + " " + text(service_page(client, world, world.service))


def test_public_page_needs_no_sign_in_and_sums_up_each_service_with_the_measures_off_target(world, published):
    response = public_page(Client(), world)
    assert response.status_code == 200
    page = text(response)
    assert "How we are performing" in page
    assert "Testshire Council" in page  # its own header
    # Each service: its measures counted by status, in words (the column headers).
    assert (
        "Name of service On target (green) Close to target (amber) Off target (red) For monitoring only No result yet"
        in page
    )
    assert "Housing Options 0 0 1 0 0" in page
    # A measure off target is listed with its figure.
    row = page[page.index("Off target (red): latest results") :]
    row = row[row.index("Households prevented from becoming homeless") :]
    assert row.startswith(
        "Households prevented from becoming homeless, Housing Options Housing Options 48.0% Q2 2025/26 60.0%"
    )
    assert "↓ Worsening" in row
    # Every measure's details are on the service's page, one link away.
    html = response.content.decode()
    service_url = reverse("insights:public_service", args=[world.org.slug, world.service.pk])
    assert f'href="{service_url}"' in html
    assert f'href="{service_url}#kpi-{published.pk}"' in html
    assert "Cases closed with accommodation secured" not in page


def test_a_measure_on_target_is_counted_on_the_page_and_shown_on_its_service_page(world, published):
    published.results.update(status="green")
    page = text(public_page(Client(), world))
    assert "Housing Options 1 0 0 0 0" in page
    assert "Households prevented from becoming homeless" not in page  # neither headline nor off target
    service = text(service_page(Client(), world, world.service))
    assert "Households prevented from becoming homeless" in service and "48.0% (Q2 2025/26)" in service


def test_service_page_shows_each_measure_in_full_with_its_chart_table(world, published):
    response = service_page(Client(), world, world.service)
    assert response.status_code == 200
    page = text(response)
    assert "Housing Options: how we are performing" in page
    assert "Cases closed with accommodation secured" in page
    assert "48.0% (Q2 2025/26)" in page and "60.0% (higher is better)" in page
    assert "↓ Worsening" in page and "Demand for help rose in the autumn." in page
    html = response.content.decode()
    table = re.search(r'<table class="govuk-table" data-chart="line".*?</table>', html, re.S).group(0)
    assert 'data-chart-columns="1,2"' in table  # the status column is words, not a series
    assert "Households prevented from becoming homeless, Housing Options: results over time" in table
    # Each point's status for its colour and shape, and in words beside it.
    assert re.findall(r'data-status="(\w+)">([\d.%]+)<', table) == [("amber", "55.0%"), ("red", "48.0%")]
    assert ">Amber</strong>" in table and ">Red</strong>" in table
    assert "Q1 2025/26" in table and "Q2 2025/26" in table


def test_public_pages_show_nothing_unpublished_or_from_elsewhere(world, published):
    page = both_pages(Client(), world)
    assert "Secret internal measure" not in page
    assert "Retired measure" not in page
    assert "Riverside" not in page


def test_public_pages_hold_nothing_about_people(world, published):
    page = both_pages(Client(), world)
    for person in Employee.objects.all():
        assert person.first_name not in page and person.last_name not in page, person.full_name
    assert "recruit two prevention officers" not in page  # corrective actions name who does what
    assert "flag" not in page.lower()


def test_public_pages_show_only_the_public_commentary(world, published):
    """Officers write the internal commentary for committees; only the text written
    for the public page is published, on the service's page."""
    page = text(public_page(Client(), world))
    assert "Demand for help rose in the autumn." not in page and "Demand rose after the summer" not in page
    service = text(service_page(Client(), world, world.service))
    assert "Demand for help rose in the autumn." in service
    assert "INTERNAL-COMMENTARY-MARKER" not in service
    assert "Demand rose after the summer" not in service


def test_public_pages_show_no_commentary_when_none_was_written_for_it(world, published):
    published.results.update(public_commentary="")
    page = both_pages(Client(), world)
    assert "Demand rose after the summer" not in page and "Commentary" not in page


def test_public_pages_for_a_signed_in_person_of_another_organisation(world, published):
    client = client_for(world.outsider)
    for response in (public_page(client, world), service_page(client, world, world.service)):
        assert response.status_code == 200
        page = text(response)
        assert "Riverside" not in page.split("Signed in as")[0]
        assert "Households prevented from becoming homeless" in page


def test_unknown_organisation_is_404(world):
    assert Client().get(reverse("insights:public_performance", args=["nowhere"])).status_code == 404


def test_a_service_page_is_404_unless_the_service_is_this_organisations_and_publishes(world, published):
    theirs = KPIFactory(service=world.other_service, name="Riverside repairs", published=True)
    KPIResultFactory(kpi=theirs, period_end=date(2025, 9, 30), value=Decimal("1"))
    client = Client()
    assert service_page(client, world, world.other_service).status_code == 404  # theirs, under our name
    assert service_page(client, world, world.service, slug=world.other_org.slug).status_code == 404
    assert service_page(client, world, world.other_service, slug=world.other_org.slug).status_code == 200
    assert service_page(client, world, world.team).status_code == 404  # publishes nothing
    assert service_page(client, world, world.corporate).status_code == 404  # only an unpublished KPI...
    KPIFactory(service=world.corporate, name="Unpublished", published=False)
    assert service_page(client, world, world.corporate).status_code == 404  # ...is still nothing


def test_without_priorities_the_measures_are_grouped_by_service(world, published):
    html = public_page(Client(), world).content.decode()
    assert headings(html) == ["Measures by service"]
    assert "They are counted by service, with the measures off target listed." in text(
        public_page(Client(), world)
    )


def test_an_organisation_with_nothing_published(world):
    page = text(Client().get(reverse("insights:public_performance", args=[world.org.slug])))
    assert "Testshire Council has not published any measures yet." in page


# --- grouped by priority, then service ----------------------------------------------


@pytest.fixture
def priorities(world, published):
    """Two priorities, a draft one and measures that share a name across services."""
    org = world.org
    home = GoalFactory(organisation=org, level=GoalLevel.ORGANISATION, title="Every resident has a safe home")
    GoalFactory(
        organisation=org, level=GoalLevel.ORGANISATION, title="A well-run council"
    )  # publishes nothing
    draft = GoalFactory(
        organisation=org, level=GoalLevel.ORGANISATION, title="DRAFT-PRIORITY", status=GoalStatus.DRAFT
    )
    # The service's goal names the prevention measure: the priority's headline.
    GoalFactory(organisation=org, level=GoalLevel.SERVICE, service=world.service, parent=home, kpi=published)
    turnover = {}
    for key, service in [("service", world.service), ("team", world.team), ("corporate", world.corporate)]:
        turnover[key] = KPIFactory(service=service, name="Staff turnover", published=True)
        KPIResultFactory(kpi=turnover[key], period_end=date(2025, 9, 30), value=Decimal("12"), status="green")
    # An individual objective about a person says nothing about where a measure belongs;
    # nor does a goal under a draft priority.
    GoalFactory(organisation=org, owner=world.staff, kpi=turnover["corporate"], parent=home)
    GoalFactory(
        organisation=org,
        level=GoalLevel.SERVICE,
        service=world.corporate,
        parent=draft,
        kpi=turnover["corporate"],
    )
    return turnover


def headings(html: str) -> list[str]:
    """The page's second and third level headings, in order (the footer's left out)."""
    main = html[html.index("<main") : html.index("</main>")]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", main, re.S)]


def service_rows(html: str) -> list[str]:
    """The services named in the rows of the page's tables of counts by status."""
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"#]+">([^<]+)</a>', html
    )


def test_measures_are_grouped_by_priority_then_service_with_the_unlinked_last(world, priorities):
    html = public_page(Client(), world).content.decode()
    assert headings(html) == [
        "Priorities",  # the contents
        "Every resident has a safe home",
        "Headline measure: Households prevented from becoming homeless, Housing Options",
        "Measures not linked to a priority",
    ]
    sections = html.split('id="unlinked-measures"')
    # Housing Options: its goal names the prevention measure; turnover there by the
    # service's goals. Options Team: no goals of its own, the service above's priority.
    assert service_rows(sections[0]) == ["Housing Options", "Options Team"]
    # Resources: only an individual objective and a draft priority's goal name it.
    assert service_rows(sections[1]) == ["Resources"]
    assert "A well-run council" not in html and "DRAFT-PRIORITY" not in html
    assert '<a class="govuk-link" href="#priority-' in html and 'href="#unlinked-measures"' in html


def test_a_measure_that_many_services_publish_is_named_with_its_service_each_time(world, priorities):
    for kpi in priorities.values():
        kpi.results.update(status="red")  # listed among the measures off target
    html = public_page(Client(), world).content.decode()
    names = re.findall(r"Staff turnover<span class=\"govuk-visually-hidden\">, ([^<]+)</span>", html)
    assert names == ["Housing Options", "Options Team", "Resources"]


def test_only_headline_measures_have_a_chart_on_the_page(world, priorities):
    html = public_page(Client(), world).content.decode()
    charts = re.findall(r'<table class="govuk-table" data-chart="line"[^>]* id="trend-(\d+)"', html)
    assert charts == [str(priorities["service"].service.kpis.get(code="HO-01").pk)]
    # Its table is folded away under the chart (a <details> works without JavaScript).
    assert re.search(r"<details class=\"govuk-details\">.*?data-chart=\"line\".*?</details>", html, re.S)


def test_public_page_queries_do_not_grow_with_measures_or_priorities(world, priorities):
    """Organisation 1, scorecard 3 (figures only), shared goals 1, the headline
    measures' trends 2; a service page: organisation 1, service 1, scorecard 4
    (the latest results in full, for their public commentary), trends 2."""

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    page = reverse("insights:public_performance", args=[world.org.slug])
    service = reverse("insights:public_service", args=[world.org.slug, world.service.pk])
    before = count(page), count(service)
    for i in range(15):
        priority = GoalFactory(organisation=world.org, level=GoalLevel.ORGANISATION, title=f"Priority {i}")
        kpi = KPIFactory(service=world.service if i % 2 else world.team, published=True)
        KPIResultFactory(kpi=kpi, period_end=date(2025, 9, 30), value=Decimal(i), status="amber")
        GoalFactory(
            organisation=world.org, level=GoalLevel.TEAM, service=world.team, parent=priority, kpi=kpi
        )
    assert (count(page), count(service)) == before == (7, 8)


# --- front-end weight ---------------------------------------------------------------


def element_count(html: str) -> int:
    """Start tags (elements), as a browser's DOM would hold them."""
    from html.parser import HTMLParser

    class Counter(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            self.count += 1

        def handle_startendtag(self, tag, attrs):
            self.count += 1

    counter = Counter()
    counter.feed(html)
    return counter.count


def test_public_page_stays_small_with_many_measures_each_one_link_away(world):
    """150 published measures across 20 services: the page sums them up in
    fewer than 1,500 elements; each service's page lists each of its measures."""
    from tests.factories import ServiceFactory

    statuses = ["green", "amber", "red", "grey", "green", "amber"]
    services, kpis = [], []
    for s in range(20):
        service = ServiceFactory(organisation=world.org, parent=world.directorate, name=f"Service {s:02d}")
        services.append(service)
        for k in range(8 if s < 10 else 7):
            kpi = KPIFactory(service=service, name=f"Measure {s:02d}-{k}", published=True)
            for quarter, end in enumerate([date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)]):
                KPIResultFactory(
                    kpi=kpi, period_end=end, value=Decimal(40 + k + quarter), status=statuses[(k + s) % 6]
                )
            kpis.append(kpi)
    assert len(kpis) == 150
    response = public_page(Client(), world)
    html = response.content.decode()
    assert element_count(html) < 1500, element_count(html)
    for service in services:
        assert service.name in html
    for service in services[:3]:
        page = text(service_page(Client(), world, service))
        for kpi in kpis:
            if kpi.service_id == service.pk:
                assert kpi.name in page


def test_public_pages_are_compressed_for_anonymous_readers_only(world, published, staff_client):
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    url = reverse("insights:public_performance", args=[world.org.slug])
    service = reverse("insights:public_service", args=[world.org.slug, world.service.pk])
    for address in (url, service):
        response = Client().get(address, **gzip)
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
    assert not Client().get(url).has_header("Content-Encoding")  # not asked for
    # Signed in, the page carries the sign-out form's CSRF token: never compressed
    # (BREACH), like every signed-in page.
    signed_in = staff_client.get(url, **gzip)
    assert signed_in.status_code == 200 and b"csrfmiddlewaretoken" in signed_in.content
    assert not signed_in.has_header("Content-Encoding")
    assert not staff_client.get(reverse("insights:my_page"), **gzip).has_header("Content-Encoding")


def test_chart_scripts_load_only_where_there_is_a_chart(world, published):

    page = public_page(Client(), world).content.decode()
    service = service_page(Client(), world, world.service).content.decode()
    accessibility = Client().get(reverse("accessibility")).content.decode()
    assert "chart.umd.min.js" in service and "charts.js" in service
    assert 'data-chart-slot="trend-' in service  # its space reserved before the script runs
    assert "chart.umd.min.js" not in accessibility and "charts.js" not in accessibility
    for html in (page, accessibility):  # GOV.UK Frontend (through app.js): every page
        assert "dist/js/app.js" in html and "dist/js/supported.js" in html


def test_a_published_measure_with_no_result_yet_is_counted_not_a_crash(world, client):
    KPIFactory(service=world.service, code="HO-09", name="New measure this year", published=True)
    response = client.get(reverse("insights:public_performance", args=[world.org.slug]))
    assert response.status_code == 200
    assert "1 with no result yet" in response.content.decode()
