"""Each service's own figures during a run: computed fresh for the services the
run recomputes, taken from the last run (``ServiceFigures``) for the others, and
stored again at the end of the run.

A full run computes every service; an incremental run (``ctx.slice``) only the
slice's, so its totals up the tree agree with a full run's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from insights.models import ServiceFigures
from insights.rules.skills import Coverage

if TYPE_CHECKING:
    from insights.services.recompute import RunContext

NAMES = ("supervision", "workforce", "skills", "staff", "goals", "overdue")  # computed from a slice's people
KPIS = "kpis"  # computed from the touched KPIs' services


def stored_figures(organisation_id: int) -> dict[int, dict[str, Any]]:
    """{service id: {"as_of": date, "supervision": ..., "workforce": ..., "skills": ...}}: one query."""
    return {
        row["service_id"]: row
        for row in ServiceFigures.objects.filter(organisation_id=organisation_id).values(
            "service_id", "as_of", *NAMES
        )
    }


def _fresh(ctx: RunContext) -> dict[str, dict[int, Any]]:
    return ctx.shared.setdefault("fresh_figures", {name: {} for name in (*NAMES, KPIS)})


def _others(ctx: RunContext, name: str) -> dict[int, Any]:
    """The stored figures of the services outside the run's slice (none in a full run)."""
    if ctx.slice is None:
        return {}
    if "stored_figures" not in ctx.shared:
        ctx.shared["stored_figures"] = stored_figures(ctx.organisation.pk)
    stored = ctx.shared["stored_figures"]
    return {sid: row[name] for sid, row in stored.items() if sid not in ctx.slice.services}


def own_counts(ctx: RunContext, name: str, fresh: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each service's own figures (numbers; Decimals kept as strings when stored)
    for ``name``: ``fresh`` for the services this run computed, stored for the rest."""
    _fresh(ctx)[name] = fresh
    own = {sid: {k: _number(v) for k, v in figures.items()} for sid, figures in _others(ctx, name).items()}
    own.update(fresh)
    return own


def own_kpis(ctx: RunContext, fresh: dict[int, dict], services: set[int] | None) -> None:
    """Keep the services' own KPI figures; ``services``: those an incremental run
    computed them for (None: every service)."""
    _fresh(ctx)[KPIS] = fresh
    ctx.shared["kpi_services"] = services


def own_staff(ctx: RunContext, fresh: dict[int, dict[str, list]]) -> None:
    """Keep the services' own staff figures (for ``store_figures``)."""
    _fresh(ctx)["staff"] = fresh


def own_coverage_parts(
    ctx: RunContext, fresh: dict[tuple[int, int], Coverage]
) -> dict[tuple[int, int], Coverage]:
    """Each (service, skill)'s own coverage: ``fresh`` for the services this run
    computed, rebuilt from the stored parts for the rest."""
    by_service: dict[int, dict[str, dict]] = {}
    for (sid, skill_id), cover in fresh.items():
        by_service.setdefault(sid, {})[str(skill_id)] = cover.part()
    _fresh(ctx)["skills"] = by_service
    own = {
        (sid, int(skill_id)): Coverage.from_part(sid, int(skill_id), part)
        for sid, parts in _others(ctx, "skills").items()
        for skill_id, part in parts.items()
    }
    own.update(fresh)
    return own


def _number(value: Any) -> Any:
    return Decimal(value) if isinstance(value, str) else value


def _json(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in figures.items()}


def store_figures(ctx: RunContext, service_ids: list[int]) -> int:
    """Write the run's own figures: every field for ``service_ids`` (the services
    whose people the run computed, an empty figure where it had nobody), and the
    KPI figures for the services whose KPIs it computed. One upsert per kind of row."""
    fresh = _fresh(ctx)
    kpi_services = ctx.shared.get("kpi_services") if ctx.slice is not None else None
    everyone = set(service_ids)
    with_kpis = everyone if ctx.slice is None else set(kpi_services or ())
    groups = [
        (everyone & with_kpis, [*NAMES, KPIS]),
        (everyone - with_kpis, list(NAMES)),
        (with_kpis - everyone, [KPIS]),
    ]
    written = 0
    for sids, fields in groups:
        if not sids:
            continue
        rows = [
            ServiceFigures(
                organisation_id=ctx.organisation.pk,
                service_id=sid,
                as_of=ctx.today,
                computed_at=ctx.now,
                **{name: _stored_value(name, fresh[name].get(sid, {})) for name in fields},
            )
            for sid in sorted(sids)
        ]
        ServiceFigures.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["service"],
            update_fields=["as_of", "computed_at", *fields],
        )
        written += len(rows)
    return written


def _stored_value(name: str, value):
    if name == "overdue":
        return value or []
    return _json(value) if name in ("supervision", "workforce") else value


OVERDUE_KEPT = 25  # the dashboards list the 25 most overdue


def own_overdue(ctx: RunContext, cadences) -> None:
    """Each service's candidates for the most overdue list: its people overdue a
    session, up to and including every one due on the 25th earliest due date
    (ties kept, so a list over several services is exact whatever the order of names)."""
    by_service: dict[int, list] = {}
    for c in cadences:
        pk = getattr(c.employee, "pk", None)
        if c.overdue and pk is not None:
            by_service.setdefault(c.employee.service_id, []).append((c.next_due, pk))
    fresh = {}
    for sid, people in by_service.items():
        people.sort()
        cut = people[min(len(people), OVERDUE_KEPT) - 1][0]
        fresh[sid] = [pk for due, pk in people if due <= cut]
    _fresh(ctx)["overdue"] = fresh


def own_goals(ctx: RunContext) -> None:
    """Each service's own goals by level and status: two grouped queries."""
    from django.db.models import Count

    from appraisals.models import Goal, GoalLevel

    goals = Goal.objects.filter(organisation=ctx.organisation).order_by()
    shared = goals.filter(level__in=(GoalLevel.SERVICE, GoalLevel.TEAM))
    individual = goals.filter(level=GoalLevel.INDIVIDUAL, owner__isnull=False)
    if ctx.slice is not None:
        shared = shared.filter(service_id__in=ctx.slice.services)
        individual = individual.filter(owner__service_id__in=ctx.slice.services)
    fresh: dict[int, dict[str, dict[str, int]]] = {}
    for rows, by in ((shared, "service_id"), (individual, "owner__service_id")):
        for row in rows.values(by, "level", "status").annotate(n=Count("pk")):
            level = fresh.setdefault(row[by], {}).setdefault(row["level"], {})
            level[row["status"]] = level.get(row["status"], 0) + row["n"]
    _fresh(ctx)["goals"] = fresh
