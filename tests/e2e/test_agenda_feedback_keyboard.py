"""With the keyboard only (Tab, Enter, Space and typing; no clicks): demo-staff
signs in, puts a topic on the agenda of their next one-to-one and asks a
colleague for feedback; demo-manager then opens the log-a-session form, finds
the topic there and marks it discussed. Every page reached is checked with
axe-core (tests/e2e/a11y.py)."""

from __future__ import annotations

import json

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PASSWORD, manage
from tests.e2e.test_journeys import banner, enter_and_wait, tab_to

pytestmark = pytest.mark.e2e

TOPIC = "Keyboard-only topic: cover for the duty rota in January"


@pytest.fixture(scope="module")
def people(server_env, live_url):
    """demo-staff and demo-manager's record numbers, and a teammate's email to ask."""
    code = (
        "import json; from organisations.models import Employee; "
        "s = Employee.objects.get(user__username='demo-staff'); "
        "m = Employee.objects.get(user__username='demo-manager'); "
        "c = Employee.objects.filter(organisation=s.organisation, active=True, service=s.service)"
        ".exclude(pk__in=[s.pk, m.pk]).exclude(email='').order_by('pk').first(); "
        "print(json.dumps({'staff': s.pk, 'staff_name': s.full_name, 'colleague': c.email}))"
    )
    return json.loads(manage(server_env, "shell", "-c", code).strip().splitlines()[-1])


def sign_in_by_keyboard(page, username: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    enter_and_wait(page)
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def test_agenda_topic_and_feedback_request_with_the_keyboard_only(make_page, people):
    page = make_page()
    sign_in_by_keyboard(page, "demo-staff")

    tab_to(page, "a.govuk-service-navigation__link[href='/sessions/']")
    enter_and_wait(page)
    assert page.locator("h1").inner_text() == "My sessions"
    assert_accessible(page)

    # A topic for the next one-to-one, from the sessions page.
    tab_to(page, "#id_text")
    page.keyboard.type(TOPIC)
    tab_to(page, "form[action$='/agenda/'] button[type='submit']")
    enter_and_wait(page)
    assert "Topic added to your agenda" in banner(page)
    assert TOPIC in page.locator("#agenda-topics").inner_text()

    # Ask a colleague for feedback.
    tab_to(page, f"a[href='/people/{people['staff']}/feedback/ask/']")
    enter_and_wait(page)
    assert page.locator("h1").inner_text() == "Ask colleagues for feedback about you"
    assert_accessible(page)
    tab_to(page, "#id_colleagues")
    page.keyboard.type(people["colleague"])
    tab_to(page, "input[name='bank'][value='0']")
    page.keyboard.press("Space")
    assert page.locator("input[name='bank'][value='0']").is_checked()
    tab_to(page, "#id_free_1")
    page.keyboard.type("What should I learn next?")
    tab_to(page, "main form button[type='submit']")
    enter_and_wait(page)
    assert "Feedback asked of 1 colleague" in banner(page)
    assert page.locator("h1").inner_text() == "Feedback about you"
    assert "What should I learn next?" in page.locator("main").inner_text()
    assert_accessible(page)

    # The manager finds the topic in the session form and marks it discussed.
    manager = make_page()
    sign_in_by_keyboard(manager, "demo-manager")
    tab_to(manager, f"main a[href='/people/{people['staff']}/sessions/new/']")
    enter_and_wait(manager)
    assert manager.locator("h1").inner_text() == f"Log a session with {people['staff_name']}"
    fieldset = manager.locator("fieldset", has=manager.locator("legend", has_text=TOPIC))
    assert fieldset.count() == 1
    carry = fieldset.locator("input[value='carry']")
    assert carry.is_checked()
    # Tab reaches a radio group at its chosen option; the arrow keys choose another.
    carry.evaluate("e => e.setAttribute('data-topic', '1')")
    tab_to(manager, "input[data-topic='1']")
    manager.keyboard.press("ArrowUp")
    assert fieldset.locator("input[value='discussed']").is_checked()
    assert_accessible(manager)
