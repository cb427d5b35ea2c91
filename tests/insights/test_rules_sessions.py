"""The feedback_overdue, supervision_overdue and underperformance flag rules: the
pure functions on hand-built values, then ``candidates`` on a small database."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.models import SessionState
from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
from insights.rules import sessions as rules
from insights.rules import thresholds as t
from insights.services.recompute import RunContext, run_recompute
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.factories import EmployeeFactory

# Dates, cadence and periods: these run on each of tests.conftest.HARD_DATES too.
pytestmark = pytest.mark.any_date

# --- feedback_overdue: pure ------------------------------------------------------------


def test_the_thresholds():
    assert (t.FEEDBACK_OVERDUE_MEDIUM_DAYS, t.FEEDBACK_OVERDUE_HIGH_DAYS) == (28, 56)
    assert (t.SUPERVISION_OVERDUE_TOLERANCE, t.SUPERVISION_OVERDUE_HIGH) == (10, 25)


@pytest.mark.parametrize(
    ("days", "severity"),
    [
        (-10, None),
        (0, None),
        (1, None),  # a few days late: the team page shows it, no flag
        (27, None),
        (28, "medium"),
        (55, "medium"),
        (56, "high"),
        (400, "high"),
    ],
)
def test_feedback_overdue_severity(days, severity):
    assert rules.feedback_overdue_severity(days) == severity


# --- supervision_overdue: pure ---------------------------------------------------------


@pytest.mark.parametrize(
    ("overdue", "people", "severity"),
    [
        (0, 0, None),  # no one there
        (0, 12, None),
        (1, 10, None),  # 10%: within tolerance
        (21, 200, "medium"),  # 10.5%
        (1, 5, "medium"),
        (1, 4, "medium"),  # 25%: not above the high mark
        (51, 200, "high"),  # 25.5%
        (10, 10, "high"),
    ],
)
def test_supervision_overdue_severity(overdue, people, severity):
    assert rules.supervision_overdue_severity(overdue=overdue, people=people) == severity


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


def last_seen(employee, today, days_ago):
    """``employee``'s only session, ``days_ago`` days before ``today``."""
    employee.feedback_sessions.all().delete()
    FeedbackSessionFactory(employee=employee, held_on=today - timedelta(days=days_ago))


def test_feedback_overdue_candidates(world):
    today = date(2026, 6, 30)
    for e in world.org.employees.all():  # everyone in date by default
        FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=5))
    # Every 28 days by default: last seen 28 + n days ago is n days overdue.
    last_seen(world.staff, today, 28 + 30)  # 30 overdue: medium
    last_seen(world.manager, today, 28 + 28)  # 28: medium from the first day
    last_seen(world.service_head, today, 28 + 55)  # 55: still medium
    last_seen(world.head, today, 28 + 56)  # 56: high
    # peer: never seen, started 28 + 60 days ago -> 60 overdue (high)
    world.peer.feedback_sessions.all().delete()
    world.peer.start_date = today - timedelta(days=28 + 60)
    world.peer.save()
    # interim: own interval of 14 days, last seen 14 + 27 days ago -> 27 overdue: no flag
    world.interim.feedback_interval_days = 14
    world.interim.save()
    last_seen(world.interim, today, 14 + 27)
    # someone who has left is not flagged
    gone = EmployeeFactory(
        organisation=world.org, service=world.team, active=False, start_date=date(2020, 1, 1)
    )

    found = by_employee(rules.feedback_overdue_candidates(ctx_for(world, today)), FlagKind.FEEDBACK_OVERDUE)
    assert {k: c.severity for k, c in found.items()} == {
        world.staff.pk: "medium",
        world.manager.pk: "medium",
        world.service_head.pk: "medium",
        world.head.pk: "high",
        world.peer.pk: "high",
    }
    assert world.interim.pk not in found and gone.pk not in found
    staff = found[world.staff.pk]
    assert staff.evidence["days_overdue"] == 30
    assert staff.evidence["last_session"] == (today - timedelta(days=58)).isoformat()
    assert staff.evidence["next_due"] == (today - timedelta(days=30)).isoformat()
    assert staff.evidence["line_manager"] == "Mo Manager"
    assert staff.service_id == world.team.pk and staff.subject_id == world.staff.pk
    assert staff.employee_id == world.staff.pk and staff.owner_id is None  # named by the run
    assert staff.title == "Feedback session overdue for Sol Staff (30 days)"
    assert {link["label"] for link in staff.evidence["links"]} == {
        "Person",
        "Session history",
        "Log a session",
    }
    assert found[world.peer.pk].evidence["last_session"] is None
    assert (
        "every 28 days" in staff.rule
        and "by 28 days or more is medium, by 56 days or more high" in staff.rule
    )


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


def cadences(*groups):
    """Cadences as the supervision rule reads them: (service, people, overdue) each."""
    out = []
    for service, people, overdue in groups:
        for i in range(people):
            out.append(SimpleNamespace(employee=SimpleNamespace(service_id=service.pk), overdue=i < overdue))
    return out


def supervision(world, *groups):
    found = rules.supervision_candidates(ctx_for(world, date(2026, 6, 30)), cadences(*groups))
    assert all(c.kind == FlagKind.SUPERVISION_OVERDUE for c in found)
    return {c.subject_id: c for c in found}


def test_supervision_overdue_adds_up_each_directorate_and_service_with_everything_below(world):
    # Housing Options: 4 in the Options Team (1 overdue) and 4 in Lettings (1 overdue).
    # Resources: 12, none overdue. Council (root): 20 with 2 overdue, 10%.
    found = supervision(world, (world.team, 4, 1), (world.other_team, 4, 1), (world.corporate, 12, 0))
    assert set(found) == {world.service.pk, world.directorate.pk}  # the root is at 10%, within tolerance
    c = found[world.service.pk]
    assert c.severity == FlagSeverity.MEDIUM  # 2 of 8: 25%, not above 25
    assert (c.subject_type, c.service_id, c.employee_id) == (SubjectType.SERVICE, world.service.pk, None)
    assert c.stable_key == f"supervision_overdue:service:{world.service.pk}"
    assert c.title == "Supervision overdue for 2 of 8 staff in Housing Options, 25%, above the 10% tolerance"
    assert c.evidence["staff"] == 8 and c.evidence["overdue"] == 2
    assert c.evidence["overdue_share_percent"] == "25" and c.evidence["tolerance_percent"] == 10
    assert c.evidence["links"][0]["url"].endswith("#supervision-heading")
    assert "Above 10% is medium, above 25% high" in c.rule

    # One more overdue in a team: Housing Options 3 of 8 (37.5%) high; the root 3 of 20 medium.
    found = supervision(world, (world.team, 4, 2), (world.other_team, 4, 1), (world.corporate, 12, 0))
    assert {k: c.severity for k, c in found.items()} == {
        world.service.pk: "high",
        world.directorate.pk: "high",
        world.root.pk: "medium",
    }
    assert found[world.root.pk].evidence["overdue_share_percent"] == "15"


def test_supervision_overdue_is_not_raised_for_a_team_or_an_empty_service(world):
    # The whole Options Team overdue: the team is too small for a share to mean much,
    # and the services above it (with 30 others in date) stay within tolerance.
    found = supervision(world, (world.team, 3, 3), (world.other_team, 30, 0), (world.corporate, 1, 0))
    assert found == {}  # 3 of 33 in Housing Options and Housing, 3 of 34 in the root
    assert supervision(world) == {}  # nobody at all: no share to judge


def test_feedback_overdue_candidates_include_the_services_shares(world):
    today = date(2026, 6, 30)
    for e in world.org.employees.all():
        FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=5))
    last_seen(world.staff, today, 29)  # a day overdue: no flag about Sol, but counted
    found = rules.feedback_overdue_candidates(ctx_for(world, today))
    assert not by_employee(found, FlagKind.FEEDBACK_OVERDUE)
    shares = {c.subject_id: c for c in found if c.kind == FlagKind.SUPERVISION_OVERDUE}
    # Housing Options 1 of 5, Housing 1 of 6, the council 1 of 8; Resources 0 of 1.
    assert {k: c.evidence["overdue_share_percent"] for k, c in shares.items()} == {
        world.service.pk: "20",
        world.directorate.pk: "16.7",
        world.root.pk: "12.5",
    }
    assert {c.severity for c in shares.values()} == {"medium"}


def test_candidates_use_a_fixed_number_of_queries(world):
    today = date(2026, 6, 30)

    def run():
        with CaptureQueriesContext(connection) as captured:
            found = rules.candidates(ctx_for(world, today))
        return len(captured), len(found)

    assessed(world.staff, date(2026, 5, 10), "not_yet")
    small, n_small = run()
    for i in range(15):
        e = EmployeeFactory(organisation=world.org, service=world.team, line_manager=world.manager)
        assessed(e, date(2026, 1, 1) + timedelta(days=i), "developing")
        assessed(e, date(2026, 3, 1) + timedelta(days=i), "not_yet")
    large, n_large = run()
    assert n_large > n_small + 15
    assert large == small == 4  # people, their last sessions, the services, ranked assessments


def test_recompute_opens_and_resolves_the_flags(world):
    today = clock.today()
    for e in world.org.employees.all():
        FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=1))
    last_seen(world.staff, today, 28 + 27)  # 27 days overdue: below medium, no flag about Sol
    run_recompute(world.org, today=today)
    assert not Flag.objects.filter(kind=FlagKind.FEEDBACK_OVERDUE).exists()
    # ...but 1 of 5 in Housing Options, 1 of 6 in Housing, 1 of 8 in the council: for their heads.
    shares = Flag.objects.filter(kind=FlagKind.SUPERVISION_OVERDUE, resolved_at=None)
    assert dict(shares.values_list("subject_id", "owner_id")) == {
        world.service.pk: world.service_head.pk,
        world.directorate.pk: world.head.pk,
        world.root.pk: world.chief.pk,
    }

    last_seen(world.staff, today, 28 + 56)
    run_recompute(world.org, today=today)
    flag = Flag.objects.get(kind=FlagKind.FEEDBACK_OVERDUE)
    assert flag.employee == world.staff and flag.severity == "high" and flag.resolved_at is None
    assert flag.owner == world.manager  # Sol's line manager acts
    # twice changes nothing
    run_recompute(world.org, today=today)
    assert Flag.objects.filter(kind=FlagKind.FEEDBACK_OVERDUE).count() == 1
    # a session is held: the flags resolve
    FeedbackSessionFactory(employee=world.staff, held_on=today)
    run_recompute(world.org, today=today)
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert not Flag.objects.filter(kind=FlagKind.SUPERVISION_OVERDUE, resolved_at=None).exists()
