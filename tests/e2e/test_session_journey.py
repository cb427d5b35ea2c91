"""In a browser: a manager logs a full session and shares it, the employee reads
it without the private note and acknowledges it, the head of service sees only
that it happened. Runs without JavaScript too: the form needs none."""

import os
import shutil
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisals.models import FeedbackSession, SessionState
from tests.appraisals.session_factories import ActionFactory, FeedbackSessionFactory

pytestmark = pytest.mark.e2e

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# here between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _yesterday() -> str:
    d = timezone.localdate() - timedelta(days=1)
    return f"{d.day} {d.month} {d.year}"


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PRIVATE = "Worried about workload after the system change"


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("no Chromium installed (CI installs one)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


def assert_accessible(page):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(browser, live_server, username, *, javascript=True):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("main button.govuk-button").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url  # signed in: on the role's home page
    return page


def test_log_share_read_acknowledge(world, live_server, browser):
    earlier = FeedbackSessionFactory(employee=world.staff, state=SessionState.ACKNOWLEDGED)
    ActionFactory(session=earlier, description="Finish the induction modules")

    # demo-manager's part, with JavaScript off: nothing on the form needs it
    page = sign_in(browser, live_server, "manager", javascript=False)
    page.goto(live_server.url + reverse("appraisals:session_create", args=[world.staff.pk]))
    page.fill("#id_held_on", "31 2 2026")  # not a real date: the error summary links to the field
    page.click("button[name=save][value=draft]")
    page.wait_for_selector(".govuk-error-summary a[href='#id_held_on']")
    page.fill("#id_held_on", _yesterday())
    page.fill("#id_discussion", "Caseload and the new system")
    page.fill("#id_private_note", PRIVATE)
    page.check("label:has-text('Carry over into this session')")
    page.fill("#id_new-0-description", "Book the system training")
    page.click("button[name=add_action]")
    page.wait_for_selector("#id_new-3-description")
    assert page.input_value("#id_discussion") == "Caseload and the new system"
    assert page.input_value("#id_new-0-description") == "Book the system training"
    page.fill("#id_new-3-description", "Shadow a colleague")
    page.check("label:has-text('Achieving')")
    page.click("button[name=save][value=share]")
    page.wait_for_selector("text=Session saved and shared")
    session = FeedbackSession.objects.exclude(pk=earlier.pk).get()
    assert session.state == SessionState.SHARED
    assert session.actions.count() == 3  # two new, one carried over

    # the employee reads it, without the private note, and acknowledges
    page = sign_in(browser, live_server, "staff")
    page.goto(live_server.url + reverse("appraisals:my_sessions"))
    page.click(f"a[href='{reverse('appraisals:session_detail', args=[session.pk])}']")
    page.wait_for_selector("text=Acknowledge this session")
    body = page.content()
    assert "Caseload and the new system" in body and PRIVATE not in body
    assert_accessible(page)
    page.click("text=Acknowledge this session")
    page.fill("#id_comment", "A fair record")
    page.locator("main button.govuk-button").click()
    page.wait_for_selector("text=you have acknowledged this session")
    session.refresh_from_db()
    assert session.state == SessionState.ACKNOWLEDGED and session.employee_comment == "A fair record"

    # the head of the directorate sees only that it happened
    page = sign_in(browser, live_server, "head")
    page.goto(live_server.url + reverse("appraisals:session_detail", args=[session.pk]))
    body = page.content()
    assert "One-to-one" in body and "not what was said" in body
    assert "Caseload and the new system" not in body and PRIVATE not in body


def test_session_form_is_accessible(world, live_server, browser):
    """axe-core on the form, empty and with errors (axe needs JavaScript on)."""
    FeedbackSessionFactory(employee=world.staff, state=SessionState.ACKNOWLEDGED)
    page = sign_in(browser, live_server, "manager")
    page.goto(live_server.url + reverse("appraisals:session_create", args=[world.staff.pk]))
    assert_accessible(page)
    page.fill("#id_held_on", "31 2 2026")
    page.click("button[name=save][value=draft]")
    page.click(".govuk-error-summary a[href='#id_held_on']")
    page.wait_for_load_state()
    assert_accessible(page)
