"""Single sign-on without a provider: where the settings come from, who a claim
names, passwords turned off, and the start and callback pages' refusals."""

from __future__ import annotations

import socket

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from organisations.rules.single_sign_on import (
    Candidate,
    Outcome,
    choose_person,
    claim_value,
    environment_prefix,
    sso_settings_from,
)
from organisations.selectors.single_sign_on import organisations_with_sso, sso_settings
from tests.conftest import client_for
from tests.factories import UserFactory

FIELDS = {
    "issuer": "https://login.microsoftonline.com/tenant-id/v2.0",
    "client_id": "field-client",
    "client_secret": "field-secret",
    "claim": "",
    "matches": "email",
}


def test_the_environment_is_named_after_the_slug():
    assert environment_prefix("testshire-council") == "OIDC_TESTSHIRE_COUNCIL_"
    assert environment_prefix("st.helens_2") == "OIDC_ST_HELENS_2_"


def test_the_fields_alone():
    settings = sso_settings_from("testshire", FIELDS, {})
    assert settings.enabled and settings.client_id == "field-client"
    assert settings.claim == "email"  # a blank claim is the default
    assert settings.from_environment == frozenset()


def test_the_environment_wins_over_a_field_and_fills_a_blank():
    environ = {
        "OIDC_TESTSHIRE_CLIENT_SECRET": "vault-secret",
        "OIDC_TESTSHIRE_CLAIM": "preferred_username",
        "OIDC_TESTSHIRE_MATCHES": " ",  # blank: the field stands
        "OIDC_OTHER_CLIENT_ID": "not ours",
    }
    settings = sso_settings_from("testshire", FIELDS, environ)
    assert settings.client_secret == "vault-secret"
    assert settings.claim == "preferred_username"
    assert settings.client_id == "field-client" and settings.matches == "email"
    assert settings.from_environment == {"client_secret", "claim"}


def test_without_a_secret_or_client_there_is_no_single_sign_on():
    assert not sso_settings_from("x", {**FIELDS, "client_secret": ""}, {}).enabled
    assert not sso_settings_from("x", {**FIELDS, "issuer": ""}, {}).enabled
    assert sso_settings_from("x", {}, {"OIDC_X_ISSUER": "https://i", "OIDC_X_CLIENT_ID": "c",
                                       "OIDC_X_CLIENT_SECRET": "s"}).enabled  # fmt: skip


def test_an_unknown_kind_of_match_is_email():
    assert sso_settings_from("x", {**FIELDS, "matches": "surname"}, {}).matches == "email"


def test_claim_values():
    claims = {"email": " A@B.example ", "employee_id": 1234, "email_verified": True, "groups": ["a"]}
    assert claim_value(claims, "email") == "A@B.example"
    assert claim_value(claims, "employee_id") == "1234"
    assert claim_value(claims, "email_verified") == ""
    assert claim_value(claims, "groups") == ""
    assert claim_value(claims, "missing") == ""


@pytest.mark.parametrize(
    "candidates, outcome, chosen",
    [
        ([], Outcome.UNKNOWN, None),
        ([Candidate(1, True, None)], Outcome.MATCHED, 1),
        ([Candidate(1, True, True)], Outcome.MATCHED, 1),
        ([Candidate(1, False, True)], Outcome.LEFT, 1),
        ([Candidate(1, True, False)], Outcome.LEFT, 1),
        # Rejoined: the old record has left, the new one works here.
        ([Candidate(2, True, None), Candidate(1, False, False)], Outcome.MATCHED, 2),
        ([Candidate(1, True, True), Candidate(2, True, None)], Outcome.AMBIGUOUS, None),
    ],
)
def test_who_a_claim_names(candidates, outcome, chosen):
    got, candidate = choose_person(candidates)
    assert got is outcome
    assert (candidate.pk if candidate else None) == chosen


def _sso(org, issuer="https://login.example/tenant/v2.0"):
    org.oidc_issuer, org.oidc_client_id, org.oidc_client_secret = issuer, "client", "secret"
    org.save()


def test_organisations_with_sso_from_fields_or_environment(world, monkeypatch, django_assert_num_queries):
    _sso(world.org)
    monkeypatch.setenv("OIDC_RIVERSIDE_ISSUER", "https://idp.riverside.example")
    monkeypatch.setenv("OIDC_RIVERSIDE_CLIENT_ID", "c")
    with django_assert_num_queries(1):
        found = organisations_with_sso()
    assert [o.slug for o, _ in found] == ["testshire"]  # Riverside: no secret yet
    monkeypatch.setenv("OIDC_RIVERSIDE_CLIENT_SECRET", "s")
    assert [o.slug for o, _ in organisations_with_sso()] == ["riverside", "testshire"]
    assert sso_settings(world.other_org).from_environment == {"issuer", "client_id", "client_secret"}


def test_the_sign_in_page_offers_a_button_per_organisation(world, django_assert_max_num_queries):
    _sso(world.org)
    with django_assert_max_num_queries(4):
        page = Client().get(reverse("login") + "?next=/privacy/").content.decode()
    assert 'href="/accounts/sso/testshire/?next=/privacy/"' in page
    assert "Sign in with Testshire Council’s account" in page
    assert page.count("<h1") == 1


# --- passwords turned off -------------------------------------------------------------


def _passwords_off(org):
    org.local_passwords_enabled = False
    org.save()


def test_a_password_is_refused_when_the_organisation_turned_them_off(world):
    _sso(world.org)
    _passwords_off(world.org)
    client = Client()
    response = client.post(reverse("login"), {"username": "staff", "password": "pw"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Testshire Council has turned off signing in with a password here." in html
    assert "Use the “Sign in with Testshire Council’s account” button." in html
    assert 'href="/accounts/sso/testshire/"' in html
    assert "_auth_user_id" not in client.session  # not signed in
    assert AccessAttempt.objects.filter(username="staff").count() == 1  # recorded as a failed sign-in


def test_without_single_sign_on_the_message_says_whom_to_ask(world):
    _passwords_off(world.org)
    html = Client().post(reverse("login"), {"username": "staff", "password": "pw"}).content.decode()
    assert "Ask your organisation’s administrator how to sign in." in html


def test_a_wrong_password_says_only_that(world):
    _passwords_off(world.org)
    html = Client().post(reverse("login"), {"username": "staff", "password": "wrong"}).content.decode()
    assert "Enter a correct username and password" in html
    assert "turned off" not in html  # whose organisation it is, only to the right password


def test_other_organisations_keep_their_passwords(world):
    _passwords_off(world.org)
    response = Client().post(reverse("login"), {"username": "outsider", "password": "pw"})
    assert response.status_code == 302


def test_a_superuser_keeps_their_password(world):
    """Operators' accounts are the way back in when an identity provider fails."""
    _passwords_off(world.org)
    user = world.officer.user
    user.is_superuser = True
    user.save()
    response = Client().post(reverse("login"), {"username": "officer", "password": "pw"})
    assert response.status_code == 302


def test_an_account_nobody_is_keeps_its_password(world):
    _passwords_off(world.org)
    UserFactory(username="operator")
    assert Client().post(reverse("login"), {"username": "operator", "password": "pw"}).status_code == 302


# --- the start and the callback without a provider --------------------------------------


def test_no_single_sign_on_for_an_organisation_without_it(world):
    assert Client().get(reverse("sso_start", args=["testshire"])).status_code == 404
    assert Client().get(reverse("sso_start", args=["nowhere"])).status_code == 404


def test_signed_in_the_start_goes_home(world):
    _sso(world.org)
    response = client_for(world.staff).get(reverse("sso_start", args=["testshire"]))
    assert response.status_code == 302 and response["Location"] == "/"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_provider_that_does_not_answer_is_a_message_not_an_error(world):
    _sso(world.org, issuer=f"http://127.0.0.1:{_closed_port()}")
    client = Client()
    response = client.get(reverse("sso_start", args=["testshire"]), follow=True)
    assert response.status_code == 200
    assert "Testshire Council’s sign-in service could not be reached." in response.content.decode()


def test_a_provider_on_plain_http_elsewhere_is_refused(world):
    _sso(world.org, issuer="http://idp.example")  # https only, but for loopback in tests
    response = Client().get(reverse("sso_start", args=["testshire"]), follow=True)
    assert "could not be reached" in response.content.decode()


def test_a_callback_with_no_sign_in_in_progress(world):
    response = Client().get(reverse("sso_callback") + "?code=x&state=y", follow=True)
    assert response.status_code == 200
    assert "Your sign-in took too long or was started in another browser." in response.content.decode()
