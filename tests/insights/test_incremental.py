"""An incremental run gives the same flags and skills gaps as a full run over the
same data: after random edits made through the product's own services (each
naming what it touched), the incremental run takes the pending changes, and a
full run straight after it finds nothing left to change.

Seeded with the demo council at a small size; each seed of the random edits is
one example. The edits cover every kind of change that requests a run: a
session logged or shared, an action completed, a skill rated, a goal checked in,
a KPI result recorded, a risk re-scored, a person moved to another team or
contract.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from appraisals.models import Action, FeedbackSession, Goal, GoalStatus, SessionKind, SessionState
from appraisals.services.goals import goal_check_in_record
from appraisals.services.sessions import (
    SessionContent,
    action_complete,
    feedback_session_create,
    feedback_session_share,
)
from appraisals.services.skills import skill_rating_record
from core import clock
from core.queueing import request_recompute
from insights.models import Flag, PendingChange, SkillGap
from insights.selectors import staff_figures, stored_staff_figures
from insights.services.recompute import run_recompute
from insights.services.scope import Scope
from organisations.models import KPI, Employee, EmploymentType, Organisation, Risk, Service
from organisations.services.kpis import kpi_result_record
from organisations.services.risks import risk_update

pytestmark = pytest.mark.django_db(transaction=False)


def _flags(org) -> dict:
    return {
        f.key: (f.severity, f.title, f.evidence, f.owner_id, f.service_id, f.resolved_at is None)
        for f in Flag.objects.filter(organisation=org)
    }


def _gaps(org) -> set:
    fields = [
        "service_id",
        "employee_id",
        "skill_id",
        "essential",
        "required_level",
        "current_level",
        "gap",
        "people_required",
        "people_meeting",
        "coverage",
        "recommendation",
        "first_seen_on",
    ]
    return set(SkillGap.objects.filter(organisation=org).values_list(*fields))


def _stored_staff(org):
    ids = list(Service.objects.filter(organisation=org).values_list("pk", flat=True))
    return stored_staff_figures(org, ids, clock.today())


def _live_staff(org):
    return staff_figures(Employee.objects.filter(organisation=org, active=True), org, clock.today())


def _edit(rng: random.Random, org: Organisation) -> str:
    today = clock.today()
    people = list(
        Employee.objects.filter(organisation=org, active=True, line_manager__isnull=False).order_by("pk")
    )
    person = rng.choice(people)
    manager = person.line_manager
    what = rng.choice(["session", "share", "action", "rating", "goal", "kpi", "risk", "move", "contract"])
    if what == "session":
        feedback_session_create(
            author=manager,
            employee=person,
            content=SessionContent(
                held_on=today - timedelta(days=rng.randint(0, 10)),
                kind=SessionKind.ONE_TO_ONE,
                discussion="Caseload and priorities.",
                overall_assessment=rng.choice(["", "not_yet", "achieving", "developing"]),
            ),
            share=rng.random() < 0.5,
        )
    elif what == "share":
        draft = (
            FeedbackSession.objects.filter(organisation=org, state=SessionState.DRAFT).order_by("pk").first()
        )
        if draft is None:
            return "share (no draft)"
        feedback_session_share(session=draft, by=draft.manager)
    elif what == "action":
        action = Action.objects.filter(session__organisation=org).open().order_by("pk").first()
        if action is None:
            return "action (none open)"
        action_complete(action=action, by=action.session.manager)
    elif what == "rating":
        requirement = person.job_role.requirements.order_by("pk").first() if person.job_role else None
        if requirement is None:
            return "rating (no requirement)"
        skill_rating_record(
            employee=person,
            skill=requirement.skill,
            level=rng.randint(0, 4),
            source="manager",
            rated_by=manager,
            on=today,
        )
    elif what == "goal":
        goal = (
            Goal.objects.filter(organisation=org)
            .exclude(status__in=[GoalStatus.ACHIEVED, GoalStatus.DROPPED, GoalStatus.DRAFT])
            .order_by("pk")[rng.randrange(50)]
        )
        if goal is None:
            return "goal (none)"
        author = goal.owner.line_manager if goal.owner_id and goal.owner.line_manager_id else goal.owner
        goal_check_in_record(
            goal=goal,
            author=author or manager,
            progress=rng.randint(0, 100),
            status=rng.choice([GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.OFF_TRACK]),
            on=today,
        )
    elif what == "kpi":
        kpi = rng.choice(list(KPI.objects.filter(organisation=org, active=True).order_by("pk")))
        latest = kpi.results.order_by("-period_end").first()
        if latest is None:
            return "kpi (no results)"
        kpi_result_record(
            kpi=kpi,
            period_end=latest.period_end,
            value=Decimal(rng.randint(0, 200)),
            commentary="Checked with the service.",
            corrective_action="Recovery plan agreed.",
        )
    elif what == "risk":
        risk = rng.choice(list(Risk.objects.filter(organisation=org, is_open=True).order_by("pk")))
        risk_update(
            risk=risk,
            by=risk.owner or manager,
            changes={
                "residual_likelihood": rng.randint(risk.target_likelihood, risk.inherent_likelihood),
                "residual_impact": rng.randint(risk.target_impact, risk.inherent_impact),
                "review_due": today + timedelta(days=rng.randint(-60, 30)),
            },
        )
    elif what == "move":
        # A person moves to another team under a new manager (as an HR change would).
        team = rng.choice(
            list(Service.objects.filter(organisation=org, kind="team").exclude(pk=person.service_id))
        )
        new_manager = team.head or manager
        old = (person.service_id, person.line_manager_id)
        Employee.objects.filter(pk=person.pk).update(service=team, line_manager=new_manager)
        request_recompute(org.pk, employees=[person.pk, old[1], new_manager.pk], services=[old[0], team.pk])
    elif what == "contract":
        Employee.objects.filter(pk=person.pk).update(
            employment_type=EmploymentType.INTERIM, end_date=today + timedelta(days=rng.randint(-5, 40))
        )
        request_recompute(org.pk, employees=[person.pk])
    return what


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_runs_agree_with_a_full_run(seed):
    call_command("seed_demo", employees=150, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    run_recompute(org, trigger="command")
    assert PendingChange.objects.filter(organisation=org).count() == 0
    rng = random.Random(seed)
    done = []
    for _ in range(4):
        for _ in range(rng.randint(1, 4)):  # a burst of edits: one run takes them all
            done.append(_edit(rng, org))
        assert PendingChange.objects.filter(organisation=org).exists() or all("(" in d for d in done[-4:])
        incremental = run_recompute(org, trigger="data change", scope=Scope())
        assert incremental.counts["incremental"], done
        assert not PendingChange.objects.filter(organisation=org).exists()
        flags, gaps = _flags(org), _gaps(org)
        # The read model the dashboards use agrees with counting everyone.
        assert _stored_staff(org) == _live_staff(org), done
        full = run_recompute(org, trigger="command")
        assert not full.counts["incremental"]
        changed = {k: v for k, v in full.counts["flags"].items() if k not in ("open", "escalated") and v}
        assert changed == {}, (done, changed)
        assert _flags(org) == flags, done
        assert _gaps(org) == gaps, done


def test_an_incremental_run_recomputes_a_part_of_the_organisation():
    call_command("seed_demo", employees=150, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    run_recompute(org, trigger="command")
    person = (
        Employee.objects.filter(organisation=org, active=True, service__kind="team").order_by("pk").first()
    )
    request_recompute(org.pk, employees=[person.pk])
    run = run_recompute(org, trigger="data change", scope=Scope())
    people = Employee.objects.filter(organisation=org, active=True).count()
    assert run.counts["incremental"]
    assert 0 < run.counts["people_recomputed"] < people / 2
    services = Service.objects.filter(organisation=org).count()
    assert run.counts["services_recomputed"] < services
    # The runs page says what the run covered, not the slice's flags as if they were all.
    from django.urls import reverse

    from tests.conftest import client_for

    officer = Employee.objects.get(user__username="demo-officer")
    html = client_for(officer).get(reverse("insights:run_list")).content.decode()
    people_run = run.counts["people_recomputed"]
    assert (
        f"Incremental: {people_run} people in {run.counts['services_recomputed']} services recomputed" in html
    )


def test_a_run_falls_back_to_full_without_todays_figures():
    call_command("seed_demo", employees=150, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    run_recompute(org, trigger="command")
    # Figures from yesterday: the first run of a new day is a full one.
    from insights.models import ServiceFigures

    ServiceFigures.objects.filter(organisation=org).update(as_of=clock.today() - timedelta(days=1))
    run = run_recompute(
        org, trigger="data change", scope=Scope.of(kpis=[KPI.objects.filter(organisation=org).first().pk])
    )
    assert not run.counts["incremental"]
    assert not ServiceFigures.objects.filter(organisation=org).exclude(as_of=clock.today()).exists()


def test_a_change_asking_for_everything_makes_the_run_full():
    call_command("seed_demo", employees=150, force=True, stdout=StringIO())
    org = Organisation.objects.get(slug="northshire")
    run_recompute(org, trigger="command")
    request_recompute(org.pk)  # names nothing: the whole organisation
    run = run_recompute(org, trigger="data change", scope=Scope())
    assert not run.counts["incremental"]
