"""A real OpenID Connect provider (tests/sso/provider.mjs, node-oidc-provider)
on a free loopback port, started once per module and stopped after it, and a
live Django server it redirects back to. Node and the npm packages are needed:
without them these tests fail (they are on every developer's machine and in CI
through ``make setup``); they never skip."""

from __future__ import annotations

import html
import json
import re
import select
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "perfmgmt"
CLIENT_SECRET = "test-client-secret"
START_SECONDS = 20
HTTP_SECONDS = 20

# The provider's people, by the login typed on its sign-in form.
ACCOUNTS = {
    # Testshire's staff persona, with the email's case changed.
    "sol": {"email": "Sol.Staff@Testshire.example", "email_verified": True, "name": "Sol Staff"},
    # The officer persona, known to Testshire by employee number.
    "olu": {"email": "olu@elsewhere.example", "email_verified": True, "employee_id": "E200"},
    # Someone Testshire has no record of.
    "stranger": {"email": "stranger@elsewhere.example", "email_verified": True},
    # A person who left Testshire.
    "lee": {"email": "lee.leaver@testshire.example", "email_verified": True},
    # A person with no account in the product yet.
    "nia": {"email": "nia.new@testshire.example", "email_verified": True},
}


@dataclass
class OidcProvider:
    issuer: str
    client_id: str
    client_secret: str

    def id_token_mode(self, mode: str) -> None:
        """What the token endpoint returns instead of the genuine ID token (see provider.mjs)."""
        response = requests.post(
            f"{self.issuer}/__test__/id-token", json={"mode": mode}, timeout=HTTP_SECONDS
        )
        assert response.json() == {"mode": mode}


def _start(redirect_uri: str) -> tuple[subprocess.Popen, str, Path]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the single sign-on tests (make setup installs the npm packages)"
    config = {
        "clients": [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [redirect_uri]}
        ],
        "accounts": ACCOUNTS,
    }
    errors = Path(tempfile.mkstemp(prefix="oidc-provider-", suffix=".log")[1])
    process = subprocess.Popen(
        [node, str(SCRIPT), json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("{"):
        process.kill()
        pytest.fail(f"the OpenID Connect provider did not start: {line!r}\n{errors.read_text()}")
    return process, json.loads(line)["issuer"], errors


@pytest.fixture(scope="module")
def _provider_process(live_server):
    process, issuer, errors = _start(f"{live_server.url}/accounts/oidc/callback/")
    yield OidcProvider(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    errors.unlink(missing_ok=True)


@pytest.fixture
def oidc_provider(_provider_process):
    """The module's provider, issuing genuine ID tokens at the start of each test."""
    _provider_process.id_token_mode("genuine")
    return _provider_process


class SignIn:
    """A person's browser, as plain HTTP: follows redirects, keeps cookies."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(urljoin(self.base_url, path), timeout=HTTP_SECONDS)

    def with_provider(self, login: str, slug: str = "testshire", next_path: str = "") -> requests.Response:
        """Press "Sign in with ...'s account", type ``login`` on the provider's
        form, and follow every redirect to where the product lands them."""
        page = self.get(f"/accounts/sso/{slug}/" + (f"?next={next_path}" if next_path else ""))
        assert page.status_code == 200 and "/interaction/" in page.url, (page.status_code, page.url)
        action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1))
        return self.http.post(
            urljoin(page.url, action),
            data={"prompt": "login", "login": login, "password": "any"},
            timeout=HTTP_SECONDS,
        )
