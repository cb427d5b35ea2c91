"""The audit trail: "View history" on every object page that has one (for those
who may see it), related records in the same history, and the person who made
each change recorded, including by bulk writes and outside a request."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals.models import FeedbackSession, Goal, GoalCheckIn, SessionState
from appraisals.services.goals import goal_bulk_assign, goal_check_in_record
from appraisals.services.sessions import feedback_session_acknowledge, feedback_session_share
from insights.selectors.audit import REGISTRY, history_url
from insights.services.flags import flag_acknowledge
from organisations.models import KPIResult, KPITarget
from organisations.services import kpi_csv
from organisations.services.kpi_import import kpi_results_import
from organisations.services.kpis import kpi_result_record, kpi_target_set
from tests.appraisals.factories import goals_of
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.appraisals.test_goal_views import bulk_post
from tests.conftest import client_for
from tests.insights.flag_factories import personal_flag
from tests.organisations.factories import KPIFactory
from tests.organisations.risk_factories import RiskFactory

HISTORY_LINK = re.compile(r'<a class="govuk-link" href="(/history/[^"]+)">View history')


def _history_link(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = HISTORY_LINK.search(response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def objects(world):
    goals = goals_of(world)
    session = FeedbackSessionFactory(employee=world.staff, manager=world.manager, state=SessionState.SHARED)
    kpi = KPIFactory(organisation=world.org, service=world.service, code="HO-01")
    risk = RiskFactory(organisation=world.org, service=world.service, owner=world.service_head)
    flag = personal_flag(world.staff)
    return {
        "goal": goals.staff_goal,
        "session": session,
        "kpi": kpi,
        "risk": risk,
        "flag": flag,
        "person": world.staff,
    }


PAGES = {
    "goal": "appraisals:goal_detail",
    "session": "appraisals:session_detail",
    "kpi": "organisations:kpi_detail",
    "risk": "organisations:risk_detail",
    "flag": "insights:flag_detail",
    "person": "organisations:person_detail",
}


@pytest.mark.parametrize("what", sorted(PAGES))
def test_object_pages_link_to_their_history_with_a_way_back(world, objects, what):
    obj = objects[what]
    page = reverse(PAGES[what], args=[obj.pk])
    client = client_for(world.manager)  # may see every one of these objects and its history
    link = _history_link(client, page)
    assert link == history_url(obj, back=page)
    assert link.startswith(f"/history/{obj._meta.label_lower}/{obj.pk}/?back=")
    history = client.get(link)
    assert history.status_code == 200
    assert f'<a class="govuk-back-link" href="{page}">Back</a>' in history.content.decode()


def test_no_history_link_for_those_who_may_not_see_the_history(world, objects):
    # staff reads their shared session, but its history holds the private note
    assert (
        _history_link(client_for(world.staff), reverse(PAGES["session"], args=[objects["session"].pk]))
        is None
    )
    # head sees that the session happened, not its content
    assert (
        _history_link(client_for(world.head), reverse(PAGES["session"], args=[objects["session"].pk])) is None
    )
    # peer may open staff's person page, not staff's record's history
    assert _history_link(client_for(world.peer), reverse(PAGES["person"], args=[world.staff.pk])) is None
    # a shared goal's history is everyone's
    team_goal = goals_of(world).team_goal
    assert _history_link(client_for(world.peer), reverse(PAGES["goal"], args=[team_goal.pk]))


def test_every_audited_record_type_has_a_history_page_rule():
    assert {
        "appraisals.feedbacksession",
        "appraisals.goal",
        "appraisals.goalcheckin",
        "appraisals.action",
        "organisations.kpi",
        "organisations.kpiresult",
        "organisations.kpitarget",
        "organisations.risk",
        "insights.flag",
        "organisations.employee",
    } <= set(REGISTRY)


def test_back_links_only_within_the_site(world, objects):
    client = client_for(world.manager)
    base = reverse("insights:history", args=["organisations.risk", objects["risk"].pk])
    for hostile in ("//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"):
        html = client.get(base, {"back": hostile}).content.decode()
        assert "govuk-back-link" not in html, hostile
    assert 'href="/risks/"' in client.get(base, {"back": "/risks/"}).content.decode()


def test_kpi_history_shows_its_results_and_targets_and_who_changed_them(world, objects):
    kpi = objects["kpi"]
    officer = client_for(world.officer)
    response = officer.post(
        reverse("organisations:kpi_targets", args=[kpi.pk]) + "?year=2025",
        {
            "financial_year": 2025,
            "target": "90",
            "tolerance_kind": "percent",
            "green_tolerance": "0",
            "amber_tolerance": "5",
        },
    )
    assert KPITarget.objects.filter(kpi=kpi).exists(), response.content.decode()[:2000]
    data = "kpi_code,period_end,value,commentary,corrective_action\nHO-01,2025-04-30,91,First figure,\n"
    response = officer.post(
        reverse("organisations:kpi_import"),
        {"file": SimpleUploadedFile("r.csv", data.encode(), "text/csv")},
    )
    assert response.status_code == 302
    kpi_result_record(
        kpi=kpi, period_end=date(2025, 4, 30), value=Decimal("93"), commentary="Corrected", by=world.head
    )
    html = officer.get(history_url(kpi)).content.decode()
    assert "Target for 2025/26: created by Olu Officer" in html
    assert "Result for 30 April 2025: created by Olu Officer" in html
    assert "Result for 30 April 2025: changed by Hana Head" in html
    assert "First figure" in html and "Corrected" in html


# --- Who made each change is recorded ----------------------------------------


def _last_user(obj):
    return obj.history.order_by("-history_date", "-history_id").first().history_user


def test_kpi_import_records_the_importer_in_every_history_row(world, objects):
    kpi = objects["kpi"]
    text = "kpi_code,period_end,value,commentary,corrective_action\nHO-01,2025-04-30,91,,\nHO-01,2025-05-31,92,,\n"
    outcome = kpi_results_import(
        organisation=world.org, rows=kpi_csv.read_results_csv(text.encode()), by=world.officer
    )
    assert outcome.ok
    assert {r.history_user for r in KPIResult.history.all()} == {world.officer.user}
    # and a correction by import names the second importer
    text = "kpi_code,period_end,value,commentary,corrective_action\nHO-01,2025-04-30,95,,\n"
    kpi_results_import(organisation=world.org, rows=kpi_csv.read_results_csv(text.encode()), by=world.head)
    april = KPIResult.objects.get(kpi=kpi, period_end=date(2025, 4, 30))
    assert _last_user(april) == world.head.user
    kpi_target_set(kpi=kpi, financial_year=2025, target=Decimal("99"), by=world.officer)
    assert _last_user(KPITarget.objects.get(kpi=kpi)) == world.officer.user
    # the re-grade of the year's results after the new target names who set it
    assert _last_user(april) == world.officer.user


def test_goal_bulk_assign_and_check_ins_record_who(world):
    team_goal = goals_of(world).team_goal
    goals = goal_bulk_assign(
        parent=team_goal,
        owners=[world.staff, world.peer],
        assigned_by=world.manager,
        title="Answer every call",
        start_date=date(2026, 4, 1),
        due_date=date(2027, 3, 31),
    )
    assert {_last_user(g) for g in goals} == {world.manager.user}
    check_in = goal_check_in_record(goal=goals[0], author=world.staff, progress=30, status="on_track")
    assert _last_user(check_in) == world.staff.user
    assert _last_user(Goal.objects.get(pk=goals[0].pk)) == world.staff.user


def test_goal_bulk_assign_through_the_page_records_who(world):
    team_goal = goals_of(world).team_goal
    client = client_for(world.manager)
    page = client.get(reverse("appraisals:goal_bulk_assign")).content.decode()
    assert "Answer every call" not in page
    before = Goal.objects.count()
    response = client.post(
        reverse("appraisals:goal_bulk_assign"),
        bulk_post(team_goal, [world.staff, world.peer], title="Answer every call"),
    )
    assert response.status_code == 302
    assert Goal.objects.count() == before + 2
    for goal in Goal.objects.filter(title="Answer every call"):
        assert _last_user(goal) == world.manager.user


def test_session_share_and_acknowledge_record_who(world):
    session = FeedbackSessionFactory(employee=world.staff, manager=world.manager, state=SessionState.DRAFT)
    feedback_session_share(session=session, by=world.manager)
    assert _last_user(FeedbackSession.objects.get(pk=session.pk)) == world.manager.user
    feedback_session_acknowledge(session=session, by=world.staff, comment="Read and agreed")
    record = FeedbackSession.history.filter(id=session.pk).order_by("-history_date", "-history_id").first()
    assert record.history_user == world.staff.user
    assert record.history_change_reason == "Acknowledged by the employee"


def test_session_acknowledge_through_the_page_records_who(world):
    session = FeedbackSessionFactory(employee=world.staff, manager=world.manager, state=SessionState.SHARED)
    response = client_for(world.staff).post(
        reverse("appraisals:session_acknowledge", args=[session.pk]), {"comment": "Thanks"}
    )
    assert response.status_code == 302
    assert _last_user(FeedbackSession.objects.get(pk=session.pk)) == world.staff.user


def test_flag_acknowledge_records_who(world):
    flag = personal_flag(world.staff)
    flag_acknowledge(flag=flag, by=world.manager, note="Talked to Sol")
    flag.refresh_from_db()
    assert _last_user(flag) == world.manager.user
    html = client_for(world.manager).get(history_url(flag)).content.decode()
    assert "Changed by Mo Manager" in html and "Talked to Sol" in html


def test_goal_check_in_history_is_visible_on_the_goal_history(world):
    goal = goals_of(world).staff_goal
    goal_check_in_record(goal=goal, author=world.manager, progress=55, status="on_track", comment="Halfway")
    assert GoalCheckIn.objects.filter(goal=goal).exists()
    html = client_for(world.staff).get(history_url(goal)).content.decode()
    assert "Check-in of" in html and "created by Mo Manager" in html and "Halfway" in html
