"""Only signed-off results reach the committee report (page and downloads), the
public page and the API; internal pages show a submitted figure, marked in
words; a late or returned result raises the data-missing flag for its owner,
not the director."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from insights.models import Flag, FlagKind
from insights.rules import kinds
from insights.rules import kpis as kpi_flag_rules
from insights.services.recompute import run_recompute
from organisations.models import KPIResult
from tests.api.conftest import api_client, make_token
from tests.conftest import client_for
from tests.insights.test_dashboards import text
from tests.organisations.factories import KPIFactory, KPIResultFactory, KPITargetFactory

D = Decimal


@pytest.fixture
def figures(world):
    """HO-01, published: June signed off at 61.5, September submitted (not signed off) at 77.7."""
    kpi = KPIFactory(
        organisation=world.org,
        service=world.service,
        code="HO-01",
        name="Households helped",
        owner=world.staff,
        frequency="quarterly",
        published=True,
    )
    KPITargetFactory(kpi=kpi, financial_year=2026, target=D("60"))
    KPIResultFactory(kpi=kpi, period_end=date(2026, 6, 30), value=D("61.5"))
    KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("77.7"), state="submitted")
    return kpi


def test_the_public_pages_show_signed_off_figures_only(world, figures, client):
    pages = [
        client.get(reverse("insights:public_performance", args=[world.org.slug])),
        client.get(reverse("insights:public_service", args=[world.org.slug, world.service.pk])),
    ]
    both = " ".join(text(p) for p in pages)
    assert "61.5%" in both and "77.7" not in both
    # Once signed off, it is published.
    KPIResult.objects.filter(kpi=figures, period_end=date(2026, 9, 30)).update(state="validated")
    page = text(client.get(reverse("insights:public_service", args=[world.org.slug, world.service.pk])))
    assert "77.7%" in page


def test_the_committee_report_and_its_downloads_show_signed_off_figures_only(world, figures):
    officer = client_for(world.officer)
    q2 = {"financial_year": 2026, "quarter": 2, "scope": world.service.pk}
    page = text(officer.get(reverse("insights:quarterly_report"), q2))
    assert "77.7" not in page and "No result for this quarter" in page
    csv_text = officer.get(reverse("insights:quarterly_report_csv"), q2).content.decode()
    assert "77.7" not in csv_text
    KPIResult.objects.filter(kpi=figures).update(state="validated")
    assert "77.7" in text(officer.get(reverse("insights:quarterly_report"), q2))


def test_the_api_gives_signed_off_results_only(world, figures):
    client = api_client(make_token(world.officer).secret)
    values = [r["value"] for r in client.get("/api/v1/results/").json()["results"]]
    assert [D(v) for v in values] == [D("61.5")]
    submitted = KPIResult.objects.get(kpi=figures, state="submitted")
    assert client.get(f"/api/v1/results/{submitted.pk}/").status_code == 404


def test_internal_pages_show_a_submitted_figure_marked_as_awaiting_sign_off(world, figures):
    page = text(client_for(world.staff).get(reverse("organisations:kpi_scorecard", args=[world.service.pk])))
    assert "77.7% Awaiting sign-off" in page
    page = text(client_for(world.staff).get(reverse("organisations:kpi_detail", args=[figures.pk])))
    assert "77.7% Awaiting sign-off" in page


def test_the_data_missing_flag_reaches_the_owner_only():
    kind = kinds.BY_CODE["kpi_data_missing"]
    assert kind.to_heads is False and "owner" in kind.owner.lower()


def test_a_late_or_returned_result_raises_the_data_missing_flag_for_its_owner(world, monkeypatch):
    from insights.services import recompute

    monkeypatch.setattr(recompute, "STEPS", [kpi_flag_rules.candidates])
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-02", owner=world.staff)
    KPITargetFactory(kpi=kpi, financial_year=2026, target=D("90"))
    for month in (6, 7, 8):
        KPIResultFactory(kpi=kpi, period_end=date(2026, month, 30 if month == 6 else 31), value=D("95"))
    # September was submitted: it counts inside, so nothing is missing.
    september = KPIResultFactory(kpi=kpi, period_end=date(2026, 9, 30), value=D("95"), state="submitted")
    run_recompute(world.org, today=date(2026, 11, 20))
    assert not Flag.objects.filter(kind=FlagKind.KPI_DATA_MISSING, resolved_at=None).exists()
    # Returned, and past its due date: late, for its owner.
    KPIResult.objects.filter(pk=september.pk).update(state="returned")
    run_recompute(world.org, today=date(2026, 11, 20))
    (flag,) = Flag.objects.filter(kind=FlagKind.KPI_DATA_MISSING, resolved_at=None)
    assert flag.subject_id == kpi.pk and flag.owner_id == world.staff.pk
    assert flag not in Flag.objects.for_attention(_viewer(world.head))


def _viewer(employee):
    from organisations.access import Viewer

    return Viewer(employee)
