"""Goal services: roll-up, validation, the agreement workflow, bulk assignment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.models import Goal, GoalCheckIn, GoalLevel, GoalStatus
from appraisals.services.goals import (
    goal_agree,
    goal_bulk_assign,
    goal_check_in_record,
    goal_create,
    goal_drop,
    goal_propose,
    goal_update,
    weighted_progress,
)
from tests.appraisals.factories import GoalFactory, goals_of
from tests.factories import EmployeeFactory

START, DUE = date(2026, 4, 1), date(2027, 3, 31)


def reload(goal: Goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


# --- roll-up -----------------------------------------------------------------------


def test_weighted_progress_pure():
    assert weighted_progress([]) is None
    assert weighted_progress([(20, Decimal(1)), (80, Decimal(3))]) == 65
    assert weighted_progress([(33, Decimal(1)), (34, Decimal(1))]) == 34  # 33.5 rounds half to even: 34
    assert weighted_progress([(50, Decimal("0.5"))]) == 50


def test_roll_up_uses_weights(world):
    g = goals_of(world)
    team = g.team_goal
    # Team goal has staff (40), peer (60) and staff's draft (0), all weight 1 so far.
    a = GoalFactory(owner=world.staff, parent=team, progress=0, weight=Decimal("3"))
    goal_check_in_record(goal=a, author=world.staff, progress=100, status=GoalStatus.ON_TRACK)
    # (40*1 + 0*1 + 60*1 + 100*3) / 6 = 66.67 -> 67
    assert reload(team).progress == 67


def test_dropped_children_do_not_count(world):
    g = goals_of(world)
    goal_drop(goal=g.staff_draft, dropped_by=world.manager, reason="Superseded")
    # staff 40 and peer 60 remain
    assert reload(g.team_goal).progress == 50
    goal_drop(goal=Goal.objects.get(pk=g.peer_goal.pk), dropped_by=world.manager, reason="Moved team")
    assert reload(g.team_goal).progress == 40
    drop = GoalCheckIn.objects.get(goal=g.peer_goal)
    assert drop.status == GoalStatus.DROPPED and drop.comment == "Moved team" and drop.author == world.manager


def test_drop_needs_a_reason(world):
    with pytest.raises(ValidationError):
        goal_drop(goal=goals_of(world).staff_goal, dropped_by=world.manager, reason="  ")


def test_roll_up_is_nested_to_the_top(world):
    g = goals_of(world)
    goal_check_in_record(goal=g.staff_goal, author=world.staff, progress=90, status=GoalStatus.ON_TRACK)
    # team: (90 + 0 (draft) + 60) / 3 = 50; service and priority have only one child each
    assert reload(g.team_goal).progress == 50
    assert reload(g.service_goal).progress == 50
    assert reload(g.priority).progress == 50


def test_roll_up_when_a_child_is_created_or_reparented(world):
    g = goals_of(world)
    other_team = GoalFactory(
        organisation=world.org,
        level=GoalLevel.TEAM,
        service=world.other_team,
        parent=g.service_goal,
        progress=0,
    )
    goal = goal_create(
        organisation=world.org,
        created_by=world.manager,
        level=GoalLevel.INDIVIDUAL,
        owner=world.staff,
        parent=other_team,
        title="New",
        start_date=START,
        due_date=DUE,
    )
    goal_check_in_record(goal=goal, author=world.staff, progress=80, status=GoalStatus.ON_TRACK)
    assert reload(other_team).progress == 80
    # Re-parent staff's 40% goal under the other team: both teams are rolled up.
    goal_update(goal=reload(g.staff_goal), updated_by=world.manager, parent=other_team)
    assert reload(other_team).progress == 60  # (80 + 40) / 2
    assert reload(g.team_goal).progress == 30  # draft 0, peer 60
    # And the service goal above both
    assert reload(g.service_goal).progress == 45


def test_roll_up_when_weight_changes(world):
    g = goals_of(world)
    goal_update(goal=reload(g.peer_goal), updated_by=world.manager, weight=Decimal("2"))
    assert reload(g.team_goal).progress == 40  # (40 + 0 + 60*2) / 4


def test_check_in_on_a_parent_keeps_the_rolled_up_progress(world):
    g = goals_of(world)
    goal_check_in_record(goal=g.team_goal, author=world.manager, progress=5, status=GoalStatus.AT_RISK)
    team = reload(g.team_goal)
    assert team.status == GoalStatus.AT_RISK
    assert team.progress == 33  # (40 + 0 + 60) / 3, not the 5 typed
    assert team.check_ins.get().progress == 33


def test_no_check_in_on_a_draft(world):
    with pytest.raises(ValidationError):
        goal_check_in_record(
            goal=goals_of(world).staff_draft, author=world.staff, progress=10, status=GoalStatus.ON_TRACK
        )


# --- validation ------------------------------------------------------------------------


def test_a_loop_is_refused(world):
    g = goals_of(world)
    with pytest.raises(ValidationError) as exc:
        goal_update(goal=reload(g.service_goal), updated_by=world.officer, parent=reload(g.team_goal))
    assert "parent" in exc.value.message_dict
    # Same level: an individual objective under another, then the other under it.
    a = GoalFactory(owner=world.staff)
    b = GoalFactory(owner=world.staff, parent=a)
    with pytest.raises(ValidationError, match="loop"):
        goal_update(goal=reload(a), updated_by=world.manager, parent=b)
    with pytest.raises(ValidationError):
        goal_update(goal=reload(a), updated_by=world.manager, parent=reload(a))


def test_parent_must_be_in_the_same_organisation(world):
    g = goals_of(world)
    with pytest.raises(ValidationError) as exc:
        goal_create(
            organisation=world.org,
            created_by=world.manager,
            level=GoalLevel.INDIVIDUAL,
            owner=world.staff,
            parent=g.other_priority,
            title="Cross",
            start_date=START,
            due_date=DUE,
        )
    assert "same organisation" in str(exc.value.message_dict["parent"])
    with pytest.raises(ValidationError) as exc:
        goal_create(
            organisation=world.org,
            created_by=world.manager,
            level=GoalLevel.INDIVIDUAL,
            owner=world.outsider,
            title="Someone else's",
            start_date=START,
            due_date=DUE,
        )
    assert "owner" in exc.value.message_dict


def test_parent_must_be_at_the_same_or_a_higher_level(world):
    g = goals_of(world)
    with pytest.raises(ValidationError) as exc:
        goal_create(
            organisation=world.org,
            created_by=world.officer,
            level=GoalLevel.SERVICE,
            service=world.service,
            parent=g.team_goal,
            title="Upside down",
            start_date=START,
            due_date=DUE,
        )
    assert "higher level" in str(exc.value.message_dict["parent"])
    with pytest.raises(ValidationError):
        goal_create(
            organisation=world.org,
            created_by=world.officer,
            level=GoalLevel.ORGANISATION,
            parent=g.staff_goal,
            title="Priority under a person",
            start_date=START,
            due_date=DUE,
        )
    # Same level and higher are fine.
    ok = goal_create(
        organisation=world.org,
        created_by=world.officer,
        level=GoalLevel.TEAM,
        service=world.other_team,
        parent=g.priority,
        title="Team straight under the priority",
        start_date=START,
        due_date=DUE,
    )
    assert ok.pk and ok.status == GoalStatus.AGREED and ok.agreed_by == world.officer


def test_due_after_start(world):
    with pytest.raises(ValidationError) as exc:
        goal_propose(owner=world.staff, title="Backwards", start_date=DUE, due_date=START)
    assert "due_date" in exc.value.message_dict


# --- agreement ----------------------------------------------------------------------------


def test_propose_then_agree(world):
    g = goals_of(world)
    goal = goal_propose(
        owner=world.staff, title="Learn Welsh", start_date=START, due_date=DUE, parent=g.team_goal
    )
    assert goal.status == GoalStatus.DRAFT and goal.created_by == world.staff and goal.agreed_by is None
    assert goal.service == world.team and goal.level == GoalLevel.INDIVIDUAL
    with pytest.raises(ValidationError, match="manager"):
        goal_agree(goal=goal, agreed_by=world.staff)
    goal_agree(goal=goal, agreed_by=world.manager)
    goal = reload(goal)
    assert goal.status == GoalStatus.AGREED and goal.agreed_by == world.manager and goal.agreed_at
    assert goal.history.first().history_user == world.manager.user
    with pytest.raises(ValidationError, match="Only a draft"):
        goal_agree(goal=goal, agreed_by=world.manager)


# --- bulk assignment -------------------------------------------------------------------


def test_bulk_assign_creates_one_goal_each_in_bulk(world):
    g = goals_of(world)
    more = [
        EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
        for _ in range(5)
    ]
    owners = [world.staff, world.peer, *more]
    with CaptureQueriesContext(connection) as ctx:
        goals = goal_bulk_assign(
            parent=g.team_goal,
            owners=owners,
            assigned_by=world.manager,
            title="Use the new triage form",
            start_date=START,
            due_date=DUE,
        )
    assert len(goals) == 7
    created = Goal.objects.filter(title="Use the new triage form")
    assert sorted(created.values_list("owner_id", flat=True)) == sorted(o.pk for o in owners)
    assert set(created.values_list("parent_id", flat=True)) == {g.team_goal.pk}
    assert set(created.values_list("status", "agreed_by_id", "level")) == {
        (GoalStatus.AGREED, world.manager.pk, GoalLevel.INDIVIDUAL)
    }
    assert set(created.values_list("service_id", flat=True)) == {world.team.pk}
    # One INSERT for the goals, whatever the number; history rows: one bulk insert
    # for the new goals, and one per goal rolled up above them (team, service, priority).
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len([s for s in inserts if 'INTO "appraisals_goal"' in s]) == 1
    assert len([s for s in inserts if 'INTO "appraisals_historicalgoal"' in s]) == 1 + 3
    assert Goal.history.filter(title="Use the new triage form").count() == 7
    # The parent now counts the new goals (all at 0): (40 + 0 + 60 + 7*0) / 10
    assert reload(g.team_goal).progress == 10


def test_bulk_assign_queries_do_not_grow_with_people(world):
    g = goals_of(world)

    def queries_for(n: int) -> int:
        people = [
            EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
            for _ in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            goal_bulk_assign(
                parent=reload(g.team_goal),
                owners=people,
                assigned_by=world.manager,
                title=f"For {n}",
                start_date=START,
                due_date=DUE,
            )
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(12)


def test_bulk_assign_rejects_people_not_below_the_assigner(world):
    g = goals_of(world)
    with pytest.raises(ValidationError) as exc:
        goal_bulk_assign(
            parent=g.team_goal,
            owners=[world.staff, world.interim],  # interim reports to the service head
            assigned_by=world.manager,
            title="Nope",
            start_date=START,
            due_date=DUE,
        )
    assert "Ira Interim" in str(exc.value.message_dict["people"])
    assert not Goal.objects.filter(title="Nope").exists()
    with pytest.raises(ValidationError):
        goal_bulk_assign(
            parent=g.staff_goal,
            owners=[world.staff],
            assigned_by=world.manager,
            title="x",
            start_date=START,
            due_date=DUE,
        )
    with pytest.raises(ValidationError):
        goal_bulk_assign(
            parent=g.team_goal,
            owners=[],
            assigned_by=world.manager,
            title="x",
            start_date=START,
            due_date=DUE,
        )


def test_bulk_assign_validates_every_goal(world):
    g = goals_of(world)
    with pytest.raises(ValidationError) as exc:
        goal_bulk_assign(
            parent=g.team_goal,
            owners=[world.staff, world.peer],
            assigned_by=world.manager,
            title="Backwards",
            start_date=DUE,
            due_date=START,
        )
    assert "due_date" in exc.value.message_dict


def test_writes_ask_for_a_recompute(world, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "appraisals.services.goals.request_recompute", lambda org, **touched: calls.append((org, touched))
    )
    g = goals_of(world)
    goal_check_in_record(goal=g.staff_goal, author=world.staff, progress=50, status=GoalStatus.AT_RISK)
    goal_agree(goal=g.staff_draft, agreed_by=world.manager)
    # Each names what it touched: the goal (and those it rolls up into) and its owner.
    assert [org for org, _ in calls] == [world.org.pk, world.org.pk]
    assert g.staff_goal.pk in calls[0][1]["goals"] and calls[0][1]["employees"] == [world.staff.pk]
    assert calls[1][1] == {"goals": [g.staff_draft.pk], "employees": [g.staff_draft.owner_id]}
