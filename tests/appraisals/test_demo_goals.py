"""The demo goals: a golden thread for every person, realistic statuses,
consistent roll-up, the personas' goals, KPIs when the KPI step has run."""

from collections import Counter, defaultdict
from datetime import date

import pytest
from django.db import transaction
from django.db.models import F

from appraisals.models import Goal, GoalCheckIn, GoalLevel, GoalStatus
from appraisals.services.goals import weighted_progress
from demo import goals as demo_goals
from demo.structure import delete_demo, seed_structure
from organisations.models import KPI, Employee, Service, ServiceKind

TODAY = date(2026, 11, 20)


def seeded(employees=150, seed=3, with_kpis=False):
    with transaction.atomic():
        ctx = seed_structure(seed=seed, employees=employees, password="pw", today=TODAY)
        if with_kpis:
            by_name = {s.name: s for s in ctx.services if s.organisation_id == ctx.organisation.pk}
            prevention = KPI.objects.create(
                organisation=ctx.organisation,
                service=by_name["Housing Options"],
                code="HOU-01",
                name="Prevention",
            )
            other = KPI.objects.create(
                organisation=ctx.organisation,
                service=by_name["Waste and Recycling"],
                code="ENV-01",
                name="Recycling",
            )
            ctx.extra["kpis"] = [prevention, other]
            ctx.extra["kpi_homelessness_prevention"] = prevention
        demo_goals.seed(ctx)
    return ctx


@pytest.mark.django_db
def test_every_person_has_a_golden_thread():
    ctx = seeded()
    org = ctx.organisation
    goals = Goal.objects.filter(organisation=org)
    levels = Counter(goals.values_list("level", flat=True))
    assert levels[GoalLevel.ORGANISATION] == 5
    assert set(goals.filter(level=GoalLevel.ORGANISATION).values_list("title", flat=True)) == {
        t for t, _ in demo_goals.COUNCIL_PRIORITIES
    }
    teams = Service.objects.filter(organisation=org, kind=ServiceKind.TEAM)
    assert set(goals.filter(level=GoalLevel.TEAM).values_list("service_id", flat=True)) == set(
        teams.values_list("pk", flat=True)
    )
    assert not goals.filter(level=GoalLevel.SERVICE, parent=None).exists()
    assert not goals.filter(level=GoalLevel.TEAM, parent=None).exists()
    per_person = Counter(
        goals.filter(level=GoalLevel.INDIVIDUAL)
        .exclude(status=GoalStatus.DRAFT)
        .values_list("owner_id", flat=True)
    )
    people = Employee.objects.filter(organisation=org)
    assert set(per_person) == set(people.values_list("pk", flat=True))
    assert min(per_person.values()) >= 2 and max(per_person.values()) <= 5
    # Team members' aligned objectives support their own team's goal.
    member = goals.filter(
        level=GoalLevel.INDIVIDUAL, owner__service__kind=ServiceKind.TEAM, parent__isnull=False
    )
    assert not member.exclude(parent__service_id=F("owner__service_id")).exists()
    # Every chain reaches a priority.
    for goal in goals.filter(level=GoalLevel.INDIVIDUAL, parent__isnull=False)[:200]:
        node = goal
        while node.parent_id:
            node = node.parent
        assert node.level == GoalLevel.ORGANISATION
    # Some personal objectives support nothing: the alignment view lists them.
    assert goals.filter(level=GoalLevel.INDIVIDUAL, parent=None).exists()


@pytest.mark.django_db
def test_statuses_check_ins_and_roll_up_are_realistic():
    ctx = seeded()
    goals = Goal.objects.filter(organisation=ctx.organisation)
    statuses = Counter(goals.filter(level=GoalLevel.INDIVIDUAL).values_list("status", flat=True))
    for status in (GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.OFF_TRACK, GoalStatus.ACHIEVED):
        assert statuses[status] > 0, status
    assert (
        goals.filter(due_date__lt=TODAY)
        .exclude(status__in=[GoalStatus.ACHIEVED, GoalStatus.DROPPED])
        .exists()
    )
    check_ins = GoalCheckIn.objects.filter(goal__organisation=ctx.organisation)
    assert check_ins.count() >= goals.count() * 2
    assert not check_ins.filter(date__gt=TODAY).exists()
    assert not GoalCheckIn.objects.filter(goal__status__in=[GoalStatus.DRAFT, GoalStatus.AGREED]).exists()
    # The latest check-in is the goal's state.
    latest = {}
    for goal_id, progress, status in check_ins.order_by("goal_id", "date", "pk").values_list(
        "goal_id", "progress", "status"
    ):
        latest[goal_id] = (progress, status)
    for goal in goals.filter(pk__in=list(latest)[:300]):
        assert latest[goal.pk] == (goal.progress, goal.status)
    # Shared goals' progress is the weighted mean of their live children.
    children = defaultdict(list)
    for parent_id, progress, weight, status in goals.exclude(parent=None).values_list(
        "parent_id", "progress", "weight", "status"
    ):
        if status != GoalStatus.DROPPED:
            children[parent_id].append((progress, weight))
    for goal in goals.exclude(level=GoalLevel.INDIVIDUAL):
        if children[goal.pk]:
            assert goal.progress == weighted_progress(children[goal.pk]), goal


@pytest.mark.django_db
def test_personas_goals():
    ctx = seeded(with_kpis=True)
    staff, manager = ctx.personas["demo-staff"], ctx.personas["demo-manager"]
    goal = Goal.objects.get(
        owner=staff, title="Process housing applications within the 10-working-day target"
    )
    assert goal.parent.level == GoalLevel.TEAM and goal.parent.service.name == "Housing Options Team"
    assert goal.parent.parent.level == GoalLevel.SERVICE
    assert goal.parent.parent.parent.title == "Every resident has a safe, secure home"
    assert goal.kpi == ctx.extra["kpi_homelessness_prevention"]
    assert goal.status not in (GoalStatus.DRAFT, GoalStatus.DROPPED) and goal.check_ins.exists()
    drafts = Goal.objects.filter(owner__line_manager=manager, status=GoalStatus.DRAFT)
    assert drafts.count() == min(3, Employee.objects.filter(line_manager=manager).count()) > 0
    # KPIs reach goals of their service and the teams below it.
    assert Goal.objects.filter(kpi__code="HOU-01", level=GoalLevel.TEAM).exists()
    assert Goal.objects.filter(kpi__code="HOU-01", level=GoalLevel.INDIVIDUAL).count() > 1


@pytest.mark.django_db
def test_without_kpis_nothing_is_linked_and_other_organisation_has_goals():
    ctx = seeded()
    assert not Goal.objects.exclude(kpi=None).exists()
    other = Goal.objects.filter(organisation=ctx.other_organisation)
    assert other.filter(level=GoalLevel.ORGANISATION).count() == 2
    assert not other.filter(parent__organisation=ctx.organisation).exists()


@pytest.mark.django_db
def test_deterministic():
    def snapshot():
        return sorted(
            Goal.objects.values_list("title", "level", "status", "progress", "due_date", "owner__last_name")
        ), GoalCheckIn.objects.count()

    seeded(seed=9)
    first = snapshot()
    delete_demo()
    assert not Goal.objects.exists()
    seeded(seed=9)
    assert snapshot() == first
