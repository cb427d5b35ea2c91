"""What an incremental run recomputes: the part of an organisation a change can affect.

A change names what it touched (:class:`Scope`: people, services, KPIs, risks,
goals). :func:`resolve` turns that into a :class:`Slice`:

- ``services``: the services whose own figures and people are recomputed. For
  each touched service, the subtree of the highest flag unit (a ``service``)
  above or at it, since every person below a unit is judged against that unit's
  coverage; a touched service above every unit counts alone. Then every service
  above those, whose totals ("with everything below it") change with them.
- ``people``: the active people in those services.
- ``managers``: whose "objectives of my reports" flags are rebuilt: the managers
  of those people and those people themselves.

An incremental run judges only the slice, with the figures of every other
service taken from the last run (``ServiceFigures``), and writes only the flags
and skills gaps inside it (:meth:`Slice.holds`). Same rules, same code, same
results as a full run over the same data on the same day: a property test
(``tests/insights/test_incremental.py``) compares them after random edits.
A slice falls back to a full run when a service has no stored figures or they
are from another day (the nightly run refreshes them all).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from insights.models import FlagKind, SubjectType
from insights.rules.skills import ancestor_map, flag_unit_ids

PERSON_KINDS = frozenset(
    {
        FlagKind.FEEDBACK_OVERDUE,
        FlagKind.UNDERPERFORMANCE,
        FlagKind.INTERIM_CONTRACT_ENDING,
    }
)
SERVICE_KINDS = frozenset(
    {
        FlagKind.SUPERVISION_OVERDUE,
        FlagKind.INTERIM_RELIANCE,
        FlagKind.SKILLS_GAP,
        FlagKind.SINGLE_POINT_OF_FAILURE,
    }
)
GOAL_KINDS = frozenset({FlagKind.GOAL_AT_RISK, FlagKind.GOAL_OVERDUE})
KPI_KINDS = frozenset({FlagKind.KPI_RED, FlagKind.KPI_WORSENING, FlagKind.KPI_DATA_MISSING})
RISK_KINDS = frozenset({FlagKind.RISK_ABOVE_TARGET, FlagKind.RISK_REVIEW_OVERDUE})


@dataclass(frozen=True)
class Scope:
    """What a change touched, by id. An empty scope touches nothing."""

    employees: frozenset[int] = frozenset()
    services: frozenset[int] = frozenset()
    kpis: frozenset[int] = frozenset()
    risks: frozenset[int] = frozenset()
    goals: frozenset[int] = frozenset()

    FIELDS = ("employees", "services", "kpis", "risks", "goals")

    @classmethod
    def of(cls, **ids: Iterable[int | None]) -> Scope:
        return cls(
            **{name: frozenset(int(i) for i in values if i is not None) for name, values in ids.items()}
        )

    def __or__(self, other: Scope) -> Scope:
        return Scope(**{name: getattr(self, name) | getattr(other, name) for name in self.FIELDS})

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.FIELDS)

    def rows(self) -> list[tuple[str, int]]:
        """(what, id) pairs, for the pending-changes table."""
        return [(name, pk) for name in self.FIELDS for pk in sorted(getattr(self, name))]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int]]) -> Scope:
        ids: dict[str, set[int]] = {name: set() for name in cls.FIELDS}
        for what, pk in rows:
            if what in ids:
                ids[what].add(pk)
        return cls.of(**ids)


@dataclass
class Slice:
    scope: Scope
    services: frozenset[int]
    people: frozenset[int] = frozenset()
    managers: frozenset[int] = frozenset()
    goal_owners: frozenset[int] = field(default_factory=frozenset)

    def holds(self, kind: str, subject_type: str, subject_id: int, service_id: int | None) -> bool:
        """Whether a flag (stored or a candidate) is this slice's to write."""
        if kind in KPI_KINDS:
            return subject_id in self.scope.kpis
        if kind in RISK_KINDS:
            return subject_id in self.scope.risks
        if kind in SERVICE_KINDS:
            return subject_id in self.services
        if kind in GOAL_KINDS:
            if subject_type == SubjectType.EMPLOYEE:  # a manager's "objectives of my reports"
                return subject_id in self.managers
            return service_id in self.services or subject_id in self.scope.goals
        if kind in PERSON_KINDS:
            return service_id in self.services or subject_id in self.scope.employees
        return False  # a kind this module does not know: never touched by a slice

    def flags_q(self) -> Q:
        """:meth:`holds` as a filter on stored flags."""
        scope = self.scope
        return (
            Q(kind__in=KPI_KINDS, subject_id__in=scope.kpis)
            | Q(kind__in=RISK_KINDS, subject_id__in=scope.risks)
            | Q(kind__in=SERVICE_KINDS, subject_id__in=self.services)
            | Q(kind__in=GOAL_KINDS, subject_type=SubjectType.EMPLOYEE, subject_id__in=self.managers)
            | (
                Q(kind__in=GOAL_KINDS)
                & ~Q(subject_type=SubjectType.EMPLOYEE)
                & (Q(service_id__in=self.services) | Q(subject_id__in=scope.goals))
            )
            | (
                Q(kind__in=PERSON_KINDS)
                & (Q(service_id__in=self.services) | Q(subject_id__in=scope.employees))
            )
        )


def resolve(scope: Scope, services: list[dict], touched_services: Iterable[int]) -> Slice:
    """The slice for a scope. ``services``: the organisation's (pk, parent_id, kind);
    ``touched_services``: the services of the touched people and goals, and the
    touched services themselves."""
    parents = {s["pk"]: s["parent_id"] for s in services}
    ancestors = ancestor_map(parents.items())
    units = flag_unit_ids((s["pk"], s["kind"]) for s in services)
    children: dict[int, list[int]] = {}
    for pk, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(pk)

    chosen: set[int] = set()
    for sid in touched_services:
        if sid not in ancestors:
            continue
        chain = ancestors[sid]
        top_unit = next((a for a in reversed(chain) if a in units), None)
        if top_unit is None:
            chosen.add(sid)
        else:
            stack = [top_unit]
            while stack:
                node = stack.pop()
                if node not in chosen:
                    chosen.add(node)
                    stack.extend(children.get(node, ()))
    above = {a for sid in list(chosen) for a in ancestors[sid]}
    return Slice(scope=scope, services=frozenset(chosen | above))


def has_people(ctx) -> bool:
    """Whether the run judges any service's people (a full run, or a slice with services)."""
    return ctx.slice is None or bool(ctx.slice.services)


def sliced(ctx, queryset, service_field: str):
    """``queryset`` limited to the run's slice by ``service_field`` (unchanged in a full run)."""
    if ctx.slice is None:
        return queryset
    return queryset.filter(**{f"{service_field}__in": ctx.slice.services})


def in_slice(ctx, service_id: int | None) -> bool:
    """Whether a service's aggregate flags are this run's to judge (every one in a full run)."""
    return ctx.slice is None or service_id in ctx.slice.services


def slice_for(ctx, scope: Scope | None) -> Slice | None:
    """The run's slice for ``scope``, or None for a full run: no scope, or a service
    without figures stored today (a new service, a new day: the first run after
    midnight is a full one). Two queries (the stored figures, the touched goals'
    services), with the run's shared services and people."""
    from appraisals.models import Goal
    from insights.models import ServiceFigures
    from insights.rules.workforce import service_rows
    from insights.services.flag_owners import Owners

    if scope is None:
        return None
    services = service_rows(ctx)
    as_of = dict(
        ServiceFigures.objects.filter(organisation=ctx.organisation).values_list("service_id", "as_of")
    )
    if any(as_of.get(s["pk"]) != ctx.today for s in services):
        return None
    owners = Owners.of(ctx)
    touched = set(scope.services) | {owners.service_of(pk) for pk in scope.employees}
    if scope.goals:
        for service_id, owner_service_id in Goal.objects.filter(
            organisation=ctx.organisation, pk__in=scope.goals
        ).values_list("service_id", "owner__service_id"):
            touched |= {service_id, owner_service_id}
    found = resolve(scope, services, touched - {None})
    people = frozenset(
        pk for pk, (_, service_id, active) in owners.people.items() if active and service_id in found.services
    )
    managers = {owners.manager_of(pk) for pk in people | scope.employees} | people | scope.employees
    managers.discard(None)
    found.people = people
    found.managers = frozenset(managers)
    # Whose objectives count towards those managers' flags: their reports, and anyone
    # whose line manager is missing or has left (their manager is then a head).
    found.goal_owners = frozenset(
        pk
        for pk, (manager_id, _, _) in owners.people.items()
        if (manager_id in managers or manager_id is None or manager_id == pk or not owners.active(manager_id))
        and owners.manager_of(pk) in managers
    )
    return found
