"""The settings pages for API tokens: administrators only, the secret shown once,
only its hash stored, revoking confirmed, everything audited."""

from api.models import ApiToken
from api.rules import tokens as token_rules
from organisations.models import AuditEvent
from tests.conftest import client_for


def _admin(world):
    type(world.officer).objects.filter(pk=world.officer.pk).update(is_organisation_admin=True)
    return client_for(world.officer)


def test_create_shows_the_secret_once_and_stores_a_hash(world):
    client = _admin(world)
    page = client.get("/settings/api-tokens/new/").content.decode()
    assert page.count("<h1") == 1 and "<title>Create an API token" in page
    response = client.post("/settings/api-tokens/new/", {"name": "Power BI", "scopes": ["aggregates"]})
    html = response.content.decode()
    token = ApiToken.objects.get(name="Power BI")
    secret = html.split('id="api-token-secret" type="text" value="')[1].split('"')[0]
    assert secret.startswith(f"pmk_{token.prefix}_")
    assert token.secret_hash == token_rules.token_hash(secret) and secret not in token.secret_hash
    assert token.scopes == "aggregates" and token.created_by == world.officer
    listing = client.get("/settings/api-tokens/").content.decode()
    assert "Power BI" in listing and secret not in listing
    event = AuditEvent.objects.get(kind="api_token_created")
    assert event.actor == world.officer and "Power BI" in event.subject_name


def test_form_errors_keep_what_was_typed(world):
    client = _admin(world)
    html = client.post("/settings/api-tokens/new/", {"name": "Loader"}).content.decode()
    assert "govuk-error-summary" in html and "Choose what the token may read" in html
    assert 'value="Loader"' in html
    client.post("/settings/api-tokens/new/", {"name": "Loader", "scopes": ["aggregates"]})
    again = client.post("/settings/api-tokens/new/", {"name": "Loader", "scopes": ["aggregates"]})
    assert "exists already" in again.content.decode()


def test_revoke_asks_first_then_revokes_and_audits(world):
    client = _admin(world)
    client.post("/settings/api-tokens/new/", {"name": "Old loader", "scopes": ["aggregates"]})
    token = ApiToken.objects.get(name="Old loader")
    confirm = client.get(f"/settings/api-tokens/{token.pk}/revoke/").content.decode()
    assert "Are you sure?" in confirm and "Revoke token" in confirm
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/settings/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.officer
    assert AuditEvent.objects.filter(kind="api_token_revoked", actor=world.officer).count() == 1


def test_non_admins_are_refused(world):
    for persona in ("staff", "manager", "head", "chief", "officer"):
        client = client_for(world.persona(persona))
        assert client.get("/settings/api-tokens/").status_code == 403
        assert (
            client.post("/settings/api-tokens/new/", {"name": "x", "scopes": ["people"]}).status_code == 403
        )
    assert not ApiToken.objects.exists()
