"""Hardening: deploy checks, headers, lockout, sign-in audit log."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_under_production_settings():
    # A production environment: none of the test run's own switches (browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright's sync API).
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "performance.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")}
    env["DJANGO_DEBUG"] = "false"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_security_headers(world, staff_client):
    response = staff_client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_session_cookie_is_httponly_and_idle_timeout(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 3600


def test_lockout_after_repeated_failures_with_clear_message(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "staff", "password": "pw"})
    assert response.status_code == 429


def test_failed_and_successful_sign_ins_are_logged(world, caplog):
    client = Client()
    with caplog.at_level("INFO", logger="perfmgmt.audit"):
        client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
        client.post("/accounts/login/", {"username": "staff", "password": "pw"})
    messages = [r.getMessage() for r in caplog.records if r.name == "perfmgmt.audit"]
    assert any(m.startswith("failed sign-in user=staff") for m in messages)
    assert any(m.startswith("sign-in user=staff") for m in messages)


def test_wrong_password_message_is_next_to_form(world):
    response = Client().post("/accounts/login/", {"username": "staff", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Enter a correct username and password" in html
    assert 'value="staff"' in html  # what the user typed is kept


def test_csrf_enforced(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "staff", "password": "pw"})
    assert response.status_code == 403
