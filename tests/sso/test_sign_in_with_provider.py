"""Single sign-on end to end: a live Django server and a real OpenID Connect
provider on loopback (tests/sso/conftest.py), driven with plain HTTP as a
browser would: the product's button, the provider's sign-in form, the callback."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.urls import reverse

from organisations.models import Employee
from tests.factories import EmployeeFactory, UserFactory
from tests.sso.conftest import SignIn

NOT_CONFIRMED = "Your sign-in could not be confirmed, so you have not been signed in."


@pytest.fixture
def sso_world(world, oidc_provider):
    """Testshire signs in through the provider by work email; its people as the
    provider knows them (tests/sso/conftest.py ACCOUNTS)."""
    org = world.org
    org.oidc_issuer = oidc_provider.issuer
    org.oidc_client_id = oidc_provider.client_id
    org.oidc_client_secret = oidc_provider.client_secret
    org.save()
    Employee.objects.filter(pk=world.staff.pk).update(email="sol.staff@testshire.example")
    Employee.objects.filter(pk=world.officer.pk).update(employee_number="E200")
    return world


def _signed_out(browser: SignIn) -> bool:
    response = browser.get("/")
    return response.url.split("?")[0].endswith(reverse("login"))


def test_the_sign_in_page_offers_the_organisations_account(sso_world, live_server):
    page = SignIn(live_server.url).get(reverse("login"))
    assert "Sign in with Testshire Council’s account" in page.text
    assert 'href="/accounts/sso/testshire/"' in page.text
    assert "Riverside Homes’s account" not in page.text  # no issuer: no button


def test_a_person_signs_in_by_work_email_and_lands_on_their_home(sso_world, live_server):
    browser = SignIn(live_server.url)
    landed = browser.with_provider("sol")
    assert landed.status_code == 200
    assert landed.url == live_server.url + reverse("insights:my_page")  # staff's home
    assert "<title>My page" in landed.text
    # Recorded as any sign-in is: django-axes's log, under the person's user name.
    assert AccessLog.objects.filter(username="staff", path_info=reverse("sso_callback")).count() == 1
    assert not _signed_out(browser)


def test_matching_by_employee_number_lands_an_officer_on_the_overview(sso_world, live_server):
    org = sso_world.org
    org.oidc_claim, org.oidc_matches = "employee_id", "employee_number"
    org.save()
    landed = SignIn(live_server.url).with_provider("olu")
    assert landed.url == live_server.url + reverse("insights:org_overview")


def test_next_is_followed_after_signing_in(sso_world, live_server):
    landed = SignIn(live_server.url).with_provider("sol", next_path=reverse("privacy"))
    assert landed.url == live_server.url + reverse("privacy")


def test_a_first_sign_in_creates_and_links_an_account_once(sso_world, live_server):
    nia = EmployeeFactory(
        organisation=sso_world.org, service=sso_world.team, email="Nia.New@testshire.example", user=None
    )
    users = get_user_model().objects.count()
    landed = SignIn(live_server.url).with_provider("nia")
    assert landed.url == live_server.url + reverse("insights:my_page")
    nia.refresh_from_db()
    assert nia.user.username == "nia.new@testshire.example"
    assert not nia.user.has_usable_password()
    SignIn(live_server.url).with_provider("nia")  # the second time: the same account
    assert get_user_model().objects.count() == users + 1


def test_someone_the_organisation_does_not_know_is_refused(sso_world, live_server):
    browser = SignIn(live_server.url)
    refused = browser.with_provider("stranger")
    assert refused.url == live_server.url + reverse("login")
    assert refused.status_code == 200
    assert "You have not been signed in" in refused.text
    assert (
        "as stranger@elsewhere.example, but no one in Testshire Council has that work email" in refused.text
    )
    assert "<title>Error: Sign in" in refused.text
    assert _signed_out(browser)
    # Recorded as a failed sign-in, under the name the provider gave.
    assert AccessAttempt.objects.filter(username="stranger@elsewhere.example").count() == 1
    # The message is shown once.
    assert "You have not been signed in" not in browser.get(reverse("login")).text


@pytest.mark.parametrize("how", ["record", "account"])
def test_a_leaver_is_refused(sso_world, live_server, how):
    EmployeeFactory(
        organisation=sso_world.org,
        service=sso_world.team,
        email="lee.leaver@testshire.example",
        user=UserFactory(username="lee", is_active=how != "account"),
        active=how != "record",
    )
    browser = SignIn(live_server.url)
    refused = browser.with_provider("lee")
    assert refused.url == live_server.url + reverse("login")
    assert "Testshire Council’s records say you have left, or your account is turned off" in refused.text
    assert _signed_out(browser)
    assert AccessAttempt.objects.filter(username="lee").count() == 1
    assert not AccessLog.objects.filter(username="lee").exists()


@pytest.mark.parametrize(
    "mode, reason",
    [
        ("tampered", "Signature verification failed"),
        ("foreign-key", "Signature verification failed"),
        ("audience", "Audience doesn't match"),
        ("issuer", "Invalid issuer"),
        ("expired", "Signature has expired"),
        ("nonce", "Nonce verification failed"),
    ],
)
def test_an_id_token_that_does_not_check_out_is_refused(
    sso_world, live_server, oidc_provider, caplog, mode, reason
):
    """The provider's token endpoint answers with an ID token whose signature was
    altered (or made with another key), or one genuinely signed but for another
    client, from another issuer, expired, or for another sign-in (nonce)."""
    oidc_provider.id_token_mode(mode)
    browser = SignIn(live_server.url)
    with caplog.at_level("WARNING", logger="perfmgmt.audit"):
        refused = browser.with_provider("sol")
    logged = [r.getMessage() for r in caplog.records if "single-sign-on refused" in r.getMessage()]
    assert len(logged) == 1 and reason in logged[0], logged
    assert refused.url == live_server.url + reverse("login")
    assert NOT_CONFIRMED in refused.text
    assert _signed_out(browser)
    assert AccessAttempt.objects.filter(username="single sign-on (testshire)").count() == 1
    assert not AccessLog.objects.exists()


def test_the_genuine_token_still_signs_in_after_a_refusal(sso_world, live_server, oidc_provider):
    oidc_provider.id_token_mode("audience")
    SignIn(live_server.url).with_provider("sol")
    oidc_provider.id_token_mode("genuine")
    landed = SignIn(live_server.url).with_provider("sol")
    assert landed.url == live_server.url + reverse("insights:my_page")


def test_a_callback_replayed_is_refused(sso_world, live_server):
    """The state is used once: the same callback address a second time signs no one in."""
    browser = SignIn(live_server.url)
    landed = browser.with_provider("sol")
    callback = next(
        r.url for r in landed.history if r.url.startswith(live_server.url + reverse("sso_callback"))
    )
    thief = SignIn(live_server.url)
    replayed = thief.http.get(callback, timeout=20)
    assert replayed.url == live_server.url + reverse("login")
    assert "took too long or was started in another browser" in replayed.text
    assert _signed_out(thief)
