"""Tokens, scopes and organisations: who reads what."""

from django.test import Client

from api.services.tokens import api_token_revoke
from tests.api.conftest import api_client, make_token, seed_kpis


def test_no_token_unknown_or_revoked_is_401_with_json(world, token):
    assert Client().get("/api/v1/kpis/").status_code == 401
    bad = api_client("pmk_00000000_" + "x" * 43).get("/api/v1/kpis/")
    assert bad.status_code == 401 and "detail" in bad.json()
    client = api_client(token.secret)
    assert client.get("/api/v1/kpis/").status_code == 200
    api_token_revoke(token=token.token, by=world.officer)
    refused = client.get("/api/v1/kpis/")
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_aggregates_token_cannot_read_people(world, client):
    response = client.get("/api/v1/people/")
    assert response.status_code == 403 and "people" in response.json()["detail"]
    assert client.get(f"/api/v1/people/{world.staff.pk}/").status_code == 403
    seed_kpis(world, 1)
    from organisations.models import KPI

    KPI.objects.update(owner=world.staff)
    assert client.get("/api/v1/kpis/").json()["results"][0]["owner_name"] is None


def test_people_token_reads_people_without_session_data(world):
    type(world.manager).objects.filter(pk=world.manager.pk).update(employee_number="M1")
    client = api_client(make_token(world.officer, scopes=("aggregates", "people")).secret)
    rows = {r["id"]: r for r in client.get("/api/v1/people/").json()["results"]}
    staff = rows[world.staff.pk]
    assert staff["line_manager_employee_number"] == "M1"
    assert set(staff) == {
        "id", "employee_number", "first_name", "last_name", "service", "service_code",
        "job_role", "job_role_code", "employment_type", "line_manager_employee_number",
    }  # fmt: skip
    assert world.outsider.pk not in rows


def test_another_organisations_objects_are_404_and_absent(world, client):
    mine = seed_kpis(world, 1)[0]
    theirs = seed_kpis(world, 1, org=world.other_org, service=world.other_service)[0]
    result = theirs.results.first()
    target = theirs.targets.first()
    for path in (
        f"/api/v1/kpis/{theirs.pk}/",
        f"/api/v1/results/{result.pk}/",
        f"/api/v1/targets/{target.pk}/",
        f"/api/v1/services/{world.other_service.pk}/",
        f"/api/v1/service-figures/{world.other_service.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/api/v1/kpis/{mine.pk}/").status_code == 200
    for path in ("kpis", "results", "targets", "services", "service-figures"):
        text = client.get(f"/api/v1/{path}/?page_size=1000").content.decode()
        assert theirs.code not in text and "Neighbourhoods" not in text, path
    # A filter naming the other organisation's service is refused, not widened.
    assert client.get(f"/api/v1/kpis/?service={world.other_service.pk}").status_code == 400


def test_writes_are_405(client):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/v1/kpis/").status_code == 405
