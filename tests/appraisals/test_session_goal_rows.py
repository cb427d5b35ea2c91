"""The goals on the log-a-session form: the ones to talk about unfolded, the others
folded in a <details>; one fieldset per goal with short labels; and "No change"
of status accepted with a progress figure (the progress is recorded, the status
stays what it was)."""

import re
from datetime import date, timedelta

import pytest

from appraisals.forms.session_rows import GoalUpdateForm
from appraisals.models import FeedbackSession, GoalCheckIn, GoalStatus, SessionState
from appraisals.rules.goal_focus import DUE_SOON_DAYS, reason_to_discuss
from core import clock
from tests.appraisals.session_factories import (
    ActionFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillRequirementFactory,
)
from tests.appraisals.test_session_views import create_url, error_summary_links, form_data


def folds(html: str) -> list[tuple[str, bool]]:
    """(goal title, unfolded) for each goal on the page, in order."""
    return [
        (title, bool(is_open))
        for is_open, title in re.findall(
            r'<details class="govuk-details app-goal-fold"( open)?>\s*<summary[^>]*>\s*'
            r'<span class="govuk-details__summary-text">([^<]*)</span>',
            html,
        )
    ]


# --- "No change" with a progress figure ------------------------------------------------


@pytest.mark.parametrize("status", [GoalStatus.AGREED, GoalStatus.ON_TRACK, GoalStatus.AT_RISK])
def test_no_change_with_progress_records_the_progress_and_keeps_the_status(world, manager_client, status):
    goal = GoalFactory(owner=world.staff, status=status, progress=20)
    data = form_data(**{f"goal-{goal.pk}-progress": "55", f"goal-{goal.pk}-status": "", "save": "share"})
    response = manager_client.post(create_url(world.staff), data)
    assert response.status_code == 302, error_summary_links(response.content.decode())
    check_in = GoalCheckIn.objects.get(goal=goal)
    assert (check_in.progress, check_in.status) == (55, status)
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (55, status)
    assert FeedbackSession.objects.get().state == SessionState.SHARED


def test_no_change_is_named_with_the_status_it_keeps(world):
    goal = GoalFactory(owner=world.staff, status=GoalStatus.AT_RISK)
    form = GoalUpdateForm(goal=goal)
    assert form.fields["status"].choices[0] == ("", "No change (at risk)")
    bound = GoalUpdateForm({f"goal-{goal.pk}-progress": "40", f"goal-{goal.pk}-status": ""}, goal=goal)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["status"] == GoalStatus.AT_RISK and not bound.is_blank


def test_a_blank_goal_row_is_still_skipped(world):
    goal = GoalFactory(owner=world.staff)
    form = GoalUpdateForm({f"goal-{goal.pk}-progress": "", f"goal-{goal.pk}-status": ""}, goal=goal)
    assert form.is_valid() and form.is_blank and form.cleaned_data["status"] == ""


def test_a_chosen_status_still_replaces_the_old_one(world, manager_client):
    goal = GoalFactory(owner=world.staff, status=GoalStatus.ON_TRACK)
    data = form_data(**{f"goal-{goal.pk}-progress": "35", f"goal-{goal.pk}-status": "off_track"})
    assert manager_client.post(create_url(world.staff), data).status_code == 302
    assert GoalCheckIn.objects.get(goal=goal).status == GoalStatus.OFF_TRACK


def test_a_comment_without_progress_asks_for_the_progress_only(world, manager_client):
    goal = GoalFactory(owner=world.staff, due_date=clock.today() + timedelta(days=300))
    data = form_data(**{f"goal-{goal.pk}-comment": "Some progress"})
    html = manager_client.post(create_url(world.staff), data).content.decode()
    assert error_summary_links(html) == [f"id_goal-{goal.pk}-progress"]
    # The goal would be folded, but it holds an error: it is shown, with what was typed.
    assert folds(html) == [(goal.title, True)]
    assert "Some progress" in html
    assert not GoalCheckIn.objects.exists()


# --- which goals are unfolded -----------------------------------------------------------


def test_goals_to_talk_about_come_first_and_unfolded_the_others_folded(world, manager_client):
    today = clock.today()
    far = today + timedelta(days=DUE_SOON_DAYS + 100)
    FeedbackSessionFactory(employee=world.staff, acknowledged=True, held_on=today - timedelta(days=30))
    quiet = GoalFactory(owner=world.staff, title="Quiet", due_date=far - timedelta(days=50))
    at_risk = GoalFactory(owner=world.staff, title="At risk", status=GoalStatus.AT_RISK, due_date=far)
    due_soon = GoalFactory(
        owner=world.staff, title="Due soon", due_date=today + timedelta(days=DUE_SOON_DAYS)
    )
    updated = GoalFactory(owner=world.staff, title="Updated", due_date=far)
    GoalCheckIn.objects.create(goal=updated, date=today - timedelta(days=5), progress=30, status="on_track")
    before = GoalFactory(owner=world.staff, title="Updated before", due_date=far + timedelta(days=1))
    GoalCheckIn.objects.create(goal=before, date=today - timedelta(days=40), progress=30, status="on_track")
    html = manager_client.get(create_url(world.staff)).content.decode()
    assert folds(html) == [
        (due_soon.title, True),
        (at_risk.title, True),
        (updated.title, True),
        (quiet.title, False),
        (before.title, False),
    ]
    assert "On track, 20%, due" in html and "updated since the last session" in html


def test_each_goal_is_one_fieldset_with_short_labels(world, manager_client):
    goal = GoalFactory(owner=world.staff, title="Clear the backlog")
    html = manager_client.get(create_url(world.staff)).content.decode()
    fieldset = re.search(r"<fieldset.*?</fieldset>", html[html.index("app-goal-fold") :], re.S).group(0)
    assert re.search(r'<legend class="govuk-fieldset__legend">.*Clear the backlog.*</legend>', fieldset, re.S)
    labels = re.findall(r'<label[^>]*for="id_goal-\d+-(\w+)"[^>]*>\s*([^<]*?)\s*</label>', fieldset)
    assert labels == [("progress", "Progress (%)"), ("status", "Status"), ("comment", "Comment")]
    assert html.count("Clear the backlog") == 2  # the summary and the legend, no long labels
    assert f'name="goal-{goal.pk}-progress"' in fieldset


def test_what_people_typed_is_escaped_on_the_form(world, manager_client):
    """crispy-forms-gds writes labels, legends and hints unescaped: the forms escape
    goal titles, action descriptions and skill names themselves."""
    GoalFactory(owner=world.staff, title="<b>Goal</b> & brave")
    earlier = FeedbackSessionFactory(employee=world.staff, acknowledged=True)
    ActionFactory(session=earlier, description="<i>Action</i>")
    SkillRequirementFactory(job_role=world.staff.job_role, skill__name="<u>Skill</u>")
    html = manager_client.get(create_url(world.staff)).content.decode()
    for raw in ("<b>Goal</b>", "<i>Action</i>", "<u>Skill</u>"):
        assert raw not in html
    assert "&lt;b&gt;Goal&lt;/b&gt; &amp; brave" in html
    assert "&lt;i&gt;Action&lt;/i&gt;" in html and "&lt;u&gt;Skill&lt;/u&gt;" in html
    assert "&amp;lt;" not in html  # not escaped twice


# --- the rule ---------------------------------------------------------------------------

TODAY = date(2027, 1, 10)
LATER = TODAY + timedelta(days=DUE_SOON_DAYS + 1)


@pytest.mark.parametrize(
    ("status", "due", "check_in", "session", "reason"),
    [
        ("off_track", LATER, None, None, "off track"),
        ("at_risk", LATER, None, None, "at risk"),
        ("on_track", TODAY - timedelta(days=1), None, None, "overdue"),
        ("agreed", TODAY + timedelta(days=DUE_SOON_DAYS), None, None, "due soon"),
        (
            "on_track",
            LATER,
            TODAY - timedelta(days=3),
            TODAY - timedelta(days=20),
            "updated since the last session",
        ),
        ("on_track", LATER, TODAY - timedelta(days=3), None, "updated since the last session"),
        ("on_track", LATER, TODAY - timedelta(days=20), TODAY - timedelta(days=20), ""),
        ("on_track", LATER, None, TODAY - timedelta(days=20), ""),
        ("agreed", LATER, None, None, ""),
    ],
)
def test_reason_to_discuss(status, due, check_in, session, reason):
    assert (
        reason_to_discuss(
            status=status, due_date=due, last_check_in=check_in, last_session=session, today=TODAY
        )
        == reason
    )
