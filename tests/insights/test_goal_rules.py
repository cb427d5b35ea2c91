"""goal_at_risk and goal_overdue: the pure rules on hand-built cases, then
``candidates`` on a small database (one flag per line manager for their people's
objectives, one per goal for team, service and organisation goals) and through a
whole recompute run."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import GoalLevel, GoalStatus
from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
from insights.rules import goals as rules
from insights.rules import thresholds as t
from insights.services.flag_owners import Owners
from insights.services.recompute import STEPS, RunContext, run_recompute
from tests.appraisals.factories import GoalFactory
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

TODAY = date(2026, 12, 1)
START = date(2026, 4, 1)
SOON = TODAY + timedelta(days=10)  # 244 of 254 days gone: 96% expected


def at_risk(status=GoalStatus.OFF_TRACK, progress=40, start=START, due=SOON):
    return rules.goal_at_risk(status=status, progress=progress, start=start, due=due, today=TODAY)


def days_ago(n):
    return TODAY - timedelta(days=n)


def days_ahead(n):
    return TODAY + timedelta(days=n)


# --- pure rules ------------------------------------------------------------------------


def test_the_thresholds():
    assert t.GOAL_AT_RISK_DUE_WITHIN_DAYS == 30 and t.GOAL_AT_RISK_BEHIND_POINTS == 25
    assert t.GOAL_OVERDUE_GRACE_DAYS == 14 and t.GOAL_OVERDUE_HIGH_DAYS == 30


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


def test_due_soon_off_track_and_well_behind_is_at_risk_and_high():
    result = at_risk(progress=40)
    assert result and result.severity == FlagSeverity.HIGH
    assert result.expected == 96 and result.behind == 56 and result.days_left == 10
    assert result.reasons == ("marked off track", "56 points behind with 10 days to go")


@pytest.mark.parametrize("status", [GoalStatus.AGREED, GoalStatus.ON_TRACK, GoalStatus.AT_RISK])
def test_well_behind_but_not_marked_off_track_is_no_flag(status):
    assert at_risk(status=status, progress=0) is None  # 96 points behind, due in 10 days


def test_off_track_but_not_well_behind_is_no_flag():
    assert at_risk(progress=95) is None  # one point behind, due in 10 days
    assert at_risk(progress=90, due=days_ahead(200)) is None  # far off


def test_behind_by_exactly_the_threshold_is_not_at_risk():
    expected = rules.expected_progress(start=START, due=SOON, today=TODAY)
    assert expected == 96
    assert at_risk(progress=expected - 25) is None  # 25 points behind: not more than 25
    result = at_risk(progress=expected - 26)
    assert result and result.behind == 26 and result.severity == FlagSeverity.HIGH


def test_window_edge():
    assert at_risk(progress=0, due=days_ahead(30)).days_left == 30  # due in 30 days: in the window
    assert at_risk(progress=0, due=days_ahead(31)) is None  # far off, however behind
    assert at_risk(progress=0, due=TODAY).days_left == 0  # due today: not yet overdue


@pytest.mark.parametrize(
    "status",
    [GoalStatus.ACHIEVED, GoalStatus.DROPPED, GoalStatus.DRAFT],
)
def test_finished_or_draft_goals_are_not_at_risk(status):
    assert at_risk(status=status, progress=0) is None


def test_overdue_goal_is_not_also_at_risk():
    assert at_risk(progress=0, due=days_ago(1)) is None


@pytest.mark.parametrize(
    "status,days_past,expected",
    [
        (GoalStatus.ON_TRACK, 1, None),  # a day late: closed at the next check-in
        (GoalStatus.OFF_TRACK, 14, None),  # the last day of grace
        (GoalStatus.ON_TRACK, 15, FlagSeverity.MEDIUM),
        (GoalStatus.AT_RISK, 29, FlagSeverity.MEDIUM),
        (GoalStatus.OFF_TRACK, 30, FlagSeverity.HIGH),
        (GoalStatus.AGREED, 200, FlagSeverity.HIGH),
        (GoalStatus.DRAFT, 14, None),
        (GoalStatus.DRAFT, 15, FlagSeverity.MEDIUM),  # a proposal left past its date
        (GoalStatus.ON_TRACK, 0, None),  # due today
        (GoalStatus.ON_TRACK, -5, None),
        (GoalStatus.ACHIEVED, 60, None),
        (GoalStatus.DROPPED, 60, None),
    ],
)
def test_goal_overdue(status, days_past, expected):
    assert rules.goal_overdue(status=status, due=days_ago(days_past), today=TODAY) == expected


# --- candidates ------------------------------------------------------------------------


def ctx_for(org, today=TODAY):
    return RunContext(organisation=org, today=today, now=clock.now())


def goal_url(goal):
    return reverse("appraisals:goal_detail", args=[goal.pk])


def test_candidates_on_a_small_database(world):
    # Mo Manager's reports: Sol's objective at risk (high), Pat's overdue (medium).
    behind = GoalFactory(
        owner=world.staff, status=GoalStatus.OFF_TRACK, progress=10, due_date=days_ahead(7), title="Behind"
    )
    late = GoalFactory(owner=world.peer, progress=80, due_date=days_ago(20), title="Late")
    # Sam Service's report: only at risk.
    slipping = GoalFactory(
        owner=world.interim,
        status=GoalStatus.OFF_TRACK,
        progress=5,
        due_date=days_ahead(20),
        title="Slipping",
    )
    # Goals above the individual: one flag per goal.
    team_goal = GoalFactory(
        organisation=world.org,
        level=GoalLevel.TEAM,
        service=world.team,
        status=GoalStatus.OFF_TRACK,
        progress=10,
        due_date=days_ahead(20),
        title="Team off track",
    )
    service_goal = GoalFactory(
        organisation=world.org,
        level=GoalLevel.SERVICE,
        service=world.service,
        due_date=days_ago(30),
        title="Service late",
    )
    # None of these is a flag.
    GoalFactory(owner=world.staff, progress=10, due_date=days_ahead(7), title="Behind, not marked off track")
    GoalFactory(owner=world.staff, status=GoalStatus.OFF_TRACK, progress=0, due_date=days_ahead(31))
    GoalFactory(owner=world.peer, due_date=days_ago(14), title="Within the grace")
    GoalFactory(owner=world.staff, progress=95, due_date=days_ahead(7), title="Fine")
    GoalFactory(owner=world.staff, status=GoalStatus.ACHIEVED, due_date=days_ago(40))
    GoalFactory(owner=world.outsider, due_date=days_ago(40), title="Other organisation")
    gone = EmployeeFactory(
        organisation=world.org, service=world.team, line_manager=world.manager, active=False
    )
    GoalFactory(owner=gone, due_date=days_ago(40), title="Left")

    ctx = ctx_for(world.org)
    Owners.of(ctx)  # the run loads the people and services once, for every step
    with CaptureQueriesContext(connection) as queries:
        found = {c.stable_key: c for c in rules.candidates(ctx)}
    assert len(queries.captured_queries) == 1
    manager_key = f"goal_overdue:team:{world.manager.pk}"
    service_head_key = f"goal_at_risk:team:{world.service_head.pk}"
    assert set(found) == {
        manager_key,
        service_head_key,
        f"goal_at_risk:goal:{team_goal.pk}",
        f"goal_overdue:goal:{service_goal.pk}",
    }

    # One flag for the manager: overdue ones make it goal_overdue, the severity is
    # the highest of its objectives' (the one at risk is high), and it is theirs.
    c = found[manager_key]
    assert (c.kind, c.severity) == (FlagKind.GOAL_OVERDUE, FlagSeverity.HIGH)
    assert (c.subject_type, c.subject_id, c.employee_id) == (SubjectType.EMPLOYEE, world.manager.pk, None)
    assert (c.owner_id, c.service_id) == (world.manager.pk, world.team.pk)
    assert c.stable_key == manager_key
    assert c.title == "Mo Manager's reports: 1 objective overdue, 1 objective at risk (Pat Peer, Sol Staff)"
    assert c.evidence["people"] == ["Pat Peer", "Sol Staff"]
    sol, pat = c.evidence["objectives"]
    assert (sol["goal"], sol["owner"], sol["status"]) == ("Behind", "Sol Staff", "Off track")
    assert (sol["expected_progress"], sol["points_behind"], sol["days_left"]) == (97, 87, 7)
    assert (pat["goal"], pat["owner"], pat["days_overdue"]) == ("Late", "Pat Peer", 20)
    assert pat["due_date"] == days_ago(20).isoformat() and "url" not in pat
    assert c.evidence["links"] == [
        {"label": "Sol Staff: Behind", "url": goal_url(behind)},
        {"label": "Pat Peer: Late", "url": goal_url(late)},
    ]
    assert c.rule == rules.TEAM_RULE + rules.OVERDUE_RULE and "14 days" in c.rule

    # Another manager, only at risk: goal_at_risk.
    c = found[service_head_key]
    assert (c.kind, c.severity, c.owner_id) == (
        FlagKind.GOAL_AT_RISK,
        FlagSeverity.HIGH,
        world.service_head.pk,
    )
    assert (c.subject_id, c.employee_id, c.service_id) == (world.service_head.pk, None, world.service.pk)
    assert c.title == "Sam Service's reports: 1 objective at risk (Ira Interim)"
    assert c.evidence["links"] == [{"label": "Ira Interim: Slipping", "url": goal_url(slipping)}]
    assert c.rule == rules.TEAM_RULE + rules.AT_RISK_RULE and "30 days" in c.rule

    # A team goal: its own flag, about the goal, in its service, no one named yet.
    c = found[f"goal_at_risk:goal:{team_goal.pk}"]
    assert (c.kind, c.severity, c.subject_type) == (
        FlagKind.GOAL_AT_RISK,
        FlagSeverity.HIGH,
        SubjectType.GOAL,
    )
    assert (c.subject_id, c.employee_id, c.service_id, c.owner_id) == (
        team_goal.pk,
        None,
        world.team.pk,
        None,
    )
    assert (
        c.title == "Team goal at risk (marked off track; 82 points behind with 20 days to go): Team off track"
    )
    assert c.evidence["links"] == [{"label": "The goal", "url": goal_url(team_goal)}]

    c = found[f"goal_overdue:goal:{service_goal.pk}"]
    assert (c.kind, c.severity, c.subject_type) == (
        FlagKind.GOAL_OVERDUE,
        FlagSeverity.HIGH,
        SubjectType.GOAL,
    )
    assert (c.employee_id, c.service_id) == (None, world.service.pk)
    assert c.title == "Service goal overdue by 30 days: Service late" and c.evidence["days_overdue"] == 30


def test_a_managers_flag_is_as_severe_as_its_worst_objective(world):
    GoalFactory(owner=world.staff, due_date=days_ago(15), title="Just past the grace")
    GoalFactory(owner=world.peer, due_date=days_ago(29), title="Nearly a month")
    (c,) = rules.candidates(ctx_for(world.org))
    assert (c.kind, c.severity, c.owner_id) == (FlagKind.GOAL_OVERDUE, FlagSeverity.MEDIUM, world.manager.pk)
    assert c.title == "Mo Manager's reports: 2 objectives overdue (Pat Peer, Sol Staff)"
    GoalFactory(owner=world.peer, due_date=days_ago(30), title="A month")
    (c,) = rules.candidates(ctx_for(world.org))
    assert c.severity == FlagSeverity.HIGH and len(c.evidence["objectives"]) == 3


def test_an_objective_goes_to_the_head_of_service_when_the_line_manager_has_left(world):
    world.manager.active = False
    world.manager.save()
    GoalFactory(owner=world.staff, due_date=days_ago(20))
    (c,) = rules.candidates(ctx_for(world.org))
    # Sol's service is the Options Team, headed by the manager who left: the head of
    # Housing Options above it acts.
    assert (
        c.stable_key == f"goal_overdue:team:{world.service_head.pk}" and c.owner_id == world.service_head.pk
    )


def test_candidates_query_count_does_not_grow(world):
    def run() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            found = rules.candidates(ctx_for(world.org))
        return len(ctx.captured_queries), len(found)

    GoalFactory(owner=world.staff, due_date=days_ago(20))
    small, flags = run()
    assert flags == 1
    for i in range(20):
        person = EmployeeFactory(
            organisation=world.org,
            service=world.team,
            line_manager=world.manager if i % 2 else world.service_head,
        )
        GoalFactory(owner=person, due_date=days_ago(20))
        GoalFactory(owner=person, status=GoalStatus.OFF_TRACK, progress=0, due_date=days_ahead(10))
        GoalFactory(
            organisation=world.org, level=GoalLevel.SERVICE, service=world.service, due_date=days_ago(20)
        )
    large, flags = run()
    # The goals; the people and the services (the line managers, loaded once).
    assert large == small == 3
    assert flags == 2 + 20  # one per manager, one per service goal


def test_registered_and_flags_follow_the_objectives(world):
    assert rules.candidates in STEPS
    goal = GoalFactory(owner=world.staff, status=GoalStatus.OFF_TRACK, progress=10, due_date=days_ahead(7))
    run_recompute(world.org, today=TODAY)
    flag = Flag.objects.get(kind=FlagKind.GOAL_AT_RISK)
    assert flag.key == f"goal_at_risk:team:{world.manager.pk}" and flag.resolved_at is None
    assert (flag.subject_type, flag.subject_id, flag.employee_id) == (
        SubjectType.EMPLOYEE,
        world.manager.pk,
        None,
    )
    assert (flag.owner, flag.service, flag.severity) == (world.manager, world.team, FlagSeverity.HIGH)
    # A second report's objective joins the same flag.
    other = GoalFactory(owner=world.peer, status=GoalStatus.OFF_TRACK, progress=0, due_date=days_ahead(9))
    run_recompute(world.org, today=TODAY)
    flag.refresh_from_db()
    assert Flag.objects.filter(kind=FlagKind.GOAL_AT_RISK).count() == 1
    assert [o["goal"] for o in flag.evidence["objectives"]] == [goal.title, other.title]
    # Both achieved: the flag resolves.
    for g in (goal, other):
        g.status, g.progress = GoalStatus.ACHIEVED, 100
        g.save()
    run_recompute(world.org, today=TODAY)
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    # Back on track but past its date: no flag within the 14 days' grace...
    goal.status = GoalStatus.ON_TRACK
    goal.save()
    due = goal.due_date
    run_recompute(world.org, today=due + timedelta(days=14))
    assert not Flag.objects.filter(kind=FlagKind.GOAL_OVERDUE).exists()
    # ...overdue after it (medium), high from 30 days.
    run_recompute(world.org, today=due + timedelta(days=15))
    overdue = Flag.objects.get(kind=FlagKind.GOAL_OVERDUE, resolved_at=None)
    assert overdue.key == f"goal_overdue:team:{world.manager.pk}" and overdue.owner == world.manager
    assert overdue.severity == FlagSeverity.MEDIUM
    assert [o["goal"] for o in overdue.evidence["objectives"]] == [goal.title]
    run_recompute(world.org, today=due + timedelta(days=30))
    overdue.refresh_from_db()
    assert overdue.severity == FlagSeverity.HIGH and overdue.resolved_at is None
