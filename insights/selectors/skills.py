"""What the skills-gap step reads, for a whole organisation in a fixed number
of queries: its services, its active staff with a role, the requirements of
their roles, everyone's latest ratings and the previous run's gap dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from appraisals.models import DevelopmentItem, DevelopmentStatus, SkillRating
from appraisals.models.development import COMMITTED_STATUSES
from appraisals.rules.skill_levels import RatingFact
from insights.models import SkillGap
from insights.rules.skills import Requirement
from organisations.models import Employee, Organisation, Service, SkillRequirement


def latest_ratings(
    organisation_id: int, services: Collection[int] | None = None, employees: Collection[int] | None = None
) -> dict[tuple[int, int], list[RatingFact]]:
    """The latest rating of each source for each (person, skill) of the
    organisation's active staff (in ``services`` only, or of ``employees`` only,
    when given): one query, a window function."""
    ratings = SkillRating.objects.settled().filter(
        employee__organisation_id=organisation_id, employee__active=True
    )
    if services is not None:
        ratings = ratings.filter(employee__service_id__in=services)
    if employees is not None:
        ratings = ratings.filter(employee_id__in=employees)
    rows = (
        ratings.annotate(
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


@dataclass
class SkillsData:
    """One organisation's skills, as plain values."""

    threshold: Decimal  # the organisation's coverage threshold, a percentage
    services: list[tuple[int, int | None, str, str]]  # pk, parent id, kind, name
    # Active staff with a role: pk, service id, role id, first name, last name, employment type.
    staff: list[tuple[int, int, int, str, str, str]]
    requirements_by_role: dict[int, list[Requirement]]
    skills: dict[int, tuple[str, str]]  # skill id -> name, category
    ratings: dict[tuple[int, int], list[RatingFact]]  # (person, skill) -> latest of each source
    # When each open gap was first seen: ("e", person, skill) or ("s", service, skill).
    previous_since: dict[tuple[str, int, int], date]
    statutory: set[int] = field(default_factory=set)  # the statutory skills' ids
    day_rate: Decimal = Decimal(0)  # the organisation's interim day rate
    role_rates: dict[int, Decimal] = field(default_factory=dict)  # role id -> its own day rate
    # Open development items of the whole organisation's staff with a role:
    # (person, their service, their role, skill, target level, planned end, cost).
    development: list[tuple[int, int, int, int, int, date, Decimal]] = field(default_factory=list)
    development_ratings: dict[tuple[int, int], list[RatingFact]] = field(default_factory=dict)


def open_development(org: Organisation) -> list[tuple[int, int, int, int, int, date, Decimal]]:
    """The open development items (planned, booked, in progress) of the
    organisation's active staff with a role, whatever the slice: a service's
    recovery counts everyone below it. One query."""
    return list(
        DevelopmentItem.objects.open()
        .filter(employee__organisation=org, employee__active=True, employee__job_role__isnull=False)
        .order_by("pk")
        .values_list(
            "employee_id",
            "employee__service_id",
            "employee__job_role_id",
            "skill_id",
            "target_level",
            "ends_on",
            "cost",
        )
    )


def skills_data(org: Organisation, services_only: Collection[int] | None = None) -> SkillsData:
    """Everything the skills-gap step needs. Six queries, whatever the size:
    services, staff, requirements, latest ratings, previous gaps' dates, open
    development items (and, when there are any, their people's latest ratings).
    With ``services_only``, the staff, ratings and previous gaps of those services
    alone (an incremental run); development is read for the whole organisation."""
    services = list(Service.objects.filter(organisation=org).values_list("pk", "parent_id", "kind", "name"))
    staff_rows = Employee.objects.filter(organisation=org, active=True, job_role__isnull=False)
    previous_rows = SkillGap.objects.filter(organisation=org, first_seen_on__isnull=False)
    if services_only is not None:
        staff_rows = staff_rows.filter(service_id__in=services_only)
        previous_rows = previous_rows.filter(service_id__in=services_only)
    staff = list(
        staff_rows.order_by("pk").values_list(
            "pk", "service_id", "job_role_id", "first_name", "last_name", "employment_type"
        )
    )
    by_role: dict[int, list[Requirement]] = defaultdict(list)
    skills: dict[int, tuple[str, str]] = {}
    statutory: set[int] = set()
    role_rates: dict[int, Decimal] = {}
    for (
        role_id,
        skill_id,
        level,
        essential,
        name,
        category,
        is_statutory,
        rate,
    ) in SkillRequirement.objects.filter(job_role__organisation=org).values_list(
        "job_role_id",
        "skill_id",
        "required_level",
        "essential",
        "skill__name",
        "skill__category",
        "skill__statutory",
        "job_role__interim_day_rate",
    ):
        by_role[role_id].append(Requirement(skill_id, level, essential))
        skills[skill_id] = (name, category)
        if is_statutory:
            statutory.add(skill_id)
        if rate is not None:
            role_rates[role_id] = rate
    ratings = latest_ratings(org.pk, services_only)
    development = open_development(org)
    development_ratings = (
        latest_ratings(org.pk, employees=sorted({row[0] for row in development})) if development else {}
    )
    previous: dict[tuple[str, int, int], date] = {}
    for employee_id, service_id, skill_id, since in previous_rows.values_list(
        "employee_id", "service_id", "skill_id", "first_seen_on"
    ):
        key = ("e", employee_id, skill_id) if employee_id else ("s", service_id, skill_id)
        previous[key] = since
    return SkillsData(
        threshold=Decimal(org.skills_coverage_threshold),
        services=services,
        staff=staff,
        requirements_by_role=dict(by_role),
        skills=skills,
        ratings=ratings,
        previous_since=previous,
        statutory=statutory,
        day_rate=Decimal(org.interim_day_rate),
        role_rates=role_rates,
        development=development,
        development_ratings=development_ratings,
    )


@dataclass
class GapDevelopment:
    """What is planned against one skill's gap in a service: the development items
    (not cancelled) of the people short of the level, and their cost."""

    items: int = 0
    people: set[int] = field(default_factory=set)
    planned: Decimal = Decimal(0)  # items still only planned
    committed: Decimal = Decimal(0)  # booked, in progress or completed

    def add(self, employee_id: int, status: str, cost: Decimal) -> None:
        self.items += 1
        self.people.add(employee_id)
        if status in COMMITTED_STATUSES:
            self.committed += cost
        else:
            self.planned += cost


def development_against_gaps(
    items: QuerySet[DevelopmentItem], gaps: QuerySet[SkillGap], service_ids: Collection[int]
) -> dict[int, GapDevelopment]:
    """Per skill: the development of the people short of their role's level in
    ``service_ids``. ``items`` and ``gaps`` are the viewer's scoped querysets; the
    figures are totals, not about anyone. Two queries: the people short, their items."""
    short = set(
        gaps.filter(employee__isnull=False, gap__gt=0, service_id__in=service_ids).values_list(
            "employee_id", "skill_id"
        )
    )
    result: dict[int, GapDevelopment] = {}
    if not short:
        return result
    rows = (
        items.exclude(status=DevelopmentStatus.CANCELLED)
        .filter(employee_id__in={e for e, _ in short}, skill_id__in={s for _, s in short})
        .values_list("employee_id", "skill_id", "status", "cost")
    )
    for employee_id, skill_id, status, cost in rows:
        if (employee_id, skill_id) in short:
            result.setdefault(skill_id, GapDevelopment()).add(employee_id, status, cost)
    return result


def development_of(items: QuerySet[DevelopmentItem], pairs: Collection[tuple[int, int]]) -> dict:
    """{(person, skill): [their development items, not cancelled, soonest first]}
    for the (person, skill) pairs of a page: one query."""
    result: dict[tuple[int, int], list[DevelopmentItem]] = {}
    if not pairs:
        return result
    for item in (
        items.exclude(status=DevelopmentStatus.CANCELLED)
        .filter(employee_id__in={e for e, _ in pairs}, skill_id__in={s for _, s in pairs})
        .order_by("ends_on", "pk")
    ):
        if (item.employee_id, item.skill_id) in pairs:
            result.setdefault((item.employee_id, item.skill_id), []).append(item)
    return result
