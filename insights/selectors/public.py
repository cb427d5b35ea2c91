"""The public performance page's shape: an organisation's published measures
grouped by the priority each serves and then by service, with a headline
measure for each priority.

A measure's priority comes from the organisation's shared goals (organisation
priorities, service and team goals; never an individual objective, which is
about a person, nor a draft or dropped goal):

1. a goal that names the measure as its KPI, the highest level first, and that
   goal's priority (the organisation priority it supports, through its parents);
   such a measure is one its priority is judged by, so the first of them (by
   service and code) is the priority's headline measure;
2. otherwise the priority that the goals of the measure's service support;
3. otherwise that of the goals of the service above it;
4. otherwise none: the measure is listed last, under "Measures not linked to a
   priority" (or "Measures by service" when no measure is linked to one).

Only the priorities' titles reach the page, never another goal's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from appraisals.models import Goal, GoalLevel, GoalStatus
from organisations.models import Organisation, Service
from organisations.rules import kpis as kpi_rules
from organisations.selectors.kpis import ScorecardRow

UNLINKED_MEASURES = "Measures not linked to a priority"
ALL_MEASURES = "Measures by service"  # the heading when no measure is linked to a priority

_SHARED_LEVELS = (GoalLevel.ORGANISATION, GoalLevel.SERVICE, GoalLevel.TEAM)
_LEVEL_RANK = {GoalLevel.ORGANISATION: 0, GoalLevel.SERVICE: 1, GoalLevel.TEAM: 2}


class _Goal(NamedTuple):
    pk: int
    level: str
    parent_id: int | None
    service_id: int | None
    kpi_id: int | None
    title: str


@dataclass
class ServiceMeasures:
    service: Service
    rows: list[ScorecardRow] = field(default_factory=list)


@dataclass
class PriorityMeasures:
    title: str
    anchor: str
    services: list[ServiceMeasures] = field(default_factory=list)
    headline: ScorecardRow | None = None
    headline_trend: list = field(default_factory=list)  # its TrendPoints, for a caller that draws it

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for group in self.services for row in group.rows]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in kpi_rules.SHOWN_STATUSES}  # "no result" included
        for row in self.rows:
            counts[row.status] += 1
        return counts


def _shared_goals(organisation: Organisation) -> list[_Goal]:
    """The organisation's shared goals, priorities in the order the dashboards
    list them (soonest due first). One query."""
    return [
        _Goal(*values)
        for values in Goal.objects.filter(organisation=organisation, level__in=_SHARED_LEVELS)
        .exclude(status__in=(GoalStatus.DRAFT, GoalStatus.DROPPED))
        .order_by("due_date", "title", "pk")
        .values_list("pk", "level", "parent_id", "service_id", "kpi_id", "title")
    ]


class _Priorities:
    """Which priority a goal, a measure or a service serves, from the goals in memory."""

    def __init__(self, goals: list[_Goal]):
        self.goals = {g.pk: g for g in goals}
        self.by_kpi: dict[int, list[_Goal]] = {}
        self.by_service: dict[int, list[_Goal]] = {}
        for goal in sorted(goals, key=lambda g: _LEVEL_RANK[g.level]):  # stable: due date within a level
            if goal.kpi_id:
                self.by_kpi.setdefault(goal.kpi_id, []).append(goal)
            if goal.service_id:
                self.by_service.setdefault(goal.service_id, []).append(goal)

    def of_goal(self, goal: _Goal) -> int | None:
        seen: set[int] = set()
        while goal.pk not in seen:
            if goal.level == GoalLevel.ORGANISATION:
                return goal.pk
            seen.add(goal.pk)
            parent = self.goals.get(goal.parent_id)
            if parent is None:
                return None  # supports nothing, or a goal left out (a draft, dropped)
            goal = parent
        return None

    def first(self, goals: list[_Goal]) -> int | None:
        return next((p for p in map(self.of_goal, goals) if p is not None), None)

    def of_row(self, row: ScorecardRow) -> tuple[int | None, bool]:
        """(the measure's priority, whether a goal of that priority names it)."""
        named = self.first(self.by_kpi.get(row.kpi.pk, []))
        if named is not None:
            return named, True
        service = row.kpi.service
        for service_id in (service.pk, service.parent_id):
            found = self.first(self.by_service.get(service_id, [])) if service_id else None
            if found is not None:
                return found, False
        return None, False


def measures_by_priority(organisation: Organisation, rows: list[ScorecardRow]) -> list[PriorityMeasures]:
    """The scorecard rows (ordered by service name and code, as ``public_kpis``
    gives them) grouped by priority, in the priorities' order, then by service;
    the measures linked to none last. Priorities without a published measure are
    left out.
    One query (the shared goals); the rows' KPIs must have their service loaded."""
    goals = _shared_goals(organisation)
    priorities = _Priorities(goals)
    groups: dict[int | None, PriorityMeasures] = {
        g.pk: PriorityMeasures(g.title, f"priority-{g.pk}")
        for g in goals
        if g.level == GoalLevel.ORGANISATION
    }
    groups[None] = PriorityMeasures(UNLINKED_MEASURES, "unlinked-measures")
    by_service: dict[tuple[int | None, int], ServiceMeasures] = {}
    for row in rows:
        priority, named = priorities.of_row(row)
        group = groups[priority]
        key = (priority, row.kpi.service_id)
        if key not in by_service:
            by_service[key] = ServiceMeasures(row.kpi.service)
            group.services.append(by_service[key])
        by_service[key].rows.append(row)
        if named and group.headline is None:
            group.headline = row
    shown = [group for group in groups.values() if group.services]
    if len(shown) == 1 and shown[0] is groups[None]:
        shown[0].title = ALL_MEASURES
    return shown
