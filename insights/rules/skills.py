"""The skills-gap rules: each person's level against their role's requirements,
each service's coverage, a recommendation for every gap, and the two flags'
severities.

Pure: plain values in, plain values out, no ORM, so the rules can be tested by
the hundred. The recompute step that uses them is
:func:`insights.services.skill_gaps.recompute_skill_gaps`; the data comes from
:mod:`insights.selectors.skills` and the flags are worded in
:mod:`insights.rules.skills_flags`.

Definitions, in words:

- **A person's level** in a skill is their latest manager rating, else their
  latest self-assessment, else 0 (none). "Latest" is the latest ``rated_on``;
  on the same day, the one recorded last.
- **A person's gap** in a skill their role requires: the required level minus
  their level, never below 0.
- **A service's coverage** of a skill, counting everyone in the service and the
  teams below it: the people whose role requires the skill, how many of them
  are at or above their role's level, and that as a percentage.
- **Recommendations** (train, cover or recruit) are weighed in
  :mod:`insights.rules.skill_options`: time to competence from planned
  development, its cost against interim cover for the period, whether the skill
  is statutory or essential, and whether the gap is one person's. Each states its
  reasons in words. A person's own gap is always "develop": cover and recruitment
  are decisions for the service. A service's row gets the service's recommendation.
- **Flags** are raised per service (the ``service`` level of the structure,
  counting its teams; an organisation without that level is flagged per team):
  ``skills_gap`` when coverage is below the threshold (and at least three people
  need the skill), ``single_point_of_failure``
  when an essential skill is held at level by exactly one person (of at least two
  whose role requires it at the service's highest level for it).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from insights.models import FlagSeverity
from insights.rules.skill_options import Planned, advise_person, advise_service
from insights.rules.thresholds import (
    SINGLE_POINT_MIN_PEOPLE,
    SKILLS_GAP_HIGH_COVERAGE,
    SKILLS_GAP_MIN_PEOPLE,
)
from organisations.models import ServiceKind

ONE_DP = Decimal("0.1")
HUNDRED, ZERO = Decimal(100), Decimal(0)


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
    levels: dict[int, int] = field(default_factory=dict)  # {current level: people} of the people required
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
        self.levels[gap.current_level] = self.levels.get(gap.current_level, 0) + 1
        if gap.required_level > self.required_level:
            self.required_level = gap.required_level
            self.top_required = self.top_meeting = 0
            self.top_essential, self.top_holders = False, []
        if gap.required_level == self.required_level:
            self.top_required += 1
            self.top_essential = self.top_essential or gap.essential
            if gap.meets:
                self.top_meeting += 1
                self.top_holders = sorted([*self.top_holders, employee_id])[:2]

    def merge(self, other: Coverage) -> None:
        """Add another part's people (a service below this one): the same as
        adding each of them in turn, in any order."""
        if other.people_required == 0:
            return
        was_empty = self.people_required == 0
        self.people_required += other.people_required
        self.people_meeting += other.people_meeting
        self.essential = self.essential or other.essential
        for level, n in other.levels.items():
            self.levels[level] = self.levels.get(level, 0) + n
        if was_empty or other.required_level > self.required_level:
            self.required_level = other.required_level
            self.top_required, self.top_meeting = other.top_required, other.top_meeting
            self.top_essential, self.top_holders = other.top_essential, list(other.top_holders)
        elif other.required_level == self.required_level:
            self.top_required += other.top_required
            self.top_meeting += other.top_meeting
            self.top_essential = self.top_essential or other.top_essential
            self.top_holders = sorted([*self.top_holders, *other.top_holders])[:2]

    def part(self) -> dict:
        """This coverage as plain JSON values, to store as a service's own figures."""
        return {
            "required": self.people_required,
            "meeting": self.people_meeting,
            "level": self.required_level,
            "essential": self.essential,
            "levels": {str(level): n for level, n in self.levels.items()},
            "top": [self.top_required, self.top_meeting, self.top_essential, self.top_holders],
        }

    @classmethod
    def from_part(cls, service_id: int, skill_id: int, part: dict) -> Coverage:
        top_required, top_meeting, top_essential, top_holders = part["top"]
        return cls(
            service_id=service_id,
            skill_id=skill_id,
            people_required=part["required"],
            people_meeting=part["meeting"],
            required_level=part["level"],
            essential=part["essential"],
            levels={int(level): n for level, n in part["levels"].items()},
            top_required=top_required,
            top_meeting=top_meeting,
            top_essential=top_essential,
            top_holders=list(top_holders),
        )

    @property
    def coverage(self) -> Decimal:
        return percent(self.people_meeting, self.people_required)

    @property
    def people_short(self) -> int:
        return self.people_required - self.people_meeting

    @property
    def typical_level(self) -> int:
        """The median level, the lower of the two middle ones for an even count."""
        count = sum(self.levels.values())
        if not count:
            return 0
        middle = (count - 1) // 2  # median_low's index in the sorted levels
        for level in sorted(self.levels):
            middle -= self.levels[level]
            if middle < 0:
                return level
        return 0


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
    return coverage_totals(own_coverage(people), ancestors)


def own_coverage(people: Iterable[tuple[int, int, Sequence[PersonGap]]]) -> dict[tuple[int, int], Coverage]:
    """Coverage per (service, skill) of the people in each service alone."""
    result: dict[tuple[int, int], Coverage] = {}
    for employee_id, service_id, gaps in people:
        for g in gaps:
            cover = result.get((service_id, g.skill_id))
            if cover is None:
                cover = result[(service_id, g.skill_id)] = Coverage(
                    service_id=service_id, skill_id=g.skill_id
                )
            cover.add(employee_id, g)
    return result


def coverage_totals(
    own: Mapping[tuple[int, int], Coverage],
    ancestors: Mapping[int, Sequence[int]],
    only: Container[int] | None = None,
) -> dict[tuple[int, int], Coverage]:
    """Each service's coverage with everything below it, from each service's own:
    every part added to its service and every service above it (of ``only``'s, when given)."""
    result: dict[tuple[int, int], Coverage] = {}
    for (service_id, skill_id), part in own.items():
        for sid in ancestors.get(service_id, (service_id,)):
            if only is not None and sid not in only:
                continue
            cover = result.get((sid, skill_id))
            if cover is None:
                cover = result[(sid, skill_id)] = Coverage(service_id=sid, skill_id=skill_id)
            cover.merge(part)
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
    statutory: bool = False,
    planned: Sequence[Planned] = (),
    day_rate: Decimal = ZERO,
) -> str:
    """The recommendation for a service's gap in a skill, or (``person_gap`` given)
    for one person's gap: :mod:`insights.rules.skill_options` weighs them and
    says why; "" when there is no gap."""
    if person_gap is not None:
        return advise_person(gap=person_gap, planned=planned, today=today).recommendation
    return advise_service(
        essential=essential,
        statutory=statutory,
        people_required=people_required,
        people_meeting=people_meeting,
        coverage=coverage,
        threshold=threshold,
        below_threshold_since=below_threshold_since,
        today=today,
        planned=planned,
        day_rate=day_rate,
    ).recommendation


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
