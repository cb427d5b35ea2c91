"""Query budgets: the same number of queries whatever the amount of data."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import SessionState, SkillRating
from core import clock
from insights.models import SkillGap
from tests.appraisals.session_factories import (
    ActionFactory,
    AppraisalCycleFactory,
    FeedbackSessionFactory,
    GoalFactory,
    SkillRequirementFactory,
)
from tests.conftest import client_for
from tests.factories import EmployeeFactory


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_history(world, employee, n_sessions: int, n_goals: int, n_skills: int) -> None:
    """Sessions with open actions, open goals and rated role requirements."""
    for i in range(n_sessions):
        s = FeedbackSessionFactory(
            employee=employee,
            manager=world.manager,
            state=SessionState.ACKNOWLEDGED,
            held_on=date(2026, 1, 1) + timedelta(days=14 * i),
        )
        ActionFactory(session=s, owner=employee)
        ActionFactory(session=s, owner=world.manager)
    for _ in range(n_goals):
        GoalFactory(owner=employee)
    for _ in range(n_skills):
        req = SkillRequirementFactory(job_role=employee.job_role)
        SkillRating.objects.create(
            employee=employee, skill=req.skill, level=1, source="self", rated_on=date(2026, 1, 1)
        )


def test_session_form_query_budget(world):
    """GET /people/<pk>/sessions/new/ — 15 queries at any size:
    1-3 session, user, the viewer's employee; 4 the employee (role, line manager,
    service); 5 report ids (recursive) for the access check; 6 open actions (with
    their sessions and owners); 7 open goals; 8 the agenda's topics (with who
    added them); 9 role requirements (with skills); 10 latest ratings; 11-12
    navigation: services (roles), has direct reports; 13-15 saving the Django
    session (savepoint, update, release)."""
    client = client_for(world.manager)
    add_history(world, world.staff, n_sessions=1, n_goals=1, n_skills=1)
    small = count_queries(client, reverse("appraisals:session_create", args=[world.staff.pk]))
    add_history(world, world.staff, n_sessions=8, n_goals=6, n_skills=7)
    large = count_queries(client, reverse("appraisals:session_create", args=[world.staff.pk]))
    assert small == large == 15


def test_session_history_query_budget(world):
    """GET /people/<pk>/sessions/ — 15 queries at 2 and at 40 sessions:
    1-3 session, user, viewer; 4 the employee (with their line manager); 5-6 the
    page's count and rows (with who held them); 7-8 cadence (the employee, their
    last session); 9 report ids (may they log a session); 10 the agenda's topics;
    11-12 navigation; 13-15 saving the Django session."""
    client = client_for(world.service_head)
    add_history(world, world.staff, n_sessions=2, n_goals=0, n_skills=0)
    url = reverse("appraisals:employee_sessions", args=[world.staff.pk])
    small = count_queries(client, url)
    add_history(world, world.staff, n_sessions=38, n_goals=0, n_skills=0)
    assert count_queries(client, url) == small == 15


def test_my_sessions_query_budget(world):
    client = client_for(world.staff)
    add_history(world, world.staff, n_sessions=2, n_goals=0, n_skills=0)
    url = reverse("appraisals:my_sessions")
    small = count_queries(client, url)
    add_history(world, world.staff, n_sessions=30, n_goals=0, n_skills=0)
    FeedbackSessionFactory(employee=world.staff, state=SessionState.SHARED)
    assert count_queries(client, url) == small


def test_session_detail_query_budget(world):
    client = client_for(world.manager)
    session = FeedbackSessionFactory(employee=world.staff, state=SessionState.SHARED)
    ActionFactory(session=session)
    url = reverse("appraisals:session_detail", args=[session.pk])
    small = count_queries(client, url)
    for _ in range(6):
        ActionFactory(session=session)
    for i in range(5):
        session.discussion = f"Version {i}"
        session.save()
    assert count_queries(client, url) == small


def _team(world, size: int) -> None:
    for i in range(size):
        report = EmployeeFactory(
            organisation=world.org,
            service=world.team,
            line_manager=world.manager,
            job_role=world.staff.job_role,
        )
        s = FeedbackSessionFactory(
            employee=report, state=SessionState.SHARED, held_on=date(2026, 1, 1) + timedelta(i)
        )
        ActionFactory(session=s)
        GoalFactory(owner=report, status="at_risk")
        GoalFactory(owner=report, status="on_track")
        skill = SkillRequirementFactory(job_role=world.staff.job_role).skill
        SkillGap.objects.create(
            organisation=world.org,
            service=world.team,
            employee=report,
            skill=skill,
            required_level=3,
            current_level=1,
            gap=2,
            computed_at=clock.now(),
        )
        FeedbackSessionFactory(employee=report, manager=world.manager)  # a draft to share


def test_team_dashboard_query_budget(world):
    """GET /team/ — 17 queries at 2 and at 12 reports: 1-3 session, user, viewer;
    4 has direct reports (the page and the navigation share it); 5 the reports;
    6 their last sessions; 7 goal counts; 8 skills gaps; 9 open action counts;
    10 drafts to share; 11 services (navigation roles); 12-14 "needs your
    attention" (its counts with how many are new, the count for the people below,
    the first ten); 15-17 saving the Django session."""
    client = client_for(world.manager)
    url = reverse("insights:team_dashboard")
    small = count_queries(client, url)
    _team(world, 10)
    large = count_queries(client, url)
    assert small == large == 17


def test_cycle_page_query_budget(world):
    AppraisalCycleFactory(organisation=world.org, financial_year=2026)
    client = client_for(world.officer)
    url = reverse("appraisals:cycle_detail", args=[2026])
    small = count_queries(client, url)
    _team(world, 10)
    for e in world.org.employees.all()[:6]:
        FeedbackSessionFactory(employee=e, kind="mid_year", held_on=date(2026, 9, 15))
    assert count_queries(client, url) == small
