"""Cases 6, 7 and 9: bounded work for a hostile upload, sign-in lockouts by
account and by address with the client address taken from a trusted proxy only,
and /healthz over plain HTTP. Any database."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from core.mail.notify import NotifyEmailBackend, notify_token
from organisations.models import KPIResult
from organisations.services.kpi_import import MAX_IMPORT_ERRORS
from tests.conftest import client_for

HEADER = b"kpi_code,period_end,value,commentary,corrective_action\n"


def test_a_million_bad_lines_get_a_bounded_answer(world):
    data = HEADER + b"x\n" * 1_000_000  # 2 MB
    response = client_for(world.officer).post(
        reverse("organisations:kpi_import"), {"file": SimpleUploadedFile("bad.csv", data, "text/csv")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"The file has at least {MAX_IMPORT_ERRORS} problems. Checking stopped there" in html
    assert "the rest of the file was not checked: it has more than 10,000 rows" in html
    assert html.count('<tr class="govuk-table__row">') <= MAX_IMPORT_ERRORS + 1  # header row
    assert len(response.content) < 200_000  # a page, not 800 MB
    assert not KPIResult.objects.exists()


def test_a_short_bad_file_says_how_many_rows_were_not_checked(world):
    bad = b"".join(b"NOPE,2025-04-30,1,,\n" for _ in range(150))
    response = client_for(world.officer).post(
        reverse("organisations:kpi_import"), {"file": SimpleUploadedFile("bad.csv", HEADER + bad, "text/csv")}
    )
    html = response.content.decode()
    assert "Checking stopped there: 50 more rows were not checked" in html


def _sign_in(username: str, password: str, **meta) -> int:
    return Client(**meta).post("/accounts/login/", {"username": username, "password": password}).status_code


def test_spraying_many_accounts_from_one_address_locks_the_address(world):
    # Four guesses at each of two accounts, from one address.
    codes = [
        _sign_in(name, "wrong", REMOTE_ADDR="203.0.113.9") for name in ("staff", "peer") for _ in range(4)
    ]
    assert codes[:4] == [200] * 4 and 429 in codes
    assert _sign_in("manager", "pw", REMOTE_ADDR="203.0.113.9") == 429  # the address is locked
    assert _sign_in("manager", "pw", REMOTE_ADDR="198.51.100.1") == 302  # others are not


def test_guessing_one_account_from_many_addresses_locks_the_account(world):
    for n in range(5):
        _sign_in("staff", "wrong", REMOTE_ADDR=f"198.51.100.{n + 10}")
    assert _sign_in("staff", "pw", REMOTE_ADDR="192.0.2.77") == 429


def test_the_client_address_comes_from_the_proxy_only_when_configured(world, settings, caplog):
    with caplog.at_level(logging.INFO, logger="perfmgmt.audit"):
        _sign_in("staff", "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert AccessAttempt.objects.get().ip_address == "10.0.0.2"  # a header anyone can send: ignored
        settings.TRUSTED_PROXY_COUNT = 1
        _sign_in("peer", "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert AccessAttempt.objects.get(username="peer").ip_address == "203.0.113.5"
    assert "failed sign-in user=peer ip=203.0.113.5" in caplog.text


def test_healthz_answers_plain_http_when_https_is_enforced(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/accounts/login/").status_code == 301  # everything else goes to HTTPS
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    deep = client.get("/healthz?deep=1")
    assert deep.status_code == 200 and set(deep.json()) == {"status", "database", "background"}


def test_the_notify_backend_posts_to_the_notify_api(settings):
    received = []

    class Notify(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(
                (
                    self.headers["Authorization"],
                    json.loads(self.rfile.read(int(self.headers["Content-Length"]))),
                )
            )
            self.send_response(201)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Notify)
    threading.Thread(target=server.handle_request, daemon=True).start()
    service, secret = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
    settings.NOTIFY_API_KEY = f"perfmgmt-{service}-{secret}"
    settings.NOTIFY_TEMPLATE_ID = "template-1"
    settings.NOTIFY_URL = f"http://127.0.0.1:{server.server_port}/v2/notifications/email"
    sent = NotifyEmailBackend().send_messages(
        [EmailMessage("Hello", "Body", "x@example.gov.uk", ["a@example.gov.uk"])]
    )
    server.server_close()
    assert sent == 1
    auth, body = received[0]
    assert body == {
        "email_address": "a@example.gov.uk",
        "template_id": "template-1",
        "personalisation": {"subject": "Hello", "body": "Body"},
    }
    token = auth.removeprefix("Bearer ")
    header, claims, _ = token.split(".")
    assert notify_token(settings.NOTIFY_API_KEY, issued_at=0).split(".")[0] == header
