"""Query budgets: My goals, team goals and the alignment view cost the same
number of queries whatever the number of goals.

Every signed-in page first costs 8: the session (1), the user (1), the viewer's
employee (1), for the navigation the viewer's services (1) and whether they
manage anyone (1), and the session's save (savepoint, update, release: 3).
"""

from itertools import count

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import GoalLevel, GoalStatus
from organisations.models import KPI
from tests.appraisals.factories import GoalCheckInFactory, GoalFactory, goals_of
from tests.conftest import client_for
from tests.factories import EmployeeFactory

_n = count()


def grow(world, times: int) -> None:
    """More of everything a goals page shows: service and team goals with KPIs,
    objectives for staff, peer and new reports, check-ins and unaligned goals."""
    g = goals_of(world)
    for _ in range(times):
        i = next(_n)
        kpi = KPI.objects.create(organisation=world.org, service=world.service, code=f"K{i}", name=f"KPI {i}")
        service_goal = GoalFactory(
            organisation=world.org, level=GoalLevel.SERVICE, service=world.service, parent=g.priority, kpi=kpi
        )
        team_goal = GoalFactory(
            organisation=world.org, level=GoalLevel.TEAM, service=world.team, parent=service_goal
        )
        report = EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
        for owner in (world.staff, world.peer, report):
            goal = GoalFactory(owner=owner, parent=team_goal, status=GoalStatus.AT_RISK)
            GoalCheckInFactory(goal=goal)
            GoalCheckInFactory(goal=goal)
        GoalFactory(owner=report, status=GoalStatus.DRAFT, parent=team_goal)
        GoalFactory(owner=report)  # supports nothing


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def budget(world, persona: str, url: str) -> tuple[int, int]:
    goals_of(world)
    # An objective supporting someone else's: the chain checks visibility once.
    GoalFactory(owner=world.staff, parent=goals_of(world).peer_goal)
    grow(world, 1)
    client = client_for(world.persona(persona))
    client.get(url)  # warm anything cached per process
    small = queries(client, url)
    grow(world, 12)
    return small, queries(client, url)


def test_my_goals_query_budget(world):
    # 8 per page (above) + the goals with KPI and last check-in (1) + everything
    # they support, with KPIs and owners, in one recursive query (1) + the
    # viewer's reports for the visibility of another person's objective (1).
    small, large = budget(world, "staff", reverse("appraisals:my_goals"))
    assert small == large == 11


def test_team_goals_query_budget(world):
    # 8 per page + the viewer's reports (1) + drafts below (1) + direct reports (1)
    # + their goals (1) + what those support (1).
    small, large = budget(world, "manager", reverse("appraisals:team_goals"))
    assert small == large == 13


def test_alignment_query_budget(world):
    # 8 per page + shared goals (1) + supporter counts by goal and status (1) +
    # unaligned objectives the viewer may see (1) and their number (1); the
    # viewer's reports for that visibility filter are a subquery inside them.
    small, large = budget(world, "manager", reverse("appraisals:alignment"))
    assert small == large == 12
    small_officer = queries(client_for(world.officer), reverse("appraisals:alignment"))
    grow(world, 5)
    assert queries(client_for(world.officer), reverse("appraisals:alignment")) == small_officer
