"""Reads for the goals pages, each in a fixed number of queries.

The chain a goal supports ("Team goal > Service goal > Organisation priority")
comes from one recursive query over the goals a page shows, never a query per
goal; the alignment tree loads the organisation's shared goals in one query and
counts their supporters in another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from appraisals.models import FeedbackSession, Goal, GoalLevel, GoalStatus, SessionState
from appraisals.models.goals import LEVEL_RANK, OPEN_STATUSES, goals_visible_q
from appraisals.rules.goal_focus import reason_to_discuss
from organisations.access import Viewer, visible
from organisations.models import Employee, Service

# Order goals are shown in: open first, then finished.
STATUS_ORDER = {
    GoalStatus.DRAFT: 0,
    GoalStatus.OFF_TRACK: 1,
    GoalStatus.AT_RISK: 2,
    GoalStatus.AGREED: 3,
    GoalStatus.ON_TRACK: 4,
    GoalStatus.ACHIEVED: 5,
    GoalStatus.DROPPED: 6,
}


# --- the chain upward ---------------------------------------------------------------


def ancestors_of(goals: QuerySet[Goal]) -> dict[int, Goal]:
    """Every goal that any goal in ``goals`` supports, directly or further up,
    by id: one query (a recursive common table expression over the parent links;
    UNION stops at a loop)."""
    start_sql, params = goals.order_by().values("parent_id").query.sql_with_params()
    table = Goal._meta.db_table
    sql = f"""
        WITH RECURSIVE up(id) AS (
            SELECT s.parent_id FROM ({start_sql}) s WHERE s.parent_id IS NOT NULL
            UNION
            SELECT g.parent_id FROM {table} g JOIN up ON g.id = up.id WHERE g.parent_id IS NOT NULL
        )
        SELECT id FROM up
    """  # noqa: S608 (table name from the model; values are parameters)
    return {g.pk: g for g in Goal.objects.filter(pk__in=RawSQL(sql, params)).select_related("kpi", "owner")}


def chain_for(goal: Goal, ancestors: dict[int, Goal]) -> list[Goal]:
    """The goals ``goal`` supports, nearest first, from already-loaded ancestors."""
    chain: list[Goal] = []
    seen = {goal.pk}
    node = ancestors.get(goal.parent_id) if goal.parent_id else None
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = ancestors.get(node.parent_id) if node.parent_id else None
    return chain


def attach_chains(goals: list[Goal], ancestors: dict[int, Goal]) -> list[Goal]:
    """Set ``goal.chain`` (the goals it supports, nearest first) and
    ``goal.chain_kpi`` (its own KPI, else the nearest one up its chain)."""
    for goal in goals:
        goal.chain = chain_for(goal, ancestors)
        goal.chain_kpi = goal.kpi if goal.kpi_id else next((g.kpi for g in goal.chain if g.kpi_id), None)
    return goals


def sort_goals(goals: list[Goal]) -> list[Goal]:
    return sorted(goals, key=lambda g: (STATUS_ORDER.get(g.status, 9), g.due_date, g.title))


# --- pages -------------------------------------------------------------------------


def goals_with_chains(queryset: QuerySet[Goal]) -> list[Goal]:
    """The goals with their KPI, last check-in date and chain: two queries."""
    goals = list(queryset.select_related("kpi").annotate(last_check_in=Max("check_ins__date")))
    return sort_goals(attach_chains(goals, ancestors_of(queryset)))


def my_goals(employee: Employee) -> list[Goal]:
    return goals_with_chains(Goal.objects.filter(owner=employee))


@dataclass
class PersonGoals:
    person: Employee
    goals: list[Goal] = field(default_factory=list)


def team_goals(viewer: Viewer) -> tuple[list[Goal], list[PersonGoals]]:
    """Drafts awaiting agreement from anyone below the viewer, and the goals of
    each direct report: four queries."""
    drafts = list(
        Goal.objects.filter(
            organisation=viewer.organisation,
            level=GoalLevel.INDIVIDUAL,
            status=GoalStatus.DRAFT,
            owner_id__in=viewer.reports_subquery(),
            owner__active=True,
        )
        .select_related("owner", "parent", "kpi")
        .order_by("created_at", "pk")
    )
    reports = list(
        Employee.objects.filter(line_manager=viewer.employee, active=True)
        .select_related("job_role")
        .order_by("last_name", "first_name")
    )
    goals = goals_with_chains(
        Goal.objects.filter(owner__line_manager=viewer.employee, owner__active=True).exclude(
            status=GoalStatus.DRAFT
        )
    )
    by_owner: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_owner[goal.owner_id].append(goal)
    return drafts, [PersonGoals(person=p, goals=by_owner.get(p.pk, [])) for p in reports]


def goal_children(viewer: Viewer, goal: Goal) -> tuple[list[Goal], dict[str, int], int]:
    """The goals supporting ``goal`` that the viewer may see, the status counts of
    all its supporters, and how many of them the viewer may not see."""
    children = goal.children.all()
    visible = list(
        children.filter(goals_visible_q(viewer)).select_related("owner").order_by("level", "title")
    )
    counts = dict(children.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    hidden = sum(counts.values()) - len(visible)
    return visible, counts, hidden


# --- alignment --------------------------------------------------------------------


@dataclass
class StatusCount:
    status: str
    label: str
    n: int


@dataclass
class AlignmentNode:
    goal: Goal
    children: list[AlignmentNode] = field(default_factory=list)
    supporters: int = 0
    individual_supporters: int = 0
    status_counts: list[StatusCount] = field(default_factory=list)


@dataclass
class Alignment:
    roots: list[AlignmentNode]
    unaligned_shared: list[Goal]
    unaligned_individual: list[Goal]
    unaligned_individual_total: int
    service: Service | None
    totals: dict[str, int]


UNALIGNED_SHOWN = 50


def default_alignment_service(viewer: Viewer) -> Service | None:
    """Heads of service start at the highest service they head; those who see the
    whole organisation start with all of it."""
    if viewer.sees_whole_organisation or not viewer.headed_services:
        return None
    return min(viewer.headed_services, key=lambda s: (_depth(s, viewer), s.name))


def _depth(service: Service, viewer: Viewer) -> int:
    by_id = viewer.tree.by_id
    depth, node, seen = 0, service, set()
    while node is not None and node.parent_id and node.pk not in seen:
        seen.add(node.pk)
        node = by_id.get(node.parent_id)
        depth += 1
    return depth


def services_in_tree_order(viewer: Viewer) -> list[tuple[Service, int]]:
    """Every service of the organisation with its depth, parents before children."""
    children: dict[int | None, list[Service]] = defaultdict(list)
    for s in viewer.tree.services:
        children[s.parent_id].append(s)
    out: list[tuple[Service, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for s in sorted(children.get(parent_id, []), key=lambda s: s.name):
            out.append((s, depth))
            walk(s.pk, depth + 1)

    walk(None, 0)
    return out


def alignment(viewer: Viewer, service: Service | None) -> Alignment:
    """The tree of organisation, service and team goals with, for each, how many
    goals support it and their statuses; and the goals that support nothing.
    Limited to a service's subtree (and the goals above it) when one is given.

    Queries: shared goals (1), supporter counts (1), unaligned individual
    objectives the viewer may see and their count (2): four, whatever the size."""
    scope_ids = viewer.service_subtree_ids(service) if service is not None else None
    shared = list(
        Goal.objects.filter(organisation=viewer.organisation)
        .exclude(level=GoalLevel.INDIVIDUAL)
        .select_related("kpi", "service")
    )
    by_id = {g.pk: g for g in shared}
    if scope_ids is not None:
        in_scope = {g.pk for g in shared if g.service_id in scope_ids}
        keep = set(in_scope)
        for pk in in_scope:  # and what they support, for context
            node = by_id[pk]
            while node.parent_id and node.parent_id in by_id and node.parent_id not in keep:
                keep.add(node.parent_id)
                node = by_id[node.parent_id]
        shared = [g for g in shared if g.pk in keep]
        by_id = {g.pk: g for g in shared}

    supporters = Goal.objects.filter(organisation=viewer.organisation, parent_id__in=list(by_id))
    if scope_ids is not None:
        supporters = supporters.filter(
            Q(service_id__in=scope_ids) | Q(level=GoalLevel.INDIVIDUAL, owner__service_id__in=scope_ids)
        )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    individual_counts: dict[int, int] = defaultdict(int)
    for parent_id, status, level, n in (
        supporters.values("parent_id", "status", "level")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "status", "level", "n")
        .order_by()
    ):
        counts[parent_id][status] = counts[parent_id].get(status, 0) + n
        if level == GoalLevel.INDIVIDUAL:
            individual_counts[parent_id] += n

    labels = dict(GoalStatus.choices)
    nodes = {
        g.pk: AlignmentNode(
            goal=g,
            supporters=sum(counts[g.pk].values()),
            individual_supporters=individual_counts[g.pk],
            status_counts=[
                StatusCount(status=s, label=labels[s], n=counts[g.pk][s])
                for s in sorted(counts[g.pk], key=lambda s: STATUS_ORDER.get(s, 9))
            ],
        )
        for g in shared
    }
    roots: list[AlignmentNode] = []
    unaligned_shared: list[Goal] = []
    for g in sorted(
        shared, key=lambda g: (LEVEL_RANK[g.level], g.service.name if g.service_id else "", g.title)
    ):
        node = nodes[g.pk]
        if g.parent_id and g.parent_id in nodes:
            nodes[g.parent_id].children.append(node)
        elif g.level == GoalLevel.ORGANISATION:
            roots.append(node)
        else:
            unaligned_shared.append(g)
            roots.append(node)  # shown in the tree too, at the top level

    orphans = (
        Goal.objects.filter(organisation=viewer.organisation, level=GoalLevel.INDIVIDUAL, parent__isnull=True)
        .exclude(status=GoalStatus.DROPPED)
        .filter(goals_visible_q(viewer))
    )
    if scope_ids is not None:
        orphans = orphans.filter(owner__service_id__in=scope_ids)
    orphan_total = orphans.count()
    shown = list(
        orphans.select_related("owner").order_by("owner__last_name", "owner__first_name", "title")[
            :UNALIGNED_SHOWN
        ]
    )

    open_shared = sum(1 for g in shared if g.status in OPEN_STATUSES)
    return Alignment(
        roots=roots,
        unaligned_shared=unaligned_shared,
        unaligned_individual=shown,
        unaligned_individual_total=orphan_total,
        service=service,
        totals={"shared": len(shared), "open": open_shared},
    )


# --- the log-a-session form ---------------------------------------------------------


def goals_to_update(
    viewer: Viewer, employee: Employee, *, exclude_session: FeedbackSession | None, today: date
) -> list[tuple[Goal, str]]:
    """The employee's open goals for the log-a-session form, with why each is
    shown unfolded (appraisals.rules.goal_focus; "" to fold it): those to talk
    about first, each group by due date. One query: the latest check-in (outside
    a draft session) and the last other session come with the goals."""
    earlier = FeedbackSession.objects.filter(employee=employee)
    if exclude_session is not None:
        earlier = earlier.exclude(pk=exclude_session.pk)
    settled = Q(check_ins__session__isnull=True) | ~Q(check_ins__session__state=SessionState.DRAFT)
    rows = (
        visible(Goal, viewer)
        .filter(owner=employee, status__in=OPEN_STATUSES)
        .annotate(
            last_check_in=Max("check_ins__date", filter=settled),
            last_session=Subquery(earlier.order_by("-held_on").values("held_on")[:1]),
        )
        .order_by("due_date", "pk")
    )
    goals = [
        (
            goal,
            reason_to_discuss(
                status=goal.status,
                due_date=goal.due_date,
                last_check_in=goal.last_check_in,
                last_session=goal.last_session,
                today=today,
            ),
        )
        for goal in rows
    ]
    return sorted(goals, key=lambda pair: not pair[1])
