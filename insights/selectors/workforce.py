"""Workforce mix and supervision compliance of a service tree.

Set-based: a fixed number of queries whatever the size of the tree; each
function's docstring gives its count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Sum

from appraisals.selectors.supervision import Cadence, compliance, most_overdue, with_cadence
from organisations.models import Employee, EmploymentType, Organisation
from organisations.models.people import CONTINGENT_TYPES
from organisations.rules import workforce as workforce_rules

ZERO = Decimal("0")
# --- Workforce ---------------------------------------------------------------


@dataclass
class WorkforceRow:
    employment_type: str
    label: str
    headcount: int = 0
    fte: Decimal = ZERO
    ending_30: int = 0
    ending_90: int = 0

    def add(self, other: WorkforceRow) -> None:
        self.headcount += other.headcount
        self.fte += other.fte
        self.ending_30 += other.ending_30
        self.ending_90 += other.ending_90


@dataclass
class Workforce:
    """Headcount and FTE by employment type, with the interim and agency share
    (each figure worked out once: a page reads them several times per row)."""

    rows: list[WorkforceRow]
    threshold: Decimal

    @cached_property
    def headcount(self) -> int:
        return sum(r.headcount for r in self.rows)

    @cached_property
    def fte(self) -> Decimal:
        return sum((r.fte for r in self.rows), ZERO)

    @cached_property
    def contingent_headcount(self) -> int:
        return sum(r.headcount for r in self.rows if r.employment_type in CONTINGENT_TYPES)

    @cached_property
    def contingent_fte(self) -> Decimal:
        return sum((r.fte for r in self.rows if r.employment_type in CONTINGENT_TYPES), ZERO)

    @cached_property
    def _share(self) -> Decimal | None:
        return workforce_rules.interim_share(contingent_fte=self.contingent_fte, total_fte=self.fte)

    @cached_property
    def interim_share(self) -> float:
        """Interim and agency FTE as a percentage of all FTE: the one measure
        (organisations/rules/workforce.py), as the interim_reliance flag takes it."""
        return float(self._share) if self._share is not None else 0.0

    @cached_property
    def above_threshold(self) -> bool:
        return workforce_rules.above_threshold(self._share, self.threshold)

    @cached_property
    def ending_30(self) -> int:
        return sum(r.ending_30 for r in self.rows)

    @cached_property
    def ending_90(self) -> int:
        return sum(r.ending_90 for r in self.rows)


WorkforceCounts = dict[int, dict[str, WorkforceRow]]


def workforce_by_service(people: Iterable[Employee], today: date) -> WorkforceCounts:
    """Staff grouped by service and employment type, with contracts ending
    within 30 and 90 days (from today, inclusive). No query: it counts the
    people a page has already loaded for the supervision cadence."""
    labels = dict(EmploymentType.choices)
    in_30, in_90 = today + timedelta(days=30), today + timedelta(days=90)
    result: WorkforceCounts = {}
    for e in people:
        kind = e.employment_type
        row = result.setdefault(e.service_id, {}).get(kind)
        if row is None:
            row = result[e.service_id][kind] = WorkforceRow(
                employment_type=kind, label=labels.get(kind, kind)
            )
        row.headcount += 1
        row.fte += e.fte
        if e.end_date is not None and today <= e.end_date:
            row.ending_30 += e.end_date <= in_30
            row.ending_90 += e.end_date <= in_90
    return result


def workforce_mix(
    counts: WorkforceCounts, service_ids: Iterable[int] | None, threshold: Decimal
) -> Workforce:
    """Roll the grouped counts up over ``service_ids`` (None: every service). No query."""
    rows = {
        value: WorkforceRow(employment_type=value, label=label) for value, label in EmploymentType.choices
    }
    ids = counts.keys() if service_ids is None else service_ids
    for sid in ids:
        for kind, row in counts.get(sid, {}).items():
            rows.setdefault(kind, WorkforceRow(employment_type=kind, label=kind)).add(row)
    return Workforce(rows=list(rows.values()), threshold=threshold)


# --- Supervision -------------------------------------------------------------

# What cadence, workforce and the overdue list read of each person: loading only
# these keeps a 10,000-person page fast (model instances are the cost).
PERSON_FIELDS = (
    "id",
    "organisation_id",
    "service_id",
    "first_name",
    "last_name",
    "employment_type",
    "fte",
    "start_date",
    "end_date",
    "feedback_interval_days",
    "newly_qualified",
)


def people_for_cadence(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    return employees.only(*PERSON_FIELDS)


@dataclass
class Supervision:
    in_date: int
    total: int
    percent: float
    overdue: list[Cadence]  # most overdue first (all of them, or the first few: see overdue_count)
    overdue_total: int | None = None  # when ``overdue`` lists only the first few

    @property
    def overdue_count(self) -> int:
        return len(self.overdue) if self.overdue_total is None else self.overdue_total


def supervision_summary(cadences: Iterable[Cadence]) -> Supervision:
    """Compliance over already-computed cadences (appraisals.selectors.supervision.cadence_for). No query."""
    by_id = {c.employee.pk: c for c in cadences}
    in_date, total, percent = compliance(by_id)
    overdue = sorted(
        (c for c in by_id.values() if c.overdue),
        key=lambda c: (-c.days_overdue, c.employee.last_name, c.employee.first_name),
    )
    return Supervision(in_date=in_date, total=total, percent=percent, overdue=overdue)


@dataclass
class Compliance:
    in_date: int = 0
    total: int = 0

    @property
    def percent(self) -> float:
        return self.in_date / self.total * 100 if self.total else 100.0


def compliance_by_service(cadences: Iterable[Cadence]) -> dict[int, Compliance]:
    """In-date and total staff per service, to be summed over any subtree. No query."""
    result: dict[int, Compliance] = {}
    for c in cadences:
        row = result.setdefault(c.employee.service_id, Compliance())
        row.total += 1
        row.in_date += not c.overdue
    return result


def staff_figures(
    staff: QuerySet[Employee], organisation: Organisation, today: date
) -> tuple[WorkforceCounts, dict[int, Compliance]]:
    """What :func:`workforce_by_service` and :func:`compliance_by_service` give,
    counted by the database in one grouped query (a row per service and
    employment type) instead of loading every person: a council-wide page stays
    the same few hundred rows at 10,000 staff."""
    labels = dict(EmploymentType.choices)
    in_30, in_90 = today + timedelta(days=30), today + timedelta(days=90)
    grouped = (
        with_cadence(staff.order_by(), organisation, today)
        .values("service_id", "employment_type")
        .annotate(
            headcount=Count("pk"),
            fte=Sum("fte"),
            ending_30=Count("pk", filter=Q(end_date__gte=today, end_date__lte=in_30)),
            ending_90=Count("pk", filter=Q(end_date__gte=today, end_date__lte=in_90)),
            overdue=Count("pk", filter=Q(due__lt=today)),
        )
        .order_by()
    )
    workforce: WorkforceCounts = {}
    supervision: dict[int, Compliance] = {}
    for g in grouped:
        sid, kind = g["service_id"], g["employment_type"]
        workforce.setdefault(sid, {})[kind] = WorkforceRow(
            employment_type=kind,
            label=labels.get(kind, kind),
            headcount=g["headcount"],
            fte=g["fte"] or ZERO,
            ending_30=g["ending_30"],
            ending_90=g["ending_90"],
        )
        row = supervision.setdefault(sid, Compliance())
        row.total += g["headcount"]
        row.in_date += g["headcount"] - g["overdue"]
    return workforce, supervision


@dataclass
class StoredFigures:
    """Whole services' figures as the last recompute run stored them (a read model)."""

    workforce: WorkforceCounts
    supervision: dict[int, Compliance]
    kpi_total: int
    kpi_counts: dict[str, int]  # by the status each KPI's row shows, worst first
    exceptions: list[int]  # KPI ids, the most pressing first
    goals: list  # GoalStatusRow per status, as insights.selectors.goals.goals_by_status gives
    overdue: list[int]  # who may be among the most overdue (every one of them is here)


def stored_figures(
    organisation: Organisation, service_ids: Iterable[int], today: date
) -> StoredFigures | None:
    """What :func:`staff_figures` counts and what a dashboard reads from every KPI's
    scorecard row (counts by status, the exceptions in order), for whole services,
    from the figures the last recompute run stored for each (``ServiceFigures``:
    one query of a row per service instead of counting every person and judging
    every KPI). None when a service has no figures from today (the caller counts
    them itself); a save's run refreshes its services' figures within seconds."""
    from appraisals.models import GoalStatus
    from insights.models import ServiceFigures
    from insights.selectors.goals import GOAL_LEVELS_IN_SERVICE, GoalStatusRow
    from organisations.rules import kpis as kpi_rules

    ids = set(service_ids)
    rows = list(
        ServiceFigures.objects.filter(organisation=organisation, service_id__in=ids).values_list(
            "service_id", "as_of", "staff", "kpis", "goals", "overdue"
        )
    )
    if not ids or len(rows) != len(ids) or any(row[1] != today for row in rows):
        return None
    labels = dict(EmploymentType.choices)
    goal_table = {
        s.value: GoalStatusRow(s.value, s.label, {lv.value: 0 for lv in GOAL_LEVELS_IN_SERVICE})
        for s in GoalStatus
    }
    figures = StoredFigures(
        {}, {}, 0, {s: 0 for s in kpi_rules.SHOWN_STATUSES}, [], list(goal_table.values()), []
    )
    exceptions = []
    for sid, _, staff, kpis, goals, overdue in rows:
        figures.overdue += overdue
        for level, statuses in goals.items():
            for status, n in statuses.items():
                if status in goal_table and level in goal_table[status].by_level:
                    goal_table[status].by_level[level] += n
        for kind, (headcount, fte, ending_30, ending_90, overdue) in staff.items():
            figures.workforce.setdefault(sid, {})[kind] = WorkforceRow(
                employment_type=kind,
                label=labels.get(kind, kind),
                headcount=headcount,
                fte=Decimal(fte),
                ending_30=ending_30,
                ending_90=ending_90,
            )
            row = figures.supervision.setdefault(sid, Compliance())
            row.total += headcount
            row.in_date += headcount - overdue
        for status, n in kpis.get("counts", {}).items():
            figures.kpi_counts[status] = figures.kpi_counts.get(status, 0) + n
            figures.kpi_total += n
        exceptions += kpis.get("exceptions", [])
    # As the dashboard orders them: red and worsening, red, amber and worsening, amber; by code.
    exceptions.sort(key=lambda e: (e[2] != kpi_rules.RED, not e[3], e[1]))
    figures.exceptions = [e[0] for e in exceptions]
    return figures


def stored_staff_figures(
    organisation: Organisation, service_ids: Iterable[int], today: date
) -> tuple[WorkforceCounts, dict[int, Compliance]] | None:
    """:func:`staff_figures` for whole services, from :func:`stored_figures`."""
    figures = stored_figures(organisation, service_ids, today)
    return None if figures is None else (figures.workforce, figures.supervision)


def supervision_over(
    by_service: dict[int, Compliance],
    staff: QuerySet[Employee],
    organisation: Organisation,
    today: date,
    *,
    listed: int,
) -> Supervision:
    """Compliance over every service counted in ``by_service`` (from
    :func:`staff_figures`), with the ``listed`` most overdue of ``staff``: one
    query (none when ``listed`` is 0)."""
    total = compliance_over(by_service, by_service.keys())
    overdue_total = total.total - total.in_date
    overdue = most_overdue(staff, organisation, today, limit=listed) if listed else []
    return Supervision(
        in_date=total.in_date,
        total=total.total,
        percent=total.percent,
        overdue=overdue,
        overdue_total=overdue_total,
    )


def compliance_over(by_service: dict[int, Compliance], service_ids: Iterable[int]) -> Compliance:
    total = Compliance()
    for sid in service_ids:
        row = by_service.get(sid)
        if row:
            total.in_date += row.in_date
            total.total += row.total
    return total
