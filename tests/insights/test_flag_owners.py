"""Who acts on each flag (insights/services/flag_owners.py): owners named before a
run writes its flags, escalation once when nobody acts within the kind's review
period, and a run's query count that does not grow with the flags.

The world (tests/conftest.py): Cara Chief heads the council (the root) and has no
line manager; Hana Head heads Housing (a directorate), Sam Service heads Housing
Options, Mo Manager heads the Options Team and manages Sol Staff and Pat Peer; Ira
Interim (Lettings Team, no head) reports to Sam; Olu Officer is in Resources, a
directorate without a head, and reports to Cara.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from insights.models import Flag, FlagKind, FlagSeverity, SubjectType
from insights.rules import kinds
from insights.services import recompute
from insights.services.flag_owners import assign_owners, escalate
from insights.services.flagging import FlagCandidate
from insights.services.flags import flag_acknowledge, flag_dismiss
from insights.services.recompute import run_recompute
from organisations.access import Viewer
from organisations.models import Employee
from tests.appraisals.session_factories import FeedbackSessionFactory
from tests.factories import EmployeeFactory
from tests.insights.flag_factories import FlagFactory, personal_flag
from tests.organisations.factories import KPIFactory
from tests.organisations.risk_factories import RiskFactory

# --- candidates -------------------------------------------------------------------------


def about_person(person, kind=FlagKind.FEEDBACK_OVERDUE) -> FlagCandidate:
    return FlagCandidate(
        kind=kind,
        severity=FlagSeverity.MEDIUM,
        subject_type=SubjectType.EMPLOYEE,
        subject_id=person.pk,
        service_id=person.service_id,
        employee_id=person.pk,
        title=f"About {person.full_name}",
        rule="r",
    )


def about_kpi(kpi) -> FlagCandidate:
    return FlagCandidate(
        kind=FlagKind.KPI_RED,
        severity=FlagSeverity.MEDIUM,
        subject_type=SubjectType.KPI,
        subject_id=kpi.pk,
        service_id=kpi.service_id,
        title=f"{kpi.code} is red",
        rule="r",
    )


def about_risk(risk) -> FlagCandidate:
    return FlagCandidate(
        kind=FlagKind.RISK_ABOVE_TARGET,
        severity=FlagSeverity.HIGH,
        subject_type=SubjectType.RISK,
        subject_id=risk.pk,
        service_id=risk.service_id,
        title=f"{risk.title} above target",
        rule="r",
    )


def about_service(service, kind=FlagKind.INTERIM_RELIANCE, **kw) -> FlagCandidate:
    return FlagCandidate(
        kind=kind,
        severity=FlagSeverity.MEDIUM,
        subject_type=SubjectType.SERVICE,
        subject_id=service.pk,
        service_id=service.pk,
        title=f"{service.name}: a finding",
        rule="r",
        **kw,
    )


def owner_of(world, candidate):
    (named,) = assign_owners(world.org, [candidate])
    return named.owner_id


def leaves(person):
    Employee.objects.filter(pk=person.pk).update(active=False)


def no_line_manager(person):
    Employee.objects.filter(pk=person.pk).update(line_manager=None)


# --- owners -----------------------------------------------------------------------------


def test_a_flag_about_a_person_is_for_their_line_manager(world):
    assert owner_of(world, about_person(world.staff)) == world.manager.pk
    assert owner_of(world, about_person(world.interim)) == world.service_head.pk  # Lettings has no head
    assert owner_of(world, about_person(world.officer)) == world.chief.pk
    assert owner_of(world, about_person(world.staff, FlagKind.UNDERPERFORMANCE)) == world.manager.pk


def test_without_a_line_manager_the_head_of_their_service_or_of_one_above(world):
    newcomer = EmployeeFactory(organisation=world.org, service=world.team, line_manager=None)
    assert owner_of(world, about_person(newcomer)) == world.manager.pk  # heads the Options Team
    # Mo heads the Options Team himself: the head of Housing Options above.
    no_line_manager(world.manager)
    assert owner_of(world, about_person(world.manager)) == world.service_head.pk
    # Olu's Resources has no head: the council's.
    no_line_manager(world.officer)
    assert owner_of(world, about_person(world.officer)) == world.chief.pk


def test_a_line_manager_who_has_left_is_passed_over(world):
    leaves(world.manager)
    # Sol's manager, also the Options Team's head, has left: Housing Options' head.
    assert owner_of(world, about_person(world.staff)) == world.service_head.pk


def test_a_flag_about_a_person_is_never_theirs(world):
    # Cara heads the council and has no manager: no one above to act, so no flag
    # opens (it would be hers alone to see).
    assert assign_owners(world.org, [about_person(world.chief)]) == []
    # Sam, without a line manager, heads Housing Options himself: Housing's head.
    no_line_manager(world.service_head)
    assert owner_of(world, about_person(world.service_head)) == world.head.pk


def test_a_kpi_flag_is_for_the_kpis_owner_else_the_head_of_its_service(world):
    owned = KPIFactory(organisation=world.org, service=world.team, owner=world.staff)
    assert owner_of(world, about_kpi(owned)) == world.staff.pk  # not the team's head
    unowned = KPIFactory(organisation=world.org, service=world.team, owner=None)
    assert owner_of(world, about_kpi(unowned)) == world.manager.pk
    corporate = KPIFactory(organisation=world.org, service=world.corporate, owner=None)
    assert owner_of(world, about_kpi(corporate)) == world.chief.pk  # Resources has no head
    leaves(world.staff)
    assert owner_of(world, about_kpi(owned)) == world.manager.pk  # its owner has left


def test_a_risk_flag_is_for_the_risks_owner_else_the_head_of_its_service(world):
    owned = RiskFactory(organisation=world.org, service=world.service, owner=world.peer)
    assert owner_of(world, about_risk(owned)) == world.peer.pk
    unowned = RiskFactory(organisation=world.org, service=world.service, owner=None)
    assert owner_of(world, about_risk(unowned)) == world.service_head.pk
    strategic = RiskFactory(organisation=world.org, service=None, owner=world.officer)
    assert owner_of(world, about_risk(strategic)) == world.officer.pk
    leaves(world.peer)
    assert owner_of(world, about_risk(owned)) == world.service_head.pk


def test_a_service_flag_is_for_its_head_or_the_nearest_head_above(world):
    assert owner_of(world, about_service(world.service)) == world.service_head.pk
    assert owner_of(world, about_service(world.directorate, FlagKind.SUPERVISION_OVERDUE)) == world.head.pk
    assert owner_of(world, about_service(world.team, FlagKind.SKILLS_GAP)) == world.manager.pk
    assert owner_of(world, about_service(world.other_team)) == world.service_head.pk  # Lettings: no head
    assert owner_of(world, about_service(world.corporate)) == world.chief.pk  # Resources: no head
    leaves(world.service_head)
    assert owner_of(world, about_service(world.service)) == world.head.pk  # its head has left


def test_an_owner_the_rule_named_is_kept(world):
    # The goal rules name the line manager of a team's objectives themselves.
    assert owner_of(world, about_service(world.team, owner_id=world.head.pk)) == world.head.pk


def test_assigning_owners_takes_the_same_queries_for_3_flags_as_for_300(world):
    def count(n):
        candidates = [about_person(world.staff), about_kpi(kpi), about_risk(risk)] * (n // 3)
        with CaptureQueriesContext(connection) as queries:
            named = assign_owners(world.org, candidates)
        assert [c.owner_id for c in named[:3]] == [world.manager.pk, world.peer.pk, world.head.pk]
        return len(queries.captured_queries)

    kpi = KPIFactory(organisation=world.org, service=world.team, owner=world.peer)
    risk = RiskFactory(organisation=world.org, service=world.directorate, owner=world.head)
    # The people, the services, the KPIs' owners, the risks' owners.
    assert count(3) == count(300) == 4


# --- escalation -------------------------------------------------------------------------


def test_the_review_periods():
    assert kinds.Kind.__dataclass_fields__["review_days"].default == 28
    assert {k.code: k.review_days for k in kinds.KINDS if k.review_days != 28} == {
        "interim_contract_ending": 7
    }


def waiting(world, owner, age, now=None, **kw) -> Flag:
    """An open flag for ``owner``, opened ``age`` before ``now``."""
    values = {"organisation": world.org, "service": world.team, "owner": owner}
    return FlagFactory(**{**values, **kw, "opened_at": (now or clock.now()) - age})


def last_change(flag):
    return flag.history.order_by("history_id").last()


def test_a_flag_nobody_acted_on_escalates_once_to_the_owners_line_manager(world):
    now = clock.now()
    due = waiting(world, world.manager, timedelta(days=28), now)
    not_yet = waiting(world, world.manager, timedelta(days=28) - timedelta(seconds=1), now)
    assert escalate(world.org, now) == 1
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.escalated_to, due.escalated_at) == (world.service_head, now)
    assert due.owner == world.manager  # still the owner's; Sam acts on it too
    assert last_change(due).history_change_reason == "Escalated: not acted on within 28 days"
    assert last_change(due).escalated_to_id == world.service_head.pk
    assert not_yet.escalated_to is None and not_yet.escalated_at is None
    assert due in Flag.objects.actionable_by(Viewer(world.service_head))

    # Not twice: a day later only the other one is due, and the first keeps its date.
    later = now + timedelta(days=1)
    assert escalate(world.org, later) == 1
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.escalated_to, due.escalated_at) == (world.service_head, now)
    assert (not_yet.escalated_to, not_yet.escalated_at) == (world.service_head, later)
    assert escalate(world.org, later + timedelta(days=60)) == 0
    assert due.history.filter(history_change_reason__startswith="Escalated").count() == 1


def test_an_interim_contract_ending_escalates_after_a_week(world):
    now = clock.now()
    ending = personal_flag(world.interim, opened_at=now - timedelta(days=7) + timedelta(minutes=1))
    assert ending.owner == world.service_head
    assert escalate(world.org, now) == 0
    assert escalate(world.org, now + timedelta(minutes=1)) == 1
    ending.refresh_from_db()
    assert ending.escalated_to == world.head
    assert last_change(ending).history_change_reason == "Escalated: not acted on within 7 days"


def test_a_flag_someone_acted_on_is_not_escalated(world):
    old = timedelta(days=60)
    acknowledged = waiting(world, world.manager, old)
    flag_acknowledge(flag=acknowledged, by=world.manager, note="Booked for Monday")
    dismissed = waiting(world, world.manager, old)
    flag_dismiss(flag=dismissed, by=world.manager, reason="Covered by the restructure")
    waiting(world, world.manager, old, resolved_at=clock.now() - timedelta(days=1))
    assert escalate(world.org, clock.now()) == 0
    assert not Flag.objects.filter(escalated_to__isnull=False).exists()


def test_escalation_without_a_line_manager_goes_to_the_head_above_and_never_to_the_person(world):
    now = clock.now()
    old = timedelta(days=30)
    # Sol owns a KPI's flag and has no line manager: the head of the Options Team.
    no_line_manager(world.staff)
    kpi_flag = waiting(world, world.staff, old, kind=FlagKind.KPI_RED)
    # Cara, at the top, has no one to escalate to.
    top = waiting(world, world.chief, old, service=world.root)
    # A flag about Sam, who sits in the Options Team without a line manager: Mo, the
    # team's head, acts on it; Mo's own manager is Sam, so it stays with Mo.
    Employee.objects.filter(pk=world.service_head.pk).update(service=world.team, line_manager=None)
    about_sam = personal_flag(world.service_head, owner=world.manager, opened_at=now - old)
    assert escalate(world.org, now) == 1
    for f in (kpi_flag, top, about_sam):
        f.refresh_from_db()
    assert kpi_flag.escalated_to == world.manager
    assert top.escalated_to is None and about_sam.escalated_to is None


# --- through the run ----------------------------------------------------------------------

PRODUCE: list[FlagCandidate] = []


def fake_step(ctx) -> list[FlagCandidate]:
    return list(PRODUCE)


@pytest.fixture
def only_fake_step(monkeypatch):
    monkeypatch.setattr(recompute, "STEPS", [fake_step])
    PRODUCE.clear()
    yield PRODUCE
    PRODUCE.clear()


def test_a_run_names_owners_escalates_and_a_reopened_flag_starts_again(world, only_fake_step):
    only_fake_step[:] = [about_person(world.staff), about_service(world.other_team)]
    run = run_recompute(world.org)
    assert run.counts["flags"]["opened"] == 2 and run.counts["flags"]["escalated"] == 0
    personal = Flag.objects.get(employee=world.staff)
    service = Flag.objects.get(subject_type=SubjectType.SERVICE)
    assert (personal.owner, service.owner) == (world.manager, world.service_head)

    # Four weeks pass with nobody acting: the next run escalates both, once.
    Flag.objects.update(opened_at=clock.now() - timedelta(days=28))
    assert run_recompute(world.org).counts["flags"]["escalated"] == 2
    personal.refresh_from_db()
    service.refresh_from_db()
    assert (personal.escalated_to, service.escalated_to) == (world.service_head, world.head)
    assert run_recompute(world.org).counts["flags"]["escalated"] == 0

    # Sol's session is held (the flag resolves), then lapses again: a new episode,
    # no longer escalated, with four weeks from now before it is.
    only_fake_step[:] = [about_service(world.other_team)]
    run_recompute(world.org)
    only_fake_step[:] = [about_person(world.staff), about_service(world.other_team)]
    counts = run_recompute(world.org).counts["flags"]
    assert counts["reopened"] == 1 and counts["escalated"] == 0
    personal.refresh_from_db()
    assert personal.state == "new" and personal.escalated_to is None and personal.escalated_at is None
    assert last_change(personal).history_change_reason == "Reopened: the condition came back"
    service.refresh_from_db()
    assert service.escalated_to == world.head  # still open: its escalation stands


def test_a_run_moves_a_flag_to_its_new_owner(world, only_fake_step):
    only_fake_step[:] = [about_person(world.staff)]
    run_recompute(world.org)
    Employee.objects.filter(pk=world.staff.pk).update(line_manager=world.service_head)
    assert run_recompute(world.org).counts["flags"]["refreshed"] == 1
    assert Flag.objects.get(employee=world.staff).owner == world.service_head


def test_a_runs_query_count_does_not_grow_with_the_flags_it_names_and_escalates(world):
    """Every registered step, over a few people and risks and over many: the run that
    names owners and escalates every flag costs the same number of queries."""
    today = clock.today()

    def grow(n):
        for _ in range(n):
            person = EmployeeFactory(  # never seen: feedback overdue
                organisation=world.org, service=world.team, line_manager=world.manager
            )
            RiskFactory(organisation=world.org, service=world.service, owner=person, residual_likelihood=5)

    def escalating_run() -> tuple[int, int]:
        run_recompute(world.org, today=today)  # opens the new ones
        Flag.objects.filter(escalated_at__isnull=True).update(opened_at=clock.now() - timedelta(days=60))
        with CaptureQueriesContext(connection) as queries:
            run = run_recompute(world.org, today=today)
        return len(queries.captured_queries), run.counts["flags"]["escalated"]

    for e in world.org.employees.all():
        FeedbackSessionFactory(employee=e, held_on=today - timedelta(days=1))
    grow(3)
    small, escalated_small = escalating_run()
    grow(60)
    large, escalated_large = escalating_run()
    assert escalated_small >= 6 and escalated_large >= 120  # each new person's flag and risk's
    assert Flag.objects.filter(owner__isnull=True).count() == 0
    assert large == small
