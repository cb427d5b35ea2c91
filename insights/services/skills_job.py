"""The skills-gap job: each person's level against their role's requirements,
each service's coverage, a recommendation for every gap, and two flags.

The top half is pure (plain values in, plain values out, no ORM), so the rules
can be tested by the hundred. :func:`candidates` is the recompute step: it
loads the organisation in a fixed number of queries, calls the rules, replaces
the organisation's ``SkillGap`` rows and returns flag candidates.

Definitions, in words:

- **A person's level** in a skill is their latest manager rating, else their
  latest self-assessment, else 0 (none). "Latest" is the latest ``rated_on``;
  on the same day, the one recorded last.
- **A person's gap** in a skill their role requires: the required level minus
  their level, never below 0.
- **A service's coverage** of a skill, counting everyone in the service and the
  teams below it: the people whose role requires the skill, how many of them
  are at or above their role's level, and that as a percentage.
- **Recommendations**, first match wins:

  1. ``develop`` for a person one level short: training, coaching.
  2. ``recruit`` when the gap persists: the service's coverage of the skill has
     been below the organisation's threshold for ``SKILLS_RECRUIT_AFTER_DAYS``
     (180) days or more, run after run. Training and cover have not closed it.
  3. ``interim_cover`` for an essential skill when nobody in the service is at
     level, or the service's coverage is below the organisation's threshold.
  4. ``develop`` otherwise: the service has cover; train the people short.

  A service's row gets the service's recommendation; a person two or more
  levels short gets the recommendation of their service (the nearest service
  above their team) for that skill.
- **Flags** are raised per service (the ``service`` level of the structure,
  counting its teams; an organisation without that level is flagged per team):
  ``skills_gap`` when coverage is below the threshold (and at least three people
  need the skill), ``single_point_of_failure``
  when an essential skill is held at level by exactly one person (of at least two
  whose role requires it at the service's highest level for it).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from appraisals.models import SkillRating
from appraisals.rules.skill_levels import RatingFact, current_level, latest_rating
from core.bulk import insert_rows
from insights.models import FlagKind, FlagSeverity, SkillGap, SubjectType
from insights.models.runs import Recommendation
from insights.rules.thresholds import (
    SINGLE_POINT_MIN_PEOPLE,
    SKILLS_GAP_HIGH_COVERAGE,
    SKILLS_GAP_MIN_PEOPLE,
    SKILLS_RECRUIT_AFTER_DAYS,
)
from insights.services.flagging import FlagCandidate
from organisations.models import Employee, Service, ServiceKind, SkillRequirement
from organisations.models.skills import SkillCategory
from organisations.models.structure import CONTINGENT_TYPES

if TYPE_CHECKING:
    from insights.services.recompute import RunContext

ONE_DP = Decimal("0.1")
HUNDRED, ZERO = Decimal(100), Decimal(0)

# The level rule lives with the ratings (appraisals); re-exported for the job's callers.
__all__ = ["RatingFact", "candidates", "current_level", "latest_rating", "recommend"]

# ---------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    skill_id: int
    required_level: int
    essential: bool


@dataclass(frozen=True)
class PersonGap:
    skill_id: int
    required_level: int
    current_level: int
    essential: bool

    @property
    def gap(self) -> int:
        return max(0, self.required_level - self.current_level)

    @property
    def meets(self) -> bool:
        return self.gap == 0


def employee_gaps(requirements: Iterable[Requirement], levels: Mapping[int, int]) -> list[PersonGap]:
    """Required, current and gap for each skill a person's role requires;
    ``levels`` maps skill id to the person's current level (missing: 0)."""
    return [
        PersonGap(
            skill_id=r.skill_id,
            required_level=r.required_level,
            current_level=levels.get(r.skill_id, 0),
            essential=r.essential,
        )
        for r in requirements
    ]


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DP, rounding=ROUND_HALF_UP)


@dataclass
class Coverage:
    """A service (with the teams below it) and one skill."""

    service_id: int
    skill_id: int
    people_required: int = 0
    people_meeting: int = 0
    required_level: int = 0  # the highest level any role in the service requires
    essential: bool = False  # essential to at least one role in the service
    levels: list[int] = field(default_factory=list)  # current levels of the people required
    # The people whose role requires the highest level: how many, how many hold it,
    # whether it is essential to them, and the first two holders.
    top_required: int = 0
    top_meeting: int = 0
    top_essential: bool = False
    top_holders: list[int] = field(default_factory=list)

    def add(self, employee_id: int, gap: PersonGap) -> None:
        self.people_required += 1
        self.people_meeting += gap.meets
        self.essential = self.essential or gap.essential
        self.levels.append(gap.current_level)
        if gap.required_level > self.required_level:
            self.required_level = gap.required_level
            self.top_required = self.top_meeting = 0
            self.top_essential, self.top_holders = False, []
        if gap.required_level == self.required_level:
            self.top_required += 1
            self.top_essential = self.top_essential or gap.essential
            if gap.meets:
                self.top_meeting += 1
                if len(self.top_holders) < 2:
                    self.top_holders.append(employee_id)

    @property
    def coverage(self) -> Decimal:
        return percent(self.people_meeting, self.people_required)

    @property
    def people_short(self) -> int:
        return self.people_required - self.people_meeting

    @property
    def typical_level(self) -> int:
        return statistics.median_low(self.levels) if self.levels else 0


def ancestor_map(services: Iterable[tuple[int, int | None]]) -> dict[int, tuple[int, ...]]:
    """For each service id: itself and every service above it, nearest first."""
    parent = dict(services)
    result: dict[int, tuple[int, ...]] = {}
    for sid in parent:
        chain: list[int] = []
        node: int | None = sid
        while node is not None and node not in chain:
            chain.append(node)
            node = parent.get(node)
        result[sid] = tuple(chain)
    return result


def service_coverage(
    people: Iterable[tuple[int, int, Sequence[PersonGap]]],
    ancestors: Mapping[int, Sequence[int]],
) -> dict[tuple[int, int], Coverage]:
    """Coverage per (service, skill), each service counting everyone below it.

    ``people``: (employee id, service id, that person's gaps). Each person counts
    in their own service and every service above it."""
    result: dict[tuple[int, int], Coverage] = {}
    for employee_id, service_id, gaps in people:
        for g in gaps:
            for sid in ancestors.get(service_id, (service_id,)):
                cover = result.get((sid, g.skill_id))
                if cover is None:
                    cover = result[(sid, g.skill_id)] = Coverage(service_id=sid, skill_id=g.skill_id)
                cover.add(employee_id, g)
    return result


def recommend(
    *,
    essential: bool,
    people_required: int,
    people_meeting: int,
    coverage: Decimal,
    threshold: Decimal,
    below_threshold_since: date | None,
    today: date,
    person_gap: int | None = None,
) -> str:
    """The recommendation for a service's gap in a skill, or (``person_gap`` given)
    for one person's gap, judged with their service's coverage. The rules are in
    the module docstring; "" when there is no gap."""
    if person_gap is not None:
        if person_gap <= 0:
            return Recommendation.NONE
        if person_gap == 1:
            return Recommendation.DEVELOP
    elif people_meeting >= people_required:
        return Recommendation.NONE
    if (
        below_threshold_since is not None
        and coverage < threshold
        and (today - below_threshold_since).days >= SKILLS_RECRUIT_AFTER_DAYS
    ):
        return Recommendation.RECRUIT
    if essential and (people_meeting == 0 or coverage < threshold):
        return Recommendation.INTERIM_COVER
    return Recommendation.DEVELOP


def gap_since(*, has_gap: bool, previous: date | None, today: date) -> date | None:
    """When a gap opened: kept from the previous run while it stays open."""
    if not has_gap:
        return None
    return previous or today


@dataclass(frozen=True)
class CoverageStatus:
    key: str  # met / partly_met / gap / none
    label: str
    colour: str  # a GOV.UK tag colour, always shown beside the label


def coverage_status(*, people_required: int, people_meeting: int, coverage: Decimal, threshold: Decimal):
    """The word for a coverage figure: colour is never the only signal."""
    if not people_required:
        return CoverageStatus("none", "Not required", "grey")
    if people_meeting >= people_required:
        return CoverageStatus("met", "Met", "green")
    if coverage >= threshold:
        return CoverageStatus("partly_met", "Partly met", "yellow")
    return CoverageStatus("gap", "Gap", "red")


def skills_gap_severity(
    *, coverage: Decimal, essential: bool, threshold: Decimal, people_required: int
) -> str | None:
    """None when coverage is at or above the threshold, or fewer than
    ``SKILLS_GAP_MIN_PEOPLE`` people need the skill; high below
    ``SKILLS_GAP_HIGH_COVERAGE``, else medium; a non-essential skill one step lower."""
    if coverage >= threshold or people_required < SKILLS_GAP_MIN_PEOPLE:
        return None
    severity = FlagSeverity.HIGH if coverage < SKILLS_GAP_HIGH_COVERAGE else FlagSeverity.MEDIUM
    if not essential:
        severity = FlagSeverity.MEDIUM if severity == FlagSeverity.HIGH else FlagSeverity.LOW
    return severity


def is_single_point_of_failure(*, essential: bool, people_required: int, people_meeting: int) -> bool:
    """Of the people whose role requires an essential skill at the service's highest
    required level (at least ``SINGLE_POINT_MIN_PEOPLE`` of them), exactly one holds it."""
    return essential and people_meeting == 1 and people_required >= SINGLE_POINT_MIN_PEOPLE


def single_point_severity(*, holder_contingent: bool) -> str:
    """High when the one holder is interim or agency staff: they may leave at short notice."""
    return FlagSeverity.HIGH if holder_contingent else FlagSeverity.MEDIUM


def flag_unit_ids(services: Iterable[tuple[int, str]]) -> set[int]:
    """The services flags are raised for: the ``service`` level; an organisation
    without that level is flagged per team."""
    services = list(services)
    for kind in (ServiceKind.SERVICE, ServiceKind.TEAM):
        ids = {sid for sid, k in services if k == kind}
        if ids:
            return ids
    return {sid for sid, _ in services}


def nearest_unit(ancestors: Sequence[int], units: set[int]) -> int:
    """A person's service for recommendations: the nearest flag unit above their
    team, else their own team."""
    return next((sid for sid in ancestors if sid in units), ancestors[0])


SKILLS_GAP_RULE = (
    "Raised when fewer than {threshold}% of the people in a service (with its teams) whose role "
    "requires a skill are at their role's required level, and at least {min_people} people need it. High below {high}% for an essential skill; "
    "a skill no role needs as essential is one step lower. It resolves when coverage reaches {threshold}%."
)
SINGLE_POINT_RULE = (
    "Raised when at least {min_people} people's roles in a service require an essential skill at the "
    "highest level any role there requires it, and exactly one of them holds it at that level. High "
    "when that person is on an interim or agency contract. It resolves when a second person reaches "
    "the level, or fewer than {min_people} roles need it."
)
RECOMMENDATION_RULE = (
    "Develop: one level short, or the service still has cover. Interim cover: an essential skill with "
    "nobody at level, or coverage below {threshold}%. Recruit: coverage below {threshold}% for "
    "{days} days or more."
)


# ---------------------------------------------------------------------------
# The recompute step
# ---------------------------------------------------------------------------


def latest_ratings(organisation_id: int) -> dict[tuple[int, int], list[RatingFact]]:
    """The latest rating of each source for each (person, skill) of the
    organisation's active staff: one query, a window function."""
    rows = (
        SkillRating.objects.settled()
        .filter(employee__organisation_id=organisation_id, employee__active=True)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("employee_id"), F("skill_id"), F("source")],
                order_by=[F("rated_on").desc(), F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .order_by()
        .values_list("employee_id", "skill_id", "source", "level", "rated_on", "id")
    )
    result: dict[tuple[int, int], list[RatingFact]] = defaultdict(list)
    for employee_id, skill_id, source, level, rated_on, pk in rows:
        result[(employee_id, skill_id)].append(RatingFact(source, level, rated_on, pk))
    return result


def candidates(ctx: RunContext) -> list[FlagCandidate]:
    """Recompute the organisation's skills gaps and return its skills flags.

    Queries, whatever the organisation's size: services, active staff with a
    role, requirements, latest ratings, the previous gaps' dates, one DELETE and
    one INSERT of the new gaps."""
    org = ctx.organisation
    threshold = Decimal(org.skills_coverage_threshold)
    services = list(Service.objects.filter(organisation=org).values_list("pk", "parent_id", "kind", "name"))
    names = {pk: name for pk, _, _, name in services}
    ancestors = ancestor_map((pk, parent) for pk, parent, _, _ in services)
    units = flag_unit_ids((pk, kind) for pk, _, kind, _ in services)
    staff = list(
        Employee.objects.filter(organisation=org, active=True, job_role__isnull=False).values_list(
            "pk", "service_id", "job_role_id", "first_name", "last_name", "employment_type"
        )
    )
    by_role: dict[int, list[Requirement]] = defaultdict(list)
    skills: dict[int, tuple[str, str]] = {}
    for role_id, skill_id, level, essential, name, category in SkillRequirement.objects.filter(
        job_role__organisation=org
    ).values_list("job_role_id", "skill_id", "required_level", "essential", "skill__name", "skill__category"):
        by_role[role_id].append(Requirement(skill_id, level, essential))
        skills[skill_id] = (name, category)
    ratings = latest_ratings(org.pk)
    previous: dict[tuple[str, int, int], date] = {}
    for employee_id, service_id, skill_id, since in SkillGap.objects.filter(
        organisation=org, first_seen_on__isnull=False
    ).values_list("employee_id", "service_id", "skill_id", "first_seen_on"):
        key = ("e", employee_id, skill_id) if employee_id else ("s", service_id, skill_id)
        previous[key] = since

    people: list[tuple[int, int, list[PersonGap]]] = []
    for pk, service_id, role_id, *_ in staff:
        requirements = by_role.get(role_id)
        if not requirements:
            continue
        levels = {r.skill_id: current_level(ratings.get((pk, r.skill_id), ())) for r in requirements}
        people.append((pk, service_id, employee_gaps(requirements, levels)))
    coverage = service_coverage(people, ancestors)

    today, now = ctx.today, ctx.now
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
                "organisation_id": org.pk,
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
                    "organisation_id": org.pk,
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
    SkillGap.objects.filter(organisation=org).delete()
    insert_rows(SkillGap, rows)

    contingent = {pk for pk, _, _, _, _, kind in staff if kind in CONTINGENT_TYPES}
    full_names = {pk: f"{first} {last}" for pk, _, _, first, last, _ in staff}
    flags = _flags(
        coverage=coverage,
        units=units,
        names=names,
        skills=skills,
        threshold=threshold,
        advice=service_advice,
        since=since_by_cover,
        contingent=contingent,
        full_names=full_names,
    )
    ctx.counts["skills"] = {
        "people_assessed": len(people),
        "requirements": sum(len(v) for v in by_role.values()),
        "person_rows": sum(len(g) for _, _, g in people),
        "person_gaps": person_gaps,
        "service_rows": len(coverage),
        "services_below_threshold": sum(
            1 for (sid, _), c in coverage.items() if sid in units and c.coverage < threshold
        ),
        "skills_gap_flags": sum(1 for f in flags if f.kind == FlagKind.SKILLS_GAP),
        "single_point_flags": sum(1 for f in flags if f.kind == FlagKind.SINGLE_POINT_OF_FAILURE),
    }
    return flags


def _flags(
    *,
    coverage: dict[tuple[int, int], Coverage],
    units: set[int],
    names: dict[int, str],
    skills: dict[int, tuple[str, str]],
    threshold: Decimal,
    advice: dict[tuple[int, int], str],
    since: dict[tuple[int, int], date | None],
    contingent: set[int],
    full_names: dict[int, str],
) -> list[FlagCandidate]:
    categories = dict(SkillCategory.choices)
    recommendations = dict(Recommendation.choices)
    gap_rule = SKILLS_GAP_RULE.format(
        threshold=_num(threshold), high=SKILLS_GAP_HIGH_COVERAGE, min_people=SKILLS_GAP_MIN_PEOPLE
    )
    spof_rule = SINGLE_POINT_RULE.format(min_people=SINGLE_POINT_MIN_PEOPLE)
    advice_rule = RECOMMENDATION_RULE.format(threshold=_num(threshold), days=SKILLS_RECRUIT_AFTER_DAYS)
    flags: list[FlagCandidate] = []
    for (sid, skill_id), c in sorted(coverage.items()):
        if sid not in units:
            continue
        skill_name, category = skills[skill_id]
        pct = c.coverage
        links = [
            {
                "label": f"Skills heatmap for {names[sid]}",
                "url": reverse("insights:skills_heatmap", args=[sid]),
            },
            {
                "label": f"{skill_name} gaps in {names[sid]}",
                "url": reverse("insights:skills_gaps", args=[sid]) + f"?skill={skill_id}",
            },
        ]
        facts = {
            "service": names[sid],
            "skill": skill_name,
            "category": categories.get(category, category),
            "essential": c.essential,
            "required_level": c.required_level,
            "people_required": c.people_required,
            "people_meeting": c.people_meeting,
            "coverage": float(pct),
            "threshold": float(threshold),
        }
        severity = skills_gap_severity(
            coverage=pct, essential=c.essential, threshold=threshold, people_required=c.people_required
        )
        if severity:
            below_since = since[(sid, skill_id)]
            flags.append(
                FlagCandidate(
                    kind=FlagKind.SKILLS_GAP,
                    severity=severity,
                    subject_type=SubjectType.SERVICE,
                    subject_id=sid,
                    service_id=sid,
                    key=f"{FlagKind.SKILLS_GAP}:service:{sid}:skill:{skill_id}",
                    title=(
                        f"Skills gap in {names[sid]}: {skill_name}, {c.people_meeting} of "
                        f"{c.people_required} at level ({_num(pct)}%)"
                    ),
                    rule=f"{gap_rule} {advice_rule}",
                    evidence={
                        **facts,
                        "below_threshold_since": below_since.isoformat() if below_since else None,
                        "recommendation": advice[(sid, skill_id)],
                        "recommendation_label": recommendations[advice[(sid, skill_id)]],
                        "links": links,
                    },
                )
            )
        if is_single_point_of_failure(
            essential=c.top_essential, people_required=c.top_required, people_meeting=c.top_meeting
        ):
            holder = c.top_holders[0]
            flags.append(
                FlagCandidate(
                    kind=FlagKind.SINGLE_POINT_OF_FAILURE,
                    severity=single_point_severity(holder_contingent=holder in contingent),
                    subject_type=SubjectType.SERVICE,
                    subject_id=sid,
                    service_id=sid,
                    key=f"{FlagKind.SINGLE_POINT_OF_FAILURE}:service:{sid}:skill:{skill_id}",
                    title=(
                        f"Single point of failure in {names[sid]}: one of {c.top_required} people "
                        f"holds {skill_name} at level {c.required_level}"
                    ),
                    rule=spof_rule,
                    evidence={
                        **facts,
                        "people_required_at_level": c.top_required,
                        "holder": full_names.get(holder, ""),
                        "holder_contingent": holder in contingent,
                        "links": [
                            *links,
                            {
                                "label": full_names.get(holder, "The holder"),
                                "url": reverse("organisations:person_detail", args=[holder]),
                            },
                        ],
                    },
                )
            )
    return flags


def _num(value: Decimal) -> str:
    """60.0 -> "60", 62.5 -> "62.5"."""
    text = f"{Decimal(value).quantize(ONE_DP):f}"
    return text[:-2] if text.endswith(".0") else text
