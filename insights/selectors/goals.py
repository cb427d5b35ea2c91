"""Goals by status, organisation priorities and appraisal-cycle completion.

Set-based: a fixed number of queries whatever the size of the tree; each
function's docstring gives its count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from appraisals.models import AppraisalCycle, FeedbackSession, Goal, GoalLevel, GoalStatus, SessionKind
from organisations.models import Employee, Organisation

# --- Goals -------------------------------------------------------------------

GOAL_LEVELS_IN_SERVICE = (GoalLevel.SERVICE, GoalLevel.TEAM, GoalLevel.INDIVIDUAL)


@dataclass
class GoalStatusRow:
    status: str
    label: str
    by_level: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


def goals_by_status(organisation: Organisation, service_ids: Iterable[int]) -> list[GoalStatusRow]:
    """Service and team goals of the services, and individual objectives of the
    people in them, counted by status and level. One query."""
    ids = list(service_ids)
    goals = Goal.objects.filter(organisation=organisation).order_by()
    # Two grouped halves in one statement: each can use its own index (the
    # services' goals, the objectives of the people in the services), where one
    # OR across the join would read every goal of the organisation.
    shared = goals.filter(level__in=(GoalLevel.SERVICE, GoalLevel.TEAM), service_id__in=ids)
    individual = goals.filter(level=GoalLevel.INDIVIDUAL, owner__service_id__in=ids)
    grouped = (
        shared.values("status", "level")
        .annotate(n=Count("pk"))
        .union(individual.values("status", "level").annotate(n=Count("pk")), all=True)
    )
    table = {
        s.value: GoalStatusRow(s.value, s.label, {lv.value: 0 for lv in GOAL_LEVELS_IN_SERVICE})
        for s in GoalStatus
    }
    for g in grouped:
        if g["status"] in table and g["level"] in table[g["status"]].by_level:
            table[g["status"]].by_level[g["level"]] += g["n"]
    return list(table.values())


def organisation_priorities(organisation: Organisation) -> list[Goal]:
    """The organisation's live priorities, soonest due first. One query."""
    return list(
        Goal.objects.filter(organisation=organisation, level=GoalLevel.ORGANISATION)
        .exclude(status=GoalStatus.DROPPED)
        .order_by("due_date", "title")
    )


# --- Appraisal cycle -------------------------------------------------------


def pick_current_cycle(cycles: list[AppraisalCycle], today: date) -> AppraisalCycle | None:
    """The cycle under way: the latest whose mid-year window has opened (so last
    year's year-end reviews stay in view until the next mid-year), else the
    next one to open."""
    ordered = sorted(cycles, key=lambda c: c.financial_year)
    started = [c for c in ordered if c.mid_year_opens <= today]
    if started:
        return started[-1]
    return ordered[0] if ordered else None


@dataclass
class CycleCompletion:
    cycle: AppraisalCycle | None
    staff: int
    mid_year_done: int = 0
    year_end_done: int = 0

    @property
    def mid_year_percent(self) -> float:
        return self.mid_year_done / self.staff * 100 if self.staff else 0.0

    @property
    def year_end_percent(self) -> float:
        return self.year_end_done / self.staff * 100 if self.staff else 0.0


def _reviews_done(
    organisation: Organisation, employees: QuerySet[Employee], kind: str, **held_on
) -> Subquery:
    """People among ``employees`` with a review of ``kind`` held in a window
    taken from the outer cycle row (the organisation, kind and dates narrow the
    sessions on an index before the people are matched)."""
    return Coalesce(
        Subquery(
            FeedbackSession.objects.filter(
                organisation=organisation, employee__in=employees, kind=kind, **held_on
            )
            .order_by()
            .values("kind")
            .annotate(n=Count("employee_id", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def cycle_completion(
    organisation: Organisation, employees: QuerySet[Employee], staff: int, today: date
) -> CycleCompletion:
    """The current cycle, and how many of ``employees`` have had its mid-year and
    year-end reviews. A mid-year review counts from its window opening until the
    year-end window opens; a year-end review from its window opening on (late
    reviews still count as done). One query: the organisation's cycles, each
    with its counts."""
    # Only the cycles pick_current_cycle can choose: the latest that has started
    # and any still to start; counting reviews for past years is wasted work.
    latest_started = (
        AppraisalCycle.objects.filter(organisation=organisation, mid_year_opens__lte=today)
        .order_by("-financial_year")
        .values("pk")[:1]
    )
    cycles = list(
        AppraisalCycle.objects.filter(organisation=organisation)
        .filter(Q(mid_year_opens__gt=today) | Q(pk=Subquery(latest_started)))
        .annotate(
            mid_year_done=_reviews_done(
                organisation,
                employees,
                SessionKind.MID_YEAR,
                held_on__gte=OuterRef("mid_year_opens"),
                held_on__lt=OuterRef("year_end_opens"),
            ),
            year_end_done=_reviews_done(
                organisation, employees, SessionKind.ANNUAL, held_on__gte=OuterRef("year_end_opens")
            ),
        )
    )
    cycle = pick_current_cycle(cycles, today)
    if cycle is None:
        return CycleCompletion(cycle=None, staff=staff)
    return CycleCompletion(
        cycle=cycle, staff=staff, mid_year_done=cycle.mid_year_done, year_end_done=cycle.year_end_done
    )
