"""Filters by period and service, CSV rendering, throttling, query counts."""

import csv
import io
from datetime import date
from decimal import Decimal

from tests.api.conftest import seed_kpis
from tests.organisations.factories import KPIFactory, KPIResultFactory


def test_filter_results_by_period_and_financial_year(world, client):
    seed_kpis(world, 2)
    rows = client.get("/api/v1/results/?period_from=2026-06-01").json()["results"]
    assert {r["period_end"] for r in rows} == {"2026-06-30"} and len(rows) == 2
    assert rows[0]["direction"] == "improving" and rows[0]["period_label"] == "Jun 2026"
    rows = client.get("/api/v1/results/?period_to=2026-05-31").json()["results"]
    assert {r["period_end"] for r in rows} == {"2026-05-31"}
    assert rows[0]["direction"] is None  # nothing the month before
    assert client.get("/api/v1/results/?financial_year=2026/27").json()["count"] == 4
    assert client.get("/api/v1/results/?financial_year=2025").json()["count"] == 0
    assert client.get("/api/v1/targets/?financial_year=2026").json()["count"] == 2
    for bad in (
        "period_from=31/12/2026",
        "financial_year=abc",
        "period_from=2026-07-01&period_to=2026-01-01",
    ):
        response = client.get(f"/api/v1/results/?{bad}")
        assert response.status_code == 400, bad


def test_filter_by_service_takes_its_subtree_by_id_or_code(world, client):
    seed_kpis(world, 2, service=world.team)
    other = KPIFactory(organisation=world.org, service=world.corporate, code="RES-1")
    KPIResultFactory(kpi=other, period_end=date(2026, 6, 30), value=Decimal("5"))
    type(world.service).objects.filter(pk=world.service.pk).update(code="HOPT")
    codes = {r["code"] for r in client.get("/api/v1/kpis/?service=HOPT").json()["results"]}
    assert "RES-1" not in codes and len(codes) == 2
    by_id = client.get(f"/api/v1/kpis/?service={world.directorate.pk}").json()["count"]
    assert by_id == 2
    assert client.get(f"/api/v1/results/?service={world.corporate.pk}").json()["count"] == 1
    services = client.get(f"/api/v1/services/?service={world.service.pk}").json()["results"]
    assert {s["id"] for s in services} == {world.service.pk, world.team.pk, world.other_team.pk}
    figures = client.get(f"/api/v1/service-figures/?service={world.service.pk}").json()["results"]
    row = next(f for f in figures if f["service"] == world.service.pk)
    # Staff, peer and manager in the team, the interim in the other team, the head of service.
    assert row["including_below"]["headcount"] == 5 and row["own"]["headcount"] == 1
    assert row["including_below"]["interim_share_percent"] == 20.0
    assert client.get("/api/v1/kpis/?service=NOPE").status_code == 400


def test_csv_flattens_nested_fields(world, client):
    seed_kpis(world, 2)
    for response in (
        client.get("/api/v1/kpis/?format=csv&page_size=1"),
        client.get("/api/v1/kpis/?page_size=1", HTTP_ACCEPT="text/csv"),
    ):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert 'rel="next"' in response["Link"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 1
        assert rows[0]["latest_result.status"] == "green"
        assert rows[0]["latest_result.direction_label"] == "Improving"
    empty = client.get("/api/v1/results/?format=csv&period_from=2030-01-01").content.decode("utf-8-sig")
    assert empty.splitlines()[0].startswith("id,kpi,kpi_code,period_end")


def test_csv_neutralises_formulas(world, client):
    from organisations.models import KPIResult

    seed_kpis(world, 1)
    KPIResult.objects.update(public_commentary="=HYPERLINK(1)")
    text = client.get("/api/v1/results/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_throttled_after_the_rate(world, client, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "burst": "3/minute"}
    statuses = [client.get("/api/v1/services/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/services/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def _queries(client, path, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200


def test_list_queries_do_not_grow_with_rows(world, client, django_assert_max_num_queries):
    """Token 1 (and its last use, at most every few minutes, 1), count 1, page 1 (+1 tree for a service filter; KPIs +4 for their
    latest results; figures: tree 1, stored figures 1, counted 1)."""
    budgets = {
        "/api/v1/services/": 4,
        "/api/v1/kpis/": 8,
        "/api/v1/targets/": 4,
        "/api/v1/results/": 4,
        "/api/v1/service-figures/": 7,
        f"/api/v1/results/?service={world.service.pk}": 5,
    }
    seed_kpis(world, 2)
    for path, budget in budgets.items():
        _queries(client, path, django_assert_max_num_queries, budget)
    seed_kpis(world, 30, service=world.team, prefix="B")
    for path, budget in budgets.items():
        _queries(client, path, django_assert_max_num_queries, budget)
