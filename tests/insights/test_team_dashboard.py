"""The team dashboard: each direct report's figures, on a hand-built team."""

from datetime import timedelta

import pytest
from django.urls import reverse

from appraisals.models import SessionState
from core import clock
from insights.models import SkillGap
from insights.selectors.team import team_rows
from organisations.access import Viewer
from tests.appraisals.session_factories import (
    ActionFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillFactory,
)
from tests.conftest import client_for
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date


def gap(world, employee, name, size):
    return SkillGap.objects.create(
        organisation=world.org,
        service=employee.service,
        employee=employee,
        skill=SkillFactory(organisation=world.org, name=name),
        required_level=3,
        current_level=3 - size,
        gap=size,
        computed_at=clock.now(),
    )


def test_team_rows(world):
    today = clock.today()
    staff_session = FeedbackSessionFactory(
        employee=world.staff, held_on=today - timedelta(days=40), state=SessionState.SHARED
    )
    ActionFactory(session=staff_session)
    ActionFactory(session=staff_session, done_on=today)
    carried = ActionFactory(session=staff_session)
    ActionFactory(
        session=FeedbackSessionFactory(employee=world.staff, held_on=today - timedelta(days=45)),
        carried_over_from=None,
    )
    # carried into a later session: counted once (the copy), not twice
    later = FeedbackSessionFactory(employee=world.staff, held_on=today - timedelta(days=40))
    ActionFactory(session=later, carried_over_from=carried, description=carried.description)
    FeedbackSessionFactory(employee=world.peer, held_on=today - timedelta(days=3))
    GoalFactory(owner=world.staff, status="on_track")
    GoalFactory(owner=world.staff, status="at_risk")
    GoalFactory(owner=world.staff, status="off_track")
    GoalFactory(owner=world.staff, status="achieved")
    gap(world, world.staff, "Digital case recording", 2)
    gap(world, world.staff, "Court skills", 1)
    gap(world, world.peer, "Met already", 0)
    gone = EmployeeFactory(
        organisation=world.org, service=world.team, line_manager=world.manager, active=False
    )

    rows = {r.employee.pk: r for r in team_rows(Viewer(world.manager), today=today)}
    assert set(rows) == {world.staff.pk, world.peer.pk}  # direct reports, active only
    assert gone.pk not in rows
    staff, peer = rows[world.staff.pk], rows[world.peer.pk]
    assert staff.cadence.last_session == today - timedelta(days=40)
    assert staff.cadence.days_overdue == 12 and staff.cadence.overdue
    assert not peer.cadence.overdue
    assert (staff.goals_on_track, staff.goals_at_risk) == (1, 2)
    assert staff.gaps == ["Digital case recording", "Court skills"] and staff.gap_count == 2
    assert peer.gaps == []
    assert staff.open_actions == 3  # one open, one from the other session, one carried copy


def test_team_dashboard_page(world, manager_client):
    today = clock.today()
    FeedbackSessionFactory(
        employee=world.staff, held_on=today - timedelta(days=40), state=SessionState.SHARED
    )
    FeedbackSessionFactory(employee=world.peer, held_on=today - timedelta(days=2), manager=world.manager)
    html = manager_client.get(reverse("insights:team_dashboard")).content.decode()
    assert "My team" in html and "Sol Staff" in html and "Pat Peer" in html
    assert "Overdue 12 days" in html
    assert "1 of 2 direct reports" in html and "50%" in html
    assert reverse("appraisals:session_create", args=[world.staff.pk]) in html
    assert "Drafts to finish and share" in html  # the peer's draft
    assert "PRIVATE-NOTE" not in html


def test_team_dashboard_is_for_managers(world):
    assert client_for(world.staff).get(reverse("insights:team_dashboard")).status_code == 403
    assert client_for(world.officer).get(reverse("insights:team_dashboard")).status_code == 403
    # the head's direct report is the service head
    html = client_for(world.head).get(reverse("insights:team_dashboard")).content.decode()
    assert "Sam Service" in html and "Sol Staff" not in html


def test_my_team_is_in_the_navigation_for_managers_only(world):
    assert 'href="/team/"' in client_for(world.manager).get("/", follow=True).content.decode()
    assert 'href="/team/"' not in client_for(world.staff).get("/", follow=True).content.decode()
