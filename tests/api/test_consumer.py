"""A Power BI-like consumer: loads the schema, validates it, and follows every
list's ``next`` links to the end; the counts match the database."""

import json
from datetime import date
from decimal import Decimal

from openapi_spec_validator import validate

from api.models import ApiToken
from organisations.models import KPI, Employee, KPIResult, KPITarget, Service
from tests.api.conftest import api_client, make_token, seed_kpis

EXPECTED = {
    "/api/v1/services/": lambda org: Service.objects.filter(organisation=org).count(),
    "/api/v1/kpis/": lambda org: KPI.objects.filter(organisation=org).count(),
    "/api/v1/targets/": lambda org: KPITarget.objects.filter(kpi__organisation=org).count(),
    "/api/v1/results/": lambda org: KPIResult.objects.filter(kpi__organisation=org).count(),
    "/api/v1/service-figures/": lambda org: Service.objects.filter(organisation=org).count(),
    "/api/v1/people/": lambda org: Employee.objects.filter(organisation=org, active=True).count(),
}


def test_schema_is_valid_and_every_list_pages_to_the_end(world):
    seed_kpis(world, 4)
    seed_kpis(world, 2, org=world.other_org, service=world.other_service)
    created = make_token(world.officer, scopes=("aggregates", "people"))
    client = api_client(created.secret)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    list_paths = [
        path
        for path, ops in schema["paths"].items()
        if "get" in ops
        and "results"
        in json.dumps(ops["get"]["responses"]["200"]["content"]["application/json"]["schema"])
        + json.dumps(schema["components"]["schemas"])
        and "{" not in path
    ]
    assert sorted(list_paths) == sorted(EXPECTED)
    for path in list_paths:
        url, seen, pages = f"{path}?page_size=2", [], 0
        while url:
            page = client.get(url)
            assert page.status_code == 200, (path, page.content)
            body = page.json()
            seen += [row["id"] if "id" in row else row["service"] for row in body["results"]]
            url = body["next"]
            pages += 1
        assert len(seen) == len(set(seen)) == body["count"] == EXPECTED[path](world.org), path
        assert pages >= 2 or body["count"] <= 2
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at is not None


def test_every_kpis_latest_status_in_one_request(world, client):
    kpis = seed_kpis(world, 3)
    body = client.get("/api/v1/kpis/").json()
    assert body["count"] == 3
    for row in body["results"]:
        latest = row["latest_result"]
        assert latest["period_end"] == "2026-06-30"
        assert latest["status"] == "green" and latest["status_label"] == "Green"
        assert latest["direction"] == "improving"
        assert latest["target"] == 90
    assert {r["code"] for r in body["results"]} == {k.code for k in kpis}
    assert all(r["owner_name"] is None for r in body["results"])


def test_docs_page_lists_every_endpoint_without_javascript(world):
    from django.test import Client

    html = Client().get("/api/v1/docs/").content.decode()
    assert html.count("<h1") == 1 and "<title>Data warehouse API" in html
    for path in EXPECTED:
        assert path in html
    for word in ("period_from", "financial_year", "latest_result.status", "page_size", "429"):
        assert word in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_a_profiled_targets_period_target_is_what_the_api_gives(world, client):
    """A cumulative KPI's target spread evenly: its latest result's target is the
    quarter's share of the year's, and the target lists every period's."""
    from organisations.rules import profiles
    from organisations.services import kpis as kpi_services
    from tests.organisations.factories import KPIFactory, KPITargetFactory

    kpi = KPIFactory(
        organisation=world.org, service=world.service, code="YTD-1", frequency="quarterly", cumulative=True
    )
    target = KPITargetFactory(kpi=kpi, financial_year=2026, target=Decimal("200"))
    kpi_services.kpi_target_profile_set(target=target, profile=profiles.EVEN, by=world.officer)
    kpi_services.kpi_result_record(
        kpi=kpi, period_end=date(2026, 6, 30), value=Decimal("50"), by=world.officer
    )
    KPIResult.objects.filter(kpi=kpi).update(state="validated")  # the API shows signed-off figures
    (row,) = client.get("/api/v1/kpis/").json()["results"]
    assert row["latest_result"]["target"] == 50 and row["latest_result"]["status"] in (
        "green",
        "amber",
        "red",
    )
    (listed,) = client.get("/api/v1/targets/").json()["results"]
    assert listed["target"] == 200 and listed["profile"] == profiles.EVEN
    assert listed["period_targets"]["2026-06-30"] == "50"
