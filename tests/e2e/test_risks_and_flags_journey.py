"""A head of service's journey in a real browser: the risk matrix to the register,
a flag's evidence, acknowledging it; every page checked with axe (WCAG 2.2 AA)."""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import build_world
from tests.insights.flag_factories import FlagFactory
from tests.organisations.risk_factories import RiskFactory

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DIST = Path(__file__).resolve().parents[2] / "static" / "dist"


@pytest.fixture
def page(monkeypatch):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (set CHROMIUM); CI installs one")
    playwright = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are still synchronous, so tell Django they are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser.new_page()
        browser.close()


def check_accessibility(page):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
    )
    violations = [(v["id"], v["nodes"][0]["html"][:200]) for v in result.response["violations"]]
    assert violations == [], page.url


def sign_in(page, base, username):
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("#id_submit")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url  # signed in: on the role's home page


def test_matrix_to_register_and_acknowledging_a_flag(transactional_db, live_server, page, settings):
    if not (DIST / "css" / "main.css").exists():
        pytest.skip("the front end is not built (make frontend)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    RiskFactory(
        organisation=world.org,
        service=world.service,
        owner=world.service_head,
        title="Case system fails at go-live",
        residual_likelihood=3,
        residual_impact=4,
    )
    RiskFactory(
        organisation=world.org,
        title="Cyber attack",
        residual_likelihood=4,
        residual_impact=4,
        inherent_impact=5,
    )
    flag = FlagFactory(
        organisation=world.org,
        service=world.service,
        subject_id=world.service.pk,
        title="Housing Options: 35% of FTE on interim or agency contracts",
        rule="More than the organisation's threshold of 20% of FTE on interim or agency contracts.",
        evidence={
            "interim_and_agency_share_percent": "35",
            "links": [
                {
                    "label": "Housing Options workforce",
                    "url": reverse("organisations:service_detail", args=[world.service.pk]),
                }
            ],
        },
    )
    base = live_server.url
    sign_in(page, base, "head")

    page.goto(base + reverse("organisations:risk_matrix"))
    check_accessibility(page)
    assert page.locator("table caption").first.inner_text().startswith("2 open risks")
    cell = page.locator("tbody tr").nth(2).locator("td").nth(3)  # likelihood 3, impact 4
    assert "High" in cell.inner_text()
    cell.get_by_role("link").click()
    assert "likelihood=3" in page.url
    check_accessibility(page)
    assert page.get_by_role("link", name="Case system fails at go-live").is_visible()
    assert page.get_by_role("link", name="Cyber attack").count() == 0

    page.goto(base + reverse("insights:flag_detail", args=[flag.pk]))
    check_accessibility(page)
    assert page.get_by_text("Interim and agency share (%)").is_visible()
    assert page.get_by_role("link", name="Housing Options workforce").is_visible()
    page.get_by_role("link", name="Acknowledge").click()
    page.click("#id_submit")  # no note: an error
    assert page.title().startswith("Error:")
    check_accessibility(page)
    page.fill("#id_note", "Agreed at DMT: recruit six permanent officers")
    page.click("#id_submit")
    assert page.get_by_text("Agreed at DMT: recruit six permanent officers").first.is_visible()
    check_accessibility(page)
