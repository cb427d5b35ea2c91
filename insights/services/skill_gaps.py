"""The skills-gap step of the recompute run: recompute the organisation's skills
gaps, replace its ``SkillGap`` rows, and return its skills flags.

The rules are in :mod:`insights.rules.skills` (definitions in its docstring), the
reads in :mod:`insights.selectors.skills`, the flags' wording in
:mod:`insights.rules.skills_flags`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from appraisals.rules.skill_levels import current_level
from core.bulk import insert_rows
from insights.models import FlagKind, SkillGap
from insights.rules.skill_options import Planned, advise_person, advise_service
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
    own_coverage,
)
from insights.rules.skills_flags import skills_flag_candidates
from insights.selectors.skills import SkillsData, skills_data
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

    options = development_options(data, ancestors, ctx.today)
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
        options=options,
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
class Options:
    """What train, cover or recruit weighs beyond coverage (``insights.rules.skill_options``)."""

    statutory: set[int] = field(default_factory=set)  # skill ids
    day_rates: dict[int, Decimal] = field(default_factory=dict)  # skill id -> interim day rate
    day_rate: Decimal = ZERO  # the organisation's, for a skill no role prices
    by_person: dict[tuple[int, int], list[Planned]] = field(default_factory=dict)  # (person, skill)
    by_cover: dict[tuple[int, int], list[Planned]] = field(default_factory=dict)  # (service, skill)

    def rate(self, skill_id: int) -> Decimal:
        return self.day_rates.get(skill_id, self.day_rate)


def development_options(data: SkillsData, ancestors: dict[int, tuple[int, ...]], today: date) -> Options:
    """Each open development item that brings a person short of their role's level
    up to it, filed under the person and every service above them (an item whose
    planned end has passed counts as ending today); each skill's day rate: the
    highest of the roles requiring it that have their own, else the organisation's."""
    required = {
        (role_id, r.skill_id): r.required_level
        for role_id, reqs in data.requirements_by_role.items()
        for r in reqs
    }
    options = Options(statutory=set(data.statutory), day_rate=data.day_rate)
    for role_id, reqs in data.requirements_by_role.items():
        rate = data.role_rates.get(role_id)
        if rate is None:
            continue
        for r in reqs:
            options.day_rates[r.skill_id] = max(rate, options.day_rates.get(r.skill_id, rate))
    for pk, service_id, role_id, skill_id, target, ends_on, cost in data.development:
        level = required.get((role_id, skill_id))
        if level is None or target < level:
            continue
        if current_level(data.development_ratings.get((pk, skill_id), ())) >= level:
            continue
        item = Planned(pk, max(ends_on, today), cost)
        options.by_person.setdefault((pk, skill_id), []).append(item)
        for sid in ancestors.get(service_id, (service_id,)):
            options.by_cover.setdefault((sid, skill_id), []).append(item)
    return options


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
    options: Options | None = None,
) -> SkillGapRows:
    """The organisation's new ``SkillGap`` rows: one per (service, skill) and one
    per (person, skill), each with its recommendation, its reasons, when planned
    development is expected to close it and the date its gap opened."""
    options = options or Options()
    rows: list[dict] = []  # SkillGap rows as plain dicts: 50,000 model instances cost seconds
    service_advice: dict[tuple[int, int], str] = {}
    since_by_cover: dict[tuple[int, int], date | None] = {}
    for (sid, skill_id), c in coverage.items():
        pct = c.coverage
        since = gap_since(has_gap=pct < threshold, previous=previous.get(("s", sid, skill_id)), today=today)
        since_by_cover[(sid, skill_id)] = since
        weighed = advise_service(
            essential=c.essential,
            statutory=skill_id in options.statutory,
            people_required=c.people_required,
            people_meeting=c.people_meeting,
            coverage=pct,
            threshold=threshold,
            below_threshold_since=since,
            today=today,
            planned=options.by_cover.get((sid, skill_id), ()),
            day_rate=options.rate(skill_id),
        )
        advice = weighed.recommendation
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
                "reasons": weighed.reasons_text,
                "recovery_on": weighed.recovery_on,
                "first_seen_on": since,  # a service row: below the threshold since
                "computed_at": now,
            }
        )
    person_gaps = 0
    for pk, service_id, gaps in people:
        for g in gaps:
            weighed = advise_person(
                gap=g.gap, planned=options.by_person.get((pk, g.skill_id), ()), today=today
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
                    "recommendation": weighed.recommendation,
                    "reasons": weighed.reasons_text,
                    "recovery_on": weighed.recovery_on,
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
