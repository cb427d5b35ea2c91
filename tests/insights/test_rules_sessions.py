"""The feedback_overdue and underperformance flag rules: the pure functions on
hand-built values, then ``candidates`` on a small database."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.models import SessionState
from core import clock
from insights.models import Flag, FlagKind
from insights.rules import sessions as rules
from insights.rules import thresholds as t
from insights.services.recompute import RunContext, run_recompute
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

# --- feedback_overdue: pure ------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "severity"),
    [
        (-10, None),
        (0, None),
        (1, "low"),
        (t.FEEDBACK_OVERDUE_MEDIUM_DAYS - 1, "low"),
        (t.FEEDBACK_OVERDUE_MEDIUM_DAYS, "medium"),
        (t.FEEDBACK_OVERDUE_HIGH_DAYS - 1, "medium"),
        (t.FEEDBACK_OVERDUE_HIGH_DAYS, "high"),
        (400, "high"),
    ],
)
def test_feedback_overdue_severity(days, severity):
    assert rules.feedback_overdue_severity(days) == severity


# --- underperformance: pure -------------------------------------------------------------


@pytest.mark.parametrize(
    ("assessments", "severity"),
    [
        ([], None),
        (["achieving"], None),
        (["developing"], None),  # one "developing" on its own is not a pattern
        (["not_yet"], "medium"),  # the latest "not yet achieving" on its own
        (["not_yet", "achieving"], "medium"),
        (["not_yet", "exceeding"], "medium"),
        (["developing", "developing"], "medium"),
        (["developing", "not_yet"], "high"),
        (["not_yet", "developing"], "high"),
        (["not_yet", "not_yet"], "high"),
        (["achieving", "not_yet"], None),  # recovered: the latest is achieving
        (["achieving", "developing"], None),
        (["developing", "achieving"], None),
        (["exceeding", "not_yet", "not_yet"], None),
        (["developing", "developing", "achieving"], "medium"),  # only the last two count
    ],
)
def test_underperformance_severity(assessments, severity):
    assert rules.underperformance_severity(assessments) == severity


# --- candidates on a small database ---------------------------------------------------


def ctx_for(world, today):
    return RunContext(organisation=world.org, today=today, now=clock.now())


def by_employee(candidates, kind):
    return {c.employee_id: c for c in candidates if c.kind == kind}


def test_feedback_overdue_candidates(world):
    today = date(2026, 6, 30)
    for e in world.org.employees.all():  # everyone in date by default
        FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=5))
    # staff: last session 28 + 20 days ago -> 20 days overdue (medium)
    FeedbackSessionFactory(employee=world.staff, held_on=today - timedelta(days=48))
    world.staff.feedback_sessions.filter(held_on=today - timedelta(days=5)).delete()
    # peer: never seen, started 28 + 40 days ago -> 40 overdue (high)
    world.peer.feedback_sessions.all().delete()
    world.peer.start_date = today - timedelta(days=68)
    world.peer.save()
    # interim: own interval of 14 days, last seen 16 days ago -> 2 overdue (low)
    world.interim.feedback_interval_days = 14
    world.interim.save()
    world.interim.feedback_sessions.all().delete()
    FeedbackSessionFactory(employee=world.interim, held_on=today - timedelta(days=16))
    # someone who has left is not flagged
    gone = EmployeeFactory(
        organisation=world.org, service=world.team, active=False, start_date=date(2020, 1, 1)
    )

    found = by_employee(rules.feedback_overdue_candidates(ctx_for(world, today)), FlagKind.FEEDBACK_OVERDUE)
    assert {k: c.severity for k, c in found.items()} == {
        world.staff.pk: "medium",
        world.peer.pk: "high",
        world.interim.pk: "low",
    }
    assert gone.pk not in found
    staff = found[world.staff.pk]
    assert staff.evidence["days_overdue"] == 20
    assert staff.evidence["last_session"] == (today - timedelta(days=48)).isoformat()
    assert staff.evidence["next_due"] == (today - timedelta(days=20)).isoformat()
    assert staff.evidence["line_manager"] == "Mo Manager"
    assert staff.service_id == world.team.pk and staff.subject_id == world.staff.pk
    assert {link["label"] for link in staff.evidence["links"]} == {
        "Person",
        "Session history",
        "Log a session",
    }
    assert found[world.peer.pk].evidence["last_session"] is None
    assert "28 days" in staff.rule


def test_a_draft_still_counts_as_the_session_happening(world):
    today = date(2026, 6, 30)
    world.staff.start_date = date(2026, 1, 1)
    FeedbackSessionFactory(employee=world.staff, held_on=today - timedelta(days=3), state=SessionState.DRAFT)
    found = by_employee(rules.feedback_overdue_candidates(ctx_for(world, today)), FlagKind.FEEDBACK_OVERDUE)
    assert world.staff.pk not in found


def assessed(employee, held_on, word, state=SessionState.ACKNOWLEDGED):
    return FeedbackSessionFactory(employee=employee, held_on=held_on, overall_assessment=word, state=state)


def test_underperformance_candidates(world):
    today = date(2026, 6, 30)
    # staff: achieving, then developing, then not yet -> high
    assessed(world.staff, date(2026, 1, 10), "achieving")
    assessed(world.staff, date(2026, 3, 10), "developing")
    latest = assessed(world.staff, date(2026, 5, 10), "not_yet")
    FeedbackSessionFactory(employee=world.staff, held_on=date(2026, 6, 1))  # no assessment: ignored
    # peer: the latest assessment is a draft "not yet"; shared ones are fine -> none
    assessed(world.peer, date(2026, 2, 10), "achieving")
    assessed(world.peer, date(2026, 3, 10), "achieving")
    assessed(world.peer, date(2026, 6, 10), "not_yet", state=SessionState.DRAFT)
    # interim: developing twice -> medium
    assessed(world.interim, date(2026, 2, 10), "developing", state=SessionState.SHARED)
    assessed(world.interim, date(2026, 4, 10), "developing")
    # manager: recovered
    assessed(world.manager, date(2026, 2, 10), "not_yet")
    assessed(world.manager, date(2026, 4, 10), "achieving")

    found = by_employee(rules.underperformance_candidates(ctx_for(world, today)), FlagKind.UNDERPERFORMANCE)
    assert {k: c.severity for k, c in found.items()} == {world.staff.pk: "high", world.interim.pk: "medium"}
    evidence = found[world.staff.pk].evidence
    assert [a["held_on"] for a in evidence["assessments"]] == ["2026-05-10", "2026-03-10"]
    assert [a["assessment"] for a in evidence["assessments"]] == ["Not yet achieving", "Developing"]
    assert evidence["assessments"][0]["url"] == f"/sessions/{latest.pk}/"
    # the evidence never carries what was said
    assert "discussion" not in str(evidence).lower() and "PRIVATE" not in str(evidence)
    assert found[world.staff.pk].title == "Possible underperformance: Sol Staff"
    assert "not a decision" in found[world.staff.pk].rule


def test_candidates_use_a_fixed_number_of_queries(world):
    today = date(2026, 6, 30)

    def run():
        with CaptureQueriesContext(connection) as captured:
            rules.candidates(ctx_for(world, today))
        return len(captured)

    assessed(world.staff, date(2026, 5, 10), "not_yet")
    small = run()
    for i in range(15):
        e = EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
        assessed(e, date(2026, 1, 1) + timedelta(days=i), "developing")
        assessed(e, date(2026, 3, 1) + timedelta(days=i), "not_yet")
    assert run() == small == 3  # people, their last sessions, ranked assessments


def test_recompute_opens_and_resolves_the_flags(world):
    today = clock.today()
    for e in world.org.employees.all():
        FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=1))
    world.staff.feedback_sessions.all().delete()
    FeedbackSessionFactory(employee=world.staff, held_on=today - timedelta(days=60))
    run_recompute(world.org, today=today)
    flag = Flag.objects.get(kind=FlagKind.FEEDBACK_OVERDUE)
    assert flag.employee == world.staff and flag.severity == "high" and flag.resolved_at is None
    # twice changes nothing
    run_recompute(world.org, today=today)
    assert Flag.objects.filter(kind=FlagKind.FEEDBACK_OVERDUE).count() == 1
    # a session is held: the flag resolves
    FeedbackSessionFactory(employee=world.staff, held_on=today)
    run_recompute(world.org, today=today)
    flag.refresh_from_db()
    assert flag.resolved_at is not None
