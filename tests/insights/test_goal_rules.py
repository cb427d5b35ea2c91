"""goal_at_risk and goal_overdue: the pure rules on hand-built cases, then
``candidates`` on a small database and through a whole recompute run."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import GoalLevel, GoalStatus
from core import clock
from insights.models import Flag, FlagKind, FlagSeverity
from insights.rules import goals as rules
from insights.rules.thresholds import GOAL_AT_RISK_BEHIND_POINTS, GOAL_AT_RISK_DUE_WITHIN_DAYS
from insights.services.recompute import STEPS, RunContext, run_recompute
from tests.appraisals.factories import GoalFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

TODAY = date(2026, 12, 1)
START = date(2026, 4, 1)


def at_risk(status=GoalStatus.ON_TRACK, progress=50, start=START, due=TODAY + timedelta(days=10)):
    return rules.goal_at_risk(status=status, progress=progress, start=start, due=due, today=TODAY)


# --- pure rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,due,expected",
    [
        (date(2026, 1, 1), date(2026, 12, 31), 92),  # 334 of 364 days
        (TODAY, TODAY + timedelta(days=10), 0),
        (date(2027, 1, 1), date(2027, 6, 1), 0),  # not started yet
        (date(2026, 1, 1), date(2026, 6, 1), 100),  # past due
        (TODAY, TODAY, 100),  # no span
    ],
)
def test_expected_progress(start, due, expected):
    assert rules.expected_progress(start=start, due=due, today=TODAY) == expected


def test_due_soon_and_well_behind_is_at_risk():
    # 244 of 254 days gone: 96% expected.
    result = at_risk(progress=40)
    assert result and result.severity == FlagSeverity.MEDIUM
    assert result.expected == 96 and result.behind == 56 and result.days_left == 10
    assert result.reasons == ("56 points behind with 10 days to go",)


def test_behind_by_exactly_the_threshold_is_not_at_risk():
    expected = rules.expected_progress(start=START, due=TODAY + timedelta(days=10), today=TODAY)
    assert at_risk(progress=expected - GOAL_AT_RISK_BEHIND_POINTS) is None
    assert at_risk(progress=expected - GOAL_AT_RISK_BEHIND_POINTS - 1) is not None


def test_window_edge():
    due_at_edge = TODAY + timedelta(days=GOAL_AT_RISK_DUE_WITHIN_DAYS)
    assert at_risk(progress=0, due=due_at_edge) is not None
    assert at_risk(progress=0, due=due_at_edge + timedelta(days=1)) is None  # far off, however behind
    assert at_risk(progress=0, due=TODAY) is not None  # due today: not yet overdue


def test_off_track_is_at_risk_whenever_due():
    far = at_risk(status=GoalStatus.OFF_TRACK, progress=90, due=TODAY + timedelta(days=200))
    assert far and far.severity == FlagSeverity.MEDIUM and far.reasons == ("marked off track",)
    soon = at_risk(status=GoalStatus.OFF_TRACK, progress=95, due=TODAY + timedelta(days=5))
    assert soon and soon.severity == FlagSeverity.HIGH
    both = at_risk(status=GoalStatus.OFF_TRACK, progress=10)
    assert both.severity == FlagSeverity.HIGH and len(both.reasons) == 2


@pytest.mark.parametrize(
    "status",
    [GoalStatus.ACHIEVED, GoalStatus.DROPPED, GoalStatus.DRAFT],
)
def test_finished_or_draft_goals_are_not_at_risk(status):
    assert at_risk(status=status, progress=0) is None


def test_on_track_near_due_and_on_time_is_fine():
    assert at_risk(progress=95) is None
    assert at_risk(status=GoalStatus.AT_RISK, progress=95) is None  # self-reported only: no flag


def test_overdue_goal_is_not_also_at_risk():
    assert at_risk(status=GoalStatus.OFF_TRACK, progress=0, due=TODAY - timedelta(days=1)) is None


@pytest.mark.parametrize(
    "status,days_past,expected",
    [
        (GoalStatus.ON_TRACK, 1, FlagSeverity.MEDIUM),
        (GoalStatus.AT_RISK, 29, FlagSeverity.MEDIUM),
        (GoalStatus.OFF_TRACK, 30, FlagSeverity.HIGH),
        (GoalStatus.AGREED, 200, FlagSeverity.HIGH),
        (GoalStatus.DRAFT, 3, FlagSeverity.MEDIUM),  # a proposal left past its date
        (GoalStatus.ON_TRACK, 0, None),  # due today
        (GoalStatus.ON_TRACK, -5, None),
        (GoalStatus.ACHIEVED, 60, None),
        (GoalStatus.DROPPED, 60, None),
    ],
)
def test_goal_overdue(status, days_past, expected):
    assert rules.goal_overdue(status=status, due=TODAY - timedelta(days=days_past), today=TODAY) == expected


# --- candidates ------------------------------------------------------------------------


def ctx_for(org, today=TODAY):
    return RunContext(organisation=org, today=today, now=clock.now())


def test_candidates_on_a_small_database(world):
    behind = GoalFactory(owner=world.staff, progress=10, due_date=TODAY + timedelta(days=7), title="Behind")
    overdue = GoalFactory(owner=world.peer, progress=80, due_date=TODAY - timedelta(days=40), title="Late")
    off_track_team = GoalFactory(
        organisation=world.org,
        level=GoalLevel.TEAM,
        service=world.team,
        status=GoalStatus.OFF_TRACK,
        title="Team off track",
    )
    GoalFactory(owner=world.staff, progress=95, due_date=TODAY + timedelta(days=7), title="Fine")
    GoalFactory(owner=world.staff, status=GoalStatus.ACHIEVED, due_date=TODAY - timedelta(days=3))
    GoalFactory(owner=world.outsider, due_date=TODAY - timedelta(days=3), title="Other organisation")
    gone = GoalFactory(owner=world.interim, due_date=TODAY - timedelta(days=3), title="Left")
    gone.owner.active = False
    gone.owner.save()

    with CaptureQueriesContext(connection) as ctx:
        found = {c.subject_id: c for c in rules.candidates(ctx_for(world.org))}
    assert len(ctx.captured_queries) == 1
    assert set(found) == {behind.pk, overdue.pk, off_track_team.pk}

    c = found[behind.pk]
    assert (c.kind, c.severity, c.subject_type) == (FlagKind.GOAL_AT_RISK, FlagSeverity.MEDIUM, "goal")
    assert (c.employee_id, c.service_id) == (world.staff.pk, world.team.pk)
    assert c.title == "Sol Staff's objective at risk (87 points behind with 7 days to go): Behind"
    assert c.evidence["due_date"] == (TODAY + timedelta(days=7)).isoformat()
    assert c.evidence["progress"] == 10 and c.evidence["expected_progress"] == 97
    assert {"label": "The goal", "url": reverse("appraisals:goal_detail", args=[behind.pk])} in c.evidence[
        "links"
    ]
    assert {
        "label": "Sol Staff",
        "url": reverse("organisations:person_detail", args=[world.staff.pk]),
    } in c.evidence["links"]
    assert "30 days" in c.rule

    c = found[overdue.pk]
    assert (c.kind, c.severity, c.employee_id) == (FlagKind.GOAL_OVERDUE, FlagSeverity.HIGH, world.peer.pk)
    assert c.evidence["days_overdue"] == 40 and c.title.startswith("Pat Peer's objective overdue by 40 days")

    c = found[off_track_team.pk]
    assert (c.kind, c.employee_id, c.service_id) == (FlagKind.GOAL_AT_RISK, None, world.team.pk)
    assert c.title.startswith("Team goal at risk (marked off track)")


def test_candidates_query_count_does_not_grow(world):
    def run() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rules.candidates(ctx_for(world.org))
        return len(ctx.captured_queries)

    GoalFactory(owner=world.staff, due_date=TODAY - timedelta(days=3))
    small = run()
    for _ in range(20):
        GoalFactory(owner=world.peer, due_date=TODAY - timedelta(days=3))
        GoalFactory(owner=world.staff, status=GoalStatus.OFF_TRACK)
    assert run() == small == 1


def test_registered_and_flags_follow_the_goal(world):
    assert rules.candidates in STEPS
    goal = GoalFactory(owner=world.staff, progress=10, due_date=TODAY + timedelta(days=7))
    run_recompute(world.org, today=TODAY)
    flag = Flag.objects.get(kind=FlagKind.GOAL_AT_RISK)
    assert flag.employee == world.staff and flag.subject_id == goal.pk and flag.resolved_at is None
    # Achieved: the flag resolves; a second run changes nothing.
    goal.status, goal.progress = GoalStatus.ACHIEVED, 100
    goal.save()
    run_recompute(world.org, today=TODAY)
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    # Past its date without being achieved: overdue instead.
    goal.status = GoalStatus.ON_TRACK
    goal.save()
    run_recompute(world.org, today=TODAY + timedelta(days=8))
    assert Flag.objects.get(kind=FlagKind.GOAL_OVERDUE, resolved_at=None).subject_id == goal.pk
