"""factory-boy factories for goals, and the goals added to the test world."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import factory

from appraisals.models import Goal, GoalCheckIn, GoalLevel, GoalStatus


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    level = GoalLevel.INDIVIDUAL
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation if o.owner else None)
    service = factory.LazyAttribute(lambda o: o.owner.service if o.owner else None)
    owner = None
    title = factory.Sequence(lambda n: f"Goal {n}")
    start_date = date(2026, 4, 1)
    due_date = date(2027, 3, 31)
    status = GoalStatus.ON_TRACK
    progress = 0
    weight = Decimal("1.00")


class GoalCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalCheckIn

    goal = factory.SubFactory(GoalFactory)
    date = date(2026, 6, 1)
    progress = 20
    status = GoalStatus.ON_TRACK


def goals_of(world) -> SimpleNamespace:
    """A golden thread in the test world, made once per world: an organisation
    priority > a service goal (Housing Options) > a team goal (Options Team) >
    staff's objective; a draft of staff's awaiting agreement; peer's objective;
    and in the other organisation a priority and outsider's objective and draft."""
    cached = getattr(world, "_goals", None)
    if cached is not None:
        return cached
    w = world
    priority = GoalFactory(
        organisation=w.org, level=GoalLevel.ORGANISATION, title="Every resident has a safe home"
    )
    service_goal = GoalFactory(
        organisation=w.org,
        level=GoalLevel.SERVICE,
        service=w.service,
        parent=priority,
        title="Prevent more homelessness",
    )
    team_goal = GoalFactory(
        organisation=w.org,
        level=GoalLevel.TEAM,
        service=w.team,
        parent=service_goal,
        title="Decide applications within 10 days",
    )
    staff_goal = GoalFactory(owner=w.staff, parent=team_goal, title="Clear my backlog", progress=40)
    staff_draft = GoalFactory(
        owner=w.staff, parent=team_goal, title="Learn the new system", status=GoalStatus.DRAFT
    )
    peer_goal = GoalFactory(owner=w.peer, parent=team_goal, title="Peer's private objective", progress=60)
    other_priority = GoalFactory(
        organisation=w.other_org, level=GoalLevel.ORGANISATION, title="Riverside priority"
    )
    outsider_goal = GoalFactory(owner=w.outsider, parent=other_priority, title="Outsider objective")
    outsider_draft = GoalFactory(owner=w.outsider, title="Outsider draft", status=GoalStatus.DRAFT)
    world._goals = SimpleNamespace(
        priority=priority,
        service_goal=service_goal,
        team_goal=team_goal,
        staff_goal=staff_goal,
        staff_draft=staff_draft,
        peer_goal=peer_goal,
        other_priority=other_priority,
        outsider_goal=outsider_goal,
        outsider_draft=outsider_draft,
    )
    return world._goals
