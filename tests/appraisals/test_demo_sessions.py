"""The demo's feedback sessions tell the stories the product is shown with."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from appraisals.models import Action, AppraisalCycle, FeedbackSession, SessionKind, SessionState
from core import clock
from insights.models import Flag, FlagKind
from organisations.models import Employee


@pytest.fixture
def demo(db):
    call_command("seed_demo", employees=400, seed=5, force=True, password="pw", stdout=StringIO())


def signed_in(username):
    client = Client()
    client.force_login(Employee.objects.get(user__username=username).user)
    return client


def test_a_year_of_sessions_with_gaps(demo):
    today = clock.today()
    council = Employee.objects.filter(organisation__slug="northshire", line_manager__isnull=False)
    per_person = council.annotate(n=Count("feedback_sessions")).values_list("n", flat=True)
    assert 8 <= sum(per_person) / len(per_person) <= 16
    sessions = FeedbackSession.objects.filter(organisation__slug="northshire")
    assert sessions.filter(held_on__lt=today - timedelta(days=330)).exists()
    assert not sessions.filter(held_on__gt=today).exists()
    states = dict(sessions.values_list("state").annotate(n=Count("pk")))
    assert states[SessionState.ACKNOWLEDGED] > states[SessionState.SHARED] > states[SessionState.DRAFT] > 0
    # every session's next date is after it was held, and a manager held it
    assert not sessions.filter(next_session_on__lte=F("held_on")).exists()
    assert not sessions.filter(manager__isnull=True).exists()
    # actions: done, open and carried over
    actions = Action.objects.filter(session__organisation__slug="northshire")
    assert actions.filter(done_on__isnull=False).exists() and actions.open().exists()
    carried = actions.filter(carried_over_from__isnull=False).select_related(
        "carried_over_from__session", "session"
    )
    assert carried.exists()
    for a in carried[:50]:
        assert a.carried_over_from.session.employee_id == a.session.employee_id
        assert a.carried_over_from.session.held_on < a.session.held_on
    # flags: people overdue by four weeks or more (some by eight), each for their line
    # manager, and a few possible underperformers
    overdue = Flag.objects.filter(kind=FlagKind.FEEDBACK_OVERDUE, organisation__slug="northshire")
    assert overdue.filter(severity="high").exists() and overdue.count() < council.count() / 2
    for flag in overdue.select_related("employee"):
        days = flag.evidence["days_overdue"]
        assert days >= 28 and flag.severity == ("high" if days >= 56 else "medium"), flag.title
        if flag.employee.line_manager_id:
            assert flag.owner_id == flag.employee.line_manager_id
    # the directorates and services with more than 10% of their staff overdue, for their heads
    shares = Flag.objects.filter(kind=FlagKind.SUPERVISION_OVERDUE, organisation__slug="northshire")
    assert shares.exists()
    for flag in shares.select_related("service"):
        staff, late = flag.evidence["staff"], flag.evidence["overdue"]
        assert late * 100 > 10 * staff and flag.severity == ("high" if late * 100 > 25 * staff else "medium")
        assert flag.service.kind in ("directorate", "service") and flag.owner_id == flag.service.head_id
    under = Flag.objects.filter(kind=FlagKind.UNDERPERFORMANCE, organisation__slug="northshire").count()
    assert 0 < under < council.count() / 10


def test_current_appraisal_cycle(demo):
    today = clock.today()
    cycle = AppraisalCycle.objects.get(organisation__slug="northshire")
    assert cycle.financial_year in (today.year, today.year - 1)
    if today >= cycle.mid_year_closes:
        mid_year = (
            FeedbackSession.objects.filter(organisation__slug="northshire", kind=SessionKind.MID_YEAR)
            .values("employee")
            .distinct()
            .count()
        )
        people = Employee.objects.filter(organisation__slug="northshire", line_manager__isnull=False).count()
        assert 0.4 * people < mid_year < 0.9 * people  # partly done


def test_demo_staff_has_a_session_waiting_with_a_private_note(demo):
    staff = Employee.objects.get(user__username="demo-staff")
    manager = Employee.objects.get(user__username="demo-manager")
    latest = FeedbackSession.objects.filter(employee=staff).order_by("-held_on").first()
    assert latest.state == SessionState.SHARED and latest.manager == manager and latest.private_note
    assert latest.held_on == clock.today() - timedelta(days=3)
    # demo-staff reads it without the note; demo-director sees only that it happened
    url = reverse("appraisals:session_detail", args=[latest.pk])
    staff_html = signed_in("demo-staff").get(url).content.decode()
    assert latest.discussion in staff_html and latest.private_note not in staff_html
    assert "Acknowledge this session" in staff_html
    director_html = signed_in("demo-director").get(url).content.decode()
    assert latest.discussion not in director_html and latest.private_note not in director_html
    manager_html = signed_in("demo-manager").get(url).content.decode()
    assert latest.private_note in manager_html
    mine = signed_in("demo-staff").get(reverse("appraisals:my_sessions")).content.decode()
    assert "Waiting for you to acknowledge" in mine and url in mine


def test_demo_manager_team_shows_someone_overdue(demo):
    html = signed_in("demo-manager").get(reverse("insights:team_dashboard")).content.decode()
    assert "Overdue" in html
