"""The public performance page: published KPIs of one organisation, for anyone,
and nothing about people."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from organisations.models import Employee
from tests.conftest import client_for
from tests.insights.factories import KPIFactory, KPIResultFactory, KPITargetFactory
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


def test_public_page_needs_no_sign_in_and_shows_published_kpis(world, published):
    response = public_page(Client(), world)
    assert response.status_code == 200
    page = text(response)
    assert "How we are performing" in page
    assert "Households prevented from becoming homeless" in page
    assert "48.0%" in page and "60.0%" in page and "Red" in page
    assert "↓ Worsening" in page
    assert "Demand for help rose in the autumn." in page
    assert "Cases closed with accommodation secured" in page
    html = response.content.decode()
    assert 'data-chart="line"' in html and "Q1 2025/26" in page and "Q2 2025/26" in page
    assert "Testshire Council" in page  # its own header


def test_public_page_shows_nothing_unpublished_or_from_elsewhere(world, published):
    page = text(public_page(Client(), world))
    assert "Secret internal measure" not in page
    assert "Retired measure" not in page
    assert "Riverside" not in page


def test_public_page_holds_nothing_about_people(world, published):
    page = text(public_page(Client(), world))
    for person in Employee.objects.all():
        assert person.first_name not in page and person.last_name not in page, person.full_name
    assert "recruit two prevention officers" not in page  # corrective actions name who does what
    assert "flag" not in page.lower()


def test_public_page_shows_only_the_public_commentary(world, published):
    """Officers write the internal commentary for committees; only the text written
    for the public page is published."""
    page = text(public_page(Client(), world))
    assert "Demand for help rose in the autumn." in page
    assert "INTERNAL-COMMENTARY-MARKER" not in page
    assert "Demand rose after the summer" not in page


def test_public_page_shows_no_commentary_when_none_was_written_for_it(world, published):
    published.results.update(public_commentary="")
    page = text(public_page(Client(), world))
    assert "Demand rose after the summer" not in page and "Commentary" not in page


def test_public_page_for_a_signed_in_person_of_another_organisation(world, published):
    response = public_page(client_for(world.outsider), world)
    assert response.status_code == 200
    page = text(response)
    assert "Riverside" not in page.split("Signed in as")[0]
    assert "Households prevented from becoming homeless" in page


def test_unknown_organisation_is_404(world):
    assert Client().get(reverse("insights:public_performance", args=["nowhere"])).status_code == 404


def test_an_organisation_with_nothing_published(world):
    page = text(Client().get(reverse("insights:public_performance", args=[world.org.slug])))
    assert "Testshire Council has not published any measures yet." in page
