"""The five journeys of the product's main users, in a real browser against the
seeded demo council (tests/e2e/conftest.py), asserting what the user sees.

1. demo-manager logs a full feedback session for demo-staff (goals reviewed, a
   skill rated, two actions), submits it once with an error, fixes it from the
   error summary, and shares it;
2. demo-staff reads a shared session (no private note), acknowledges it with a
   comment and records progress on a goal;
3. demo-officer imports a results file with two bad rows, reads the errors,
   imports the corrected file and sees the scorecard change;
4. a red KPI result and the job's run later, demo-director finds the new flag
   among those for the people they manage (linked from their dashboard), opens
   its evidence and acknowledges it;
5. journey 1 again with the keyboard only, and once with JavaScript off.

Every page the journeys reach is checked with axe-core (tests/e2e/a11y.py).
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, timedelta

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import manage

pytestmark = pytest.mark.e2e

PRIVATE_NOTE = "Private: check how the move to Locata is affecting Harry's caseload"


@pytest.fixture(scope="module")
def demo(server_env, live_url):
    """The demo personas' names and record numbers, read from the seeded database."""
    code = (
        "import json; from organisations.models import Employee; "
        "print(json.dumps({e.user.username: {'pk': e.pk, 'name': e.full_name, 'manager': e.line_manager_id}"
        " for e in Employee.objects.filter(user__username__startswith='demo-').select_related('user')}))"
    )
    return json.loads(manage(server_env, "shell", "-c", code).strip().splitlines()[-1])


def typed(d: date) -> str:
    """A date as the forms' hint writes it: 27 3 2026."""
    return f"{d.day} {d.month} {d.year}"


def month_end(label: str) -> date:
    """'Oct 2026' -> 31 October 2026."""
    month = list(calendar.month_abbr).index(label.split()[0])
    year = int(label.split()[1])
    return date(year, month, calendar.monthrange(year, month)[1])


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").first.inner_text()


# --- Journey 1 and 5: logging a session -----------------------------------------


def unfold(page, selector: str) -> None:
    """Open the folded section (a <details>) holding ``selector``, as a user would."""
    fold = page.locator(f"details:has({selector})").first
    if not fold.evaluate("d => d.open"):
        fold.locator("summary").first.click()


def unfold_by_keyboard(page, selector: str) -> None:
    fold = page.locator(f"details:has({selector})").first
    if not fold.evaluate("d => d.open"):
        fold.locator("summary").first.evaluate("s => s.setAttribute('data-fold', '1')")
        tab_to(page, "summary[data-fold='1']")
        page.keyboard.press("Enter")


def fill_session(page, *, discussion: str, actions: tuple[str, str]) -> None:
    """Everything but the date: goals reviewed, a skill rated, two actions, a private note."""
    page.get_by_label("What you discussed").fill(discussion)
    page.get_by_label("Achievements").fill("Cleared the backlog of housing register reviews.")
    page.get_by_label("Areas to develop").fill("Confidence with Locata case notes.")
    unfold(page, "input[id^='id_goal-'][id$='-progress']")
    progress = page.locator("input[id^='id_goal-'][id$='-progress']").first
    progress.fill("55")
    status = page.locator("select[id^='id_goal-'][id$='-status']").first
    status.select_option("on_track")
    unfold(page, "select[id^='id_skills-']")
    page.locator("select[id^='id_skills-']").first.select_option("2")
    page.locator("#id_new-0-description").fill(actions[0])
    page.locator("#id_new-1-description").fill(actions[1])
    page.get_by_label("Achieving", exact=True).check()
    page.get_by_label("Private note (optional)").fill(PRIVATE_NOTE)


def test_journey_1_manager_logs_a_full_session_fixes_an_error_and_shares_it(make_page, demo, server_today):
    staff = demo["demo-staff"]
    page = make_page("demo-manager")
    assert page.locator("h1").inner_text() != ""  # the team dashboard, their home page
    page.get_by_role("link", name=f"Log a session with {staff['name']}").click()
    assert page.locator("h1").inner_text() == f"Log a session with {staff['name']}"
    assert_accessible(page)

    page.get_by_label("Date held").fill("31 2 2026")  # not a real date
    actions = ("Book the Locata refresher course", "Shadow a duty officer for a day")
    fill_session(page, discussion="Caseload after the Locata go-live", actions=actions)
    page.get_by_role("button", name="Save and share").click()

    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert "The date the session was held must be a real date" in summary.inner_text()
    assert_accessible(page)
    # Nothing typed is lost.
    assert page.get_by_label("What you discussed").input_value() == "Caseload after the Locata go-live"
    assert page.locator("#id_new-1-description").input_value() == actions[1]
    assert page.get_by_label("Private note (optional)").input_value() == PRIVATE_NOTE
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_held_on"
    page.keyboard.press("Control+A")
    page.keyboard.type(typed(server_today - timedelta(days=1)))
    page.get_by_role("button", name="Save and share").click()

    assert f"Session saved and shared with {staff['name']}" in banner(page)
    main = page.locator("main").inner_text()
    assert "Caseload after the Locata go-live" in main
    for action in actions:
        assert action in main
    assert PRIVATE_NOTE in main  # the manager sees their own private note
    assert "Shared, awaiting acknowledgement" in main
    assert_accessible(page)


def tab_to(page, selector: str, *, limit: int = 400) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            outline = target.evaluate(
                "e => { const s = getComputedStyle(e); return s.outlineStyle + ' ' + s.boxShadow }"
            )
            assert outline != "none none", f"{selector} has the focus but shows no focus indicator"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def enter_and_wait(page) -> None:
    """Press Enter on a link or button and wait for the page it loads."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_journey_5a_manager_logs_a_session_with_the_keyboard_only(make_page, demo, server_today):
    staff = demo["demo-staff"]
    page = make_page("demo-manager")
    tab_to(page, f"main a[href='/people/{staff['pk']}/sessions/new/']")
    enter_and_wait(page)
    assert page.locator("h1").inner_text() == f"Log a session with {staff['name']}"

    tab_to(page, "#id_held_on")
    page.keyboard.press("Control+A")
    page.keyboard.type("31 2 2026")
    tab_to(page, "#id_discussion")
    page.keyboard.type("Keyboard-only session: workload and priorities")
    unfold_by_keyboard(page, "input[id^='id_goal-'][id$='-progress']")
    tab_to(page, "input[id^='id_goal-'][id$='-progress']")
    page.keyboard.type("60")
    tab_to(page, "select[id^='id_goal-'][id$='-status']")
    page.keyboard.press("ArrowDown")  # On track
    unfold_by_keyboard(page, "select[id^='id_skills-']")
    tab_to(page, "select[id^='id_skills-']")
    page.keyboard.press("ArrowDown")  # 0 – None
    page.keyboard.press("ArrowDown")  # 1 – Awareness
    tab_to(page, "#id_new-0-description")
    page.keyboard.type("Read the allocations policy")
    tab_to(page, "#id_new-1-description")
    page.keyboard.type("Agree cover for the duty rota")
    tab_to(page, "button[value='share']")
    enter_and_wait(page)

    # The error summary takes the focus; its link takes the keyboard to the field.
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    tab_to(page, ".govuk-error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_held_on"
    page.keyboard.press("Control+A")
    page.keyboard.type(typed(server_today - timedelta(days=2)))
    tab_to(page, "button[value='share']")
    enter_and_wait(page)

    assert f"Session saved and shared with {staff['name']}" in banner(page)
    main = page.locator("main").inner_text()
    assert "Keyboard-only session: workload and priorities" in main
    assert "Read the allocations policy" in main and "Agree cover for the duty rota" in main


def test_journey_5b_manager_logs_a_session_without_javascript(make_page, demo, server_today):
    staff = demo["demo-staff"]
    page = make_page("demo-manager", javascript=False)
    page.get_by_role("link", name=f"Log a session with {staff['name']}").click()
    page.get_by_label("Date held").fill("31 2 2026")
    actions = ("Update the personal housing plans", "Join the Locata user group")
    fill_session(page, discussion="No-JavaScript session", actions=actions)
    # A third action: the form grows without JavaScript, keeping what was typed.
    page.get_by_role("button", name="Add another action").click()
    assert page.get_by_label("What you discussed").input_value() == "No-JavaScript session"
    page.locator("#id_new-3-description").fill("Review the duty rota")
    page.get_by_role("button", name="Save and share").click()
    assert page.title().startswith("Error:")
    page.locator(".govuk-error-summary a[href='#id_held_on']").click()
    page.get_by_label("Date held").fill(typed(server_today - timedelta(days=3)))
    page.get_by_role("button", name="Save and share").click()
    assert f"Session saved and shared with {staff['name']}" in banner(page)
    main = page.locator("main").inner_text()
    for action in (*actions, "Review the duty rota"):
        assert action in main


# --- Journey 2: the employee's side ----------------------------------------------------


@pytest.fixture
def shared_session(server_env, demo) -> int:
    """A session demo-manager shared with demo-staff, with a private note."""
    staff, manager = demo["demo-staff"], demo["demo-manager"]
    code = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from appraisals.models import FeedbackSession; from organisations.models import Employee; "
        f"e = Employee.objects.get(pk={staff['pk']}); "
        "s = FeedbackSession.objects.create(organisation=e.organisation, employee=e, "
        f"manager_id={manager['pk']}, held_on=timezone.localdate() - timedelta(days=4), "
        "kind='supervision', discussion='Supervision: complex cases and the 56-day duty', "
        f"private_note={PRIVATE_NOTE!r}, state='shared', shared_at=timezone.now()); print(s.pk)"
    )
    return int(manage(server_env, "shell", "-c", code).strip().splitlines()[-1])


def test_journey_2_staff_reads_acknowledges_and_records_goal_progress(make_page, shared_session):
    page = make_page("demo-staff")
    # Their home page lists the session waiting for them.
    page.locator(f"main a[href='/sessions/{shared_session}/']").first.click()
    main = page.locator("main").inner_text()
    assert "Supervision: complex cases and the 56-day duty" in main
    assert PRIVATE_NOTE not in page.content()  # the manager's private note is never sent
    assert_accessible(page)

    page.get_by_role("link", name="Acknowledge this session").click()
    assert_accessible(page)
    page.get_by_label("Comment").fill("A fair record; I would like the Locata course soon.")
    page.get_by_role("button", name="Acknowledge").click()
    assert "you have acknowledged this session" in banner(page)
    main = page.locator("main").inner_text()
    assert "A fair record; I would like the Locata course soon." in main
    assert "Acknowledged" in main
    assert page.get_by_role("link", name="Acknowledge this session").count() == 0

    page.get_by_role("link", name="My goals").first.click()
    assert_accessible(page)
    check_in = page.locator("main a[href$='/check-in/']").first
    goal_href = check_in.get_attribute("href").removesuffix("check-in/")
    check_in.click()
    page.get_by_label("Progress (%)").fill("65")
    page.get_by_label("On track").check()
    page.get_by_label("Comment").fill("Plans agreed for 9 of my 14 open cases")
    page.get_by_role("button", name="Save check-in").click()
    assert page.url.endswith(goal_href)
    main = page.locator("main").inner_text()
    assert "65%" in main and "Plans agreed for 9 of my 14 open cases" in main
    assert_accessible(page)


# --- Journey 3: importing results -------------------------------------------------------


def scorecard_row(page, code: str) -> str:
    return page.locator("main tbody tr", has_text=code).first.inner_text()


def test_journey_3_officer_imports_results_fixing_two_bad_rows(make_page):
    page = make_page("demo-officer")
    page.get_by_role("link", name="KPIs", exact=True).first.click()
    page.locator("main a", has_text=re.compile(r"›\s*Housing Options\s+scorecard")).first.click()
    assert_accessible(page)
    before = scorecard_row(page, "HO-01")
    period = re.search(r"\b([A-Z][a-z]{2} \d{4})\b", before).group(1)
    assert "64.0%" not in before

    page.get_by_role("link", name="Import results").first.click()
    assert_accessible(page)
    header = "kpi_code,period_end,value,commentary,corrective_action\n"
    good = f"HO-01,{month_end(period).isoformat()},64.0,Corrected figure after the H-CLIC return,\n"
    bad = (
        header + good + "HO-99,2026-06-30,12,,\n"  # row 3: no such KPI
        f"HO-05,{month_end(period).isoformat()},sixty,,\n"  # row 4: not a number
    )
    upload = page.get_by_label("CSV file of results")
    upload.set_input_files({"name": "results.csv", "mimeType": "text/csv", "buffer": bad.encode()})
    page.get_by_role("button", name="Check and import").click()
    assert page.title().startswith("Error:")
    assert "Nothing was imported" in page.locator(".govuk-error-summary").inner_text()
    problems = page.locator("table", has=page.locator("caption", has_text="Problems in the file"))
    rows = [r.inner_text() for r in problems.locator("tbody tr").all()]
    assert len(rows) == 2, rows
    assert rows[0].startswith("3") and "HO-99" in rows[0]
    assert rows[1].startswith("4") and "sixty" in rows[1]
    assert_accessible(page)

    page.goto(page.url)  # start again with the corrected file
    corrected = header + good
    page.get_by_label("CSV file of results").set_input_files(
        {"name": "results.csv", "mimeType": "text/csv", "buffer": corrected.encode()}
    )
    page.get_by_role("button", name="Check and import").click()
    assert "1" in banner(page)
    page.get_by_role("link", name="KPIs", exact=True).first.click()
    page.locator("main a", has_text=re.compile(r"›\s*Housing Options\s+scorecard")).first.click()
    after = scorecard_row(page, "HO-01")
    assert "64.0%" in after and "Green" in after
    assert after != before


# --- Journey 4: from a red result to an acknowledged flag --------------------------------


def test_journey_4_red_result_flag_reaches_the_director_who_acknowledges_it(make_page, demo):
    officer = make_page("demo-officer")
    officer.get_by_role("link", name="KPIs", exact=True).first.click()
    officer.locator("main a", has_text=re.compile(r"›\s*Housing Options\s+scorecard")).first.click()
    green = officer.locator("main tbody tr", has_text="Green").filter(has_text="Up to date").last
    code = re.match(r"\s*([A-Z]+-\d+)", green.inner_text()).group(1)
    green.get_by_role("link").first.click()
    officer.get_by_role("link", name=re.compile(r"^Correct\s+the .* result$")).first.click()
    lower_is_better = "Lower is better" in officer.locator("main").inner_text()
    target = float(re.search(r"target: ([\d.]+)", officer.locator("main").inner_text()).group(1))
    officer.get_by_label("Value", exact=False).fill(str(round(target * 3 + 10, 1) if lower_is_better else 0))
    officer.get_by_label("Internal commentary").fill("Provisional figure: the service is short-staffed")
    officer.get_by_label("Corrective action").fill("Recovery plan to DMT on Tuesday")
    officer.get_by_role("button", name="Save result").click()
    assert "Red" in officer.locator("main").inner_text()

    # The job: a change starts a recompute; the officer also runs one by hand.
    officer.goto("/runs/")
    assert_accessible(officer)
    # The save's own run may be writing after its response: the page comes back when it can.
    with officer.expect_navigation():
        officer.get_by_role("button", name=re.compile("Run now|Start a run", re.I)).click()
    officer.locator(".govuk-notification-banner").first.wait_for()
    assert officer.locator(".govuk-notification-banner").count() == 1

    director = make_page("demo-director")  # home: the Housing dashboard
    assert_accessible(director)
    # One red period is the KPI owner's to act on: it reaches the director as part of
    # the count of flags for the people they manage, with a link down.
    director.get_by_role("link", name=re.compile(r"flags? for the people you manage to act on")).click()
    assert_accessible(director)
    director.get_by_label("Kind").select_option(label="KPI red")
    with director.expect_navigation():
        director.get_by_role("button", name="Apply filters").click()
    row = director.locator("main tbody tr").filter(has_text=re.compile(rf"{code} .* is red"))
    assert row.count() == 1
    row.get_by_role("link").first.click()
    main = director.locator("main").inner_text()
    assert "Recovery plan to DMT on Tuesday" in main  # the evidence carries the corrective action
    assert "Why this was raised" in main and "is red against its target" in main
    assert_accessible(director)
    director.get_by_role("link", name="Acknowledge").click()
    director.get_by_role("button", name=re.compile("Acknowledge")).click()  # no note: an error
    assert director.title().startswith("Error:")
    assert_accessible(director)
    assert (
        "Enter a note saying what you are doing about this flag"
        in director.locator(".govuk-error-summary").inner_text()
    )
    director.get_by_label("What are you doing about it?").fill("Discussed at DMT: recovery plan agreed")
    director.get_by_role("button", name=re.compile("Acknowledge")).click()
    main = director.locator("main").inner_text()
    assert "Discussed at DMT: recovery plan agreed" in main
    assert "Acknowledged" in main


# --- The risk matrix to the register ---------------------------------------------------


def test_director_goes_from_the_risk_matrix_to_the_risks_in_a_cell(make_page):
    page = make_page("demo-director")
    page.goto("/risks/matrix/")
    assert_accessible(page)
    cell_link = page.locator("main table td a").first
    label = cell_link.inner_text()
    count = int(re.search(r"\d+", label).group(0))
    cell_link.click()
    assert "likelihood=" in page.url and "impact=" in page.url
    assert_accessible(page)
    assert page.locator("main tbody tr").count() == count
