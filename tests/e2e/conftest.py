"""Browser tests: Playwright driving Debian's Chromium against a live server.

The server is a real ``manage.py runserver`` process on its own database,
migrated and seeded once per test session with ``seed_demo`` (SQLite file
locally; with ``DATABASE_URL`` set, a PostgreSQL database beside it). Tests
skip, saying why, only where no Chromium is installed; in CI (``CI=true``)
a missing browser is a failure.

``E2E_TODAY=YYYY-MM-DD`` runs the server (and every ``manage.py`` command the
tests run) on that date: the demo is seeded with ``seed_demo --today`` and each
process starts under time-machine (``tests.e2e.serve_at``) at 10:00 that day.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "e2e-password"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]


def server_date() -> date | None:
    """The date the live server runs on, when E2E_TODAY says; else the real one."""
    value = os.environ.get("E2E_TODAY")
    return date.fromisoformat(value) if value else None


def _command(*args: str) -> list[str]:
    """``manage.py args``, run on E2E_TODAY's date when it is set."""
    day = server_date()
    if day is None:
        return [sys.executable, "manage.py", *args]
    return [sys.executable, "-m", "tests.e2e.serve_at", day.isoformat(), *args]


@pytest.fixture(scope="session")
def server_today() -> date:
    """Today as the live server sees it (tests type dates relative to it)."""
    from core import clock

    return server_date() or clock.today()


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    if os.environ.get("CI") == "true":
        return  # the browser fixture fails loudly instead
    skip = pytest.mark.skip(reason="No Chromium installed (apt-get install chromium); browser tests skipped")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env["DJANGO_DEBUG"] = "true"  # runserver serves static files; seed_demo runs
    env["AXES_ENABLED"] = "true"
    base = os.environ.get("DATABASE_URL")
    if base:
        parsed = urlparse(base)
        name = parsed.path.lstrip("/") + "_e2e"
        admin = parsed._replace(path="/postgres").geturl()
        _recreate_pg_database(admin, name)
        env["DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()
    else:
        db = ROOT / "test-artifacts" / "e2e.sqlite3"
        db.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    return env


def _recreate_pg_database(admin_url: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


@pytest.fixture(scope="session")
def server_env():
    return _server_env()


def manage(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    result = subprocess.run(
        _command(*args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def live_url(server_env):
    manage(server_env, "migrate", "--noinput")
    seed = ["seed_demo", "--employees", "200", "--seed", "2026", "--password", PASSWORD, "--force"]
    if server_date():
        seed += ["--today", server_date().isoformat()]
    manage(server_env, *seed)
    port = _free_port()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    log = open(ROOT / "test-artifacts" / "e2e-server.log", "w")  # noqa: SIM115 (open for the server lifetime)
    proc = subprocess.Popen(
        _command("runserver", f"127.0.0.1:{port}", "--noreload"),
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            break
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("the e2e server exited; see test-artifacts/e2e-server.log")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.fail("CI=true but no Chromium at /usr/bin/chromium: .ci/run must install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def make_page(browser, live_url, request):
    """``make_page(username=None, javascript=True)``: a fresh browser context, signed in."""
    contexts = []

    def _make(username: str | None = None, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_url, java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15000)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        contexts.append((context, page))
        if username:
            sign_in(page, username)
        return page

    yield _make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, (context, page) in enumerate(contexts):
        if failed:
            _save_artifacts(page, f"{request.node.name}-{i}")
        context.close()


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def _save_artifacts(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)[:120]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        (ARTIFACTS / f"{safe}.html").write_text(page.content())
    except Exception:  # the page may be gone; artefacts are best effort
        pass


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
