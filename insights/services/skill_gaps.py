"""The skills-gap step of the recompute run: recompute the organisation's skills
gaps, replace its ``SkillGap`` rows, and return its skills flags.

The rules are in :mod:`insights.rules.skills` (definitions in its docstring), the
reads in :mod:`insights.selectors.skills`, the flags' wording in
:mod:`insights.rules.skills_flags`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from appraisals.rules.skill_levels import current_level
from core.bulk import insert_rows
from insights.models import FlagKind, SkillGap
from insights.rules.skills import (
    HUNDRED,
    ZERO,
    Coverage,
    PersonGap,
    ancestor_map,
    coverage_totals,
    employee_gaps,
    flag_unit_ids,
    gap_since,
    nearest_unit,
    own_coverage,
    recommend,
)
from insights.rules.skills_flags import skills_flag_candidates
from insights.selectors.skills import skills_data
from insights.services.figures import own_coverage_parts
from insights.services.flagging import FlagCandidate
from insights.services.scope import Slice, has_people
from organisations.models import Organisation
from organisations.models.people import CONTINGENT_TYPES

if TYPE_CHECKING:
    from insights.services.recompute import RunContext


def recompute_skill_gaps(ctx: RunContext) -> list[FlagCandidate]:
    """Recompute the organisation's skills gaps, replace its ``SkillGap`` rows and
    return its skills flags.

    Queries, whatever the organisation's size: the five reads of
    :func:`insights.selectors.skills.skills_data`, one DELETE and one INSERT of
    the new gaps."""
    if not has_people(ctx):
        return []
    org = ctx.organisation
    data = skills_data(org, None if ctx.slice is None else ctx.slice.services)
    threshold = data.threshold
    names = {pk: name for pk, _, _, name in data.services}
    ancestors = ancestor_map((pk, parent) for pk, parent, _, _ in data.services)
    units = flag_unit_ids((pk, kind) for pk, _, kind, _ in data.services)

    people: list[tuple[int, int, list[PersonGap]]] = []
    for pk, service_id, role_id, *_ in data.staff:
        requirements = data.requirements_by_role.get(role_id)
        if not requirements:
            continue
        levels = {r.skill_id: current_level(data.ratings.get((pk, r.skill_id), ())) for r in requirements}
        people.append((pk, service_id, employee_gaps(requirements, levels)))
    # Each service's own coverage (the slice's fresh, the others' as stored), added up the tree.
    coverage = coverage_totals(
        own_coverage_parts(ctx, own_coverage(people)),
        ancestors,
        None if ctx.slice is None else ctx.slice.services,
    )

    gaps = skill_gap_rows(
        organisation_id=org.pk,
        people=people,
        coverage=coverage,
        ancestors=ancestors,
        units=units,
        threshold=threshold,
        previous=data.previous_since,
        today=ctx.today,
        now=ctx.now,
    )
    replace_skill_gaps(org, gaps.rows, ctx.slice)

    contingent = {pk for pk, _, _, _, _, kind in data.staff if kind in CONTINGENT_TYPES}
    full_names = {pk: f"{first} {last}" for pk, _, _, first, last, _ in data.staff}
    flags = skills_flag_candidates(
        coverage=coverage,
        units=units,
        names=names,
        skills=data.skills,
        threshold=threshold,
        advice=gaps.service_advice,
        since=gaps.since_by_cover,
        contingent=contingent,
        full_names=full_names,
    )
    ctx.counts["skills"] = {
        "people_assessed": len(people),
        "requirements": sum(len(v) for v in data.requirements_by_role.values()),
        "person_rows": sum(len(g) for _, _, g in people),
        "person_gaps": gaps.person_gaps,
        "service_rows": len(coverage),
        "services_below_threshold": sum(
            1 for (sid, _), c in coverage.items() if sid in units and c.coverage < threshold
        ),
        "skills_gap_flags": sum(1 for f in flags if f.kind == FlagKind.SKILLS_GAP),
        "single_point_flags": sum(1 for f in flags if f.kind == FlagKind.SINGLE_POINT_OF_FAILURE),
    }
    return flags


@dataclass
class SkillGapRows:
    rows: list[dict]  # SkillGap rows as plain dicts: 50,000 model instances cost seconds
    service_advice: dict[tuple[int, int], str]  # (service, skill) -> recommendation
    since_by_cover: dict[tuple[int, int], date | None]  # (service, skill) -> below threshold since
    person_gaps: int  # person rows with a gap


def skill_gap_rows(
    *,
    organisation_id: int,
    people: list[tuple[int, int, list[PersonGap]]],
    coverage: dict[tuple[int, int], Coverage],
    ancestors: dict[int, tuple[int, ...]],
    units: set[int],
    threshold: Decimal,
    previous: dict[tuple[str, int, int], date],
    today: date,
    now: datetime,
) -> SkillGapRows:
    """The organisation's new ``SkillGap`` rows: one per (service, skill) and one
    per (person, skill), each with its recommendation and the date its gap opened."""
    rows: list[dict] = []  # SkillGap rows as plain dicts: 50,000 model instances cost seconds
    service_advice: dict[tuple[int, int], str] = {}
    since_by_cover: dict[tuple[int, int], date | None] = {}
    for (sid, skill_id), c in coverage.items():
        pct = c.coverage
        since = gap_since(has_gap=pct < threshold, previous=previous.get(("s", sid, skill_id)), today=today)
        since_by_cover[(sid, skill_id)] = since
        advice = recommend(
            essential=c.essential,
            people_required=c.people_required,
            people_meeting=c.people_meeting,
            coverage=pct,
            threshold=threshold,
            below_threshold_since=since,
            today=today,
        )
        service_advice[(sid, skill_id)] = advice
        rows.append(
            {
                "organisation_id": organisation_id,
                "service_id": sid,
                "employee_id": None,
                "skill_id": skill_id,
                "essential": c.essential,
                "required_level": c.required_level,
                "current_level": c.typical_level,
                "gap": c.people_short,  # a service row's gap: people below their role's level
                "people_required": c.people_required,
                "people_meeting": c.people_meeting,
                "coverage": pct,
                "recommendation": advice,
                "first_seen_on": since,  # a service row: below the threshold since
                "computed_at": now,
            }
        )
    person_gaps = 0
    for pk, service_id, gaps in people:
        unit = nearest_unit(ancestors[service_id], units)
        for g in gaps:
            cover = coverage[(unit, g.skill_id)]
            advice = recommend(
                essential=g.essential,
                people_required=cover.people_required,
                people_meeting=cover.people_meeting,
                coverage=cover.coverage,
                threshold=threshold,
                below_threshold_since=since_by_cover[(unit, g.skill_id)],
                today=today,
                person_gap=g.gap,
            )
            person_gaps += g.gap > 0
            rows.append(
                {
                    "organisation_id": organisation_id,
                    "service_id": service_id,
                    "employee_id": pk,
                    "skill_id": g.skill_id,
                    "essential": g.essential,
                    "required_level": g.required_level,
                    "current_level": g.current_level,
                    "gap": g.gap,
                    "people_required": 1,
                    "people_meeting": int(g.meets),
                    "coverage": HUNDRED if g.meets else ZERO,
                    "recommendation": advice,
                    "first_seen_on": gap_since(
                        has_gap=g.gap > 0, previous=previous.get(("e", pk, g.skill_id)), today=today
                    ),
                    "computed_at": now,
                }
            )
    return SkillGapRows(
        rows=rows, service_advice=service_advice, since_by_cover=since_by_cover, person_gaps=person_gaps
    )


def replace_skill_gaps(organisation: Organisation, rows: list[dict], within: Slice | None = None) -> None:
    """Replace the organisation's ``SkillGap`` rows (those of the slice's services
    and people, in an incremental run): one DELETE, bulk INSERTs."""
    old = SkillGap.objects.filter(organisation=organisation)
    if within is not None:
        old = old.filter(Q(service_id__in=within.services) | Q(employee_id__in=within.scope.employees))
    old.delete()
    insert_rows(SkillGap, rows)
