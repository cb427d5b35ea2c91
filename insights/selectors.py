"""Reads for the role dashboards and the quarterly report.

Every function here is set-based: it loads what it needs for a whole service
tree (or organisation) in a fixed number of queries, whatever the number of
people, KPIs or flags, and leaves the rest to plain Python. The query count of
each is in its docstring, so a page's budget can be added up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from appraisals.models import AppraisalCycle, FeedbackSession, Goal, GoalLevel, GoalStatus, SessionKind
from appraisals.selectors import Cadence, compliance, most_overdue, with_cadence
from organisations import kpi_rules
from organisations.models import KPI, Employee, EmploymentType, KPIResult, KPITarget, Organisation, Risk
from organisations.models.structure import CONTINGENT_TYPES
from organisations.selectors.kpis import ResultPoint, ScorecardRow

from .models import Flag, FlagSeverity, SkillGap
from .models.flags import PERSONAL_KINDS

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
    def interim_share(self) -> float:
        """Interim and agency FTE as a percentage of all FTE (the interim_reliance rule's measure)."""
        return float(self.contingent_fte / self.fte * 100) if self.fte else 0.0

    @cached_property
    def above_threshold(self) -> bool:
        return self.interim_share > float(self.threshold)

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
    """Compliance over already-computed cadences (appraisals.selectors.cadence_for). No query."""
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


# --- KPIs ------------------------------------------------------------------


def kpi_status_by_service(rows: Iterable[ScorecardRow]) -> dict[int, dict[str, int]]:
    """Scorecard rows counted by the KPI's service and status. No query."""
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        counts = result.setdefault(row.kpi.service_id, {s: 0 for s in kpi_rules.STATUSES})
        counts[row.status] += 1
    return result


def kpi_status_counts_by_service(statuses: Iterable[tuple[int, int, str]]) -> dict[int, dict[str, int]]:
    """:func:`kpi_status_by_service` over ``latest_statuses``' triples. No query."""
    result: dict[int, dict[str, int]] = {}
    for _kpi_id, service_id, status in statuses:
        counts = result.setdefault(service_id, {s: 0 for s in kpi_rules.STATUSES})
        counts[status] += 1
    return result


def add_counts(dicts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {s: 0 for s in kpi_rules.STATUSES}
    for d in dicts:
        for k, v in d.items():
            total[k] = total.get(k, 0) + v
    return total


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


# --- Flags -------------------------------------------------------------------

# A flag opened within this many days is new: it leads the dashboard's list, marked.
NEW_FLAG_DAYS = 7

SEVERITY_ORDER = Case(
    When(severity=FlagSeverity.HIGH, then=Value(0)),
    When(severity=FlagSeverity.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class SeverityCount:
    severity: str
    label: str
    listed: int = 0  # flags whose content this viewer is shown
    personal: int = 0  # flags about a person, counted only when not listed
    new: int = 0  # of both, opened since the summary's new_since

    @property
    def total(self) -> int:
        return self.listed + self.personal


@dataclass
class FlagSummary:
    counts: list[SeverityCount]
    flags: list[Flag]
    include_personal: bool
    limit: int
    new_since: datetime | None = None  # a flag opened since then is marked as recent
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts)

    @property
    def listed_total(self) -> int:
        return sum(c.listed for c in self.counts)

    @property
    def personal_total(self) -> int:
        return sum(c.personal for c in self.counts)

    @property
    def new_total(self) -> int:
        return sum(c.new for c in self.counts)

    @property
    def more(self) -> int:
        return max(0, self.listed_total - len(self.flags))


def flags_by_severity(
    organisation: Organisation,
    service_ids: Iterable[int],
    *,
    include_personal: bool,
    new_since: datetime | None = None,
    limit: int = 20,
) -> FlagSummary:
    """Flags needing attention in the services: those opened since ``new_since``
    first, then by severity and newest first.

    Flags about a person (feedback overdue, underperformance ...) are for the
    person's chain and head of service: without ``include_personal`` they are
    counted, never listed. Two queries."""
    ids = list(service_ids)
    base = Flag.objects.needing_attention().filter(organisation=organisation, service_id__in=ids)
    counts = {s.value: SeverityCount(s.value, s.label) for s in FlagSeverity}
    annotations = {"n": Count("pk")}
    ordering: tuple = (SEVERITY_ORDER, "-opened_at", "-pk")
    if new_since is not None:
        is_new = Q(opened_at__gte=new_since)
        annotations["new"] = Count("pk", filter=is_new)
        ordering = (
            Case(When(is_new, then=Value(0)), default=Value(1), output_field=IntegerField()),
            *ordering,
        )
    for g in base.order_by().values("severity", "kind").annotate(**annotations):
        row = counts.get(g["severity"])
        if row is None:
            continue
        row.new += g.get("new", 0)
        if g["kind"] in PERSONAL_KINDS and not include_personal:
            row.personal += g["n"]
        else:
            row.listed += g["n"]
    listed = base if include_personal else base.exclude(kind__in=PERSONAL_KINDS)
    # The first few picked on the flags alone, then joined to their service and
    # person: joining first would join every flag of the tree only to keep 20.
    first = listed.order_by(*ordering).values("pk")[:limit]
    flags = list(
        Flag.objects.filter(pk__in=Subquery(first)).select_related("service", "employee").order_by(*ordering)
    )
    return FlagSummary(
        counts=list(counts.values()),
        flags=flags,
        include_personal=include_personal,
        limit=limit,
        new_since=new_since,
    )


def high_flags_by_service(organisation: Organisation) -> dict[int, int]:
    """High-severity flags needing attention, counted by service. One query."""
    return dict(
        Flag.objects.needing_attention()
        .filter(organisation=organisation, severity=FlagSeverity.HIGH, service__isnull=False)
        .order_by()
        .values("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    )


# --- Skills gaps and risks -------------------------------------------------


def top_skill_gaps(
    organisation: Organisation, service_ids: Iterable[int], *, limit: int = 10
) -> list[SkillGap]:
    """Service-level skills gaps (not one person's) in the services, worst
    coverage first, essential skills before desirable. One query."""
    return list(
        SkillGap.objects.filter(
            organisation=organisation, employee__isnull=True, service_id__in=list(service_ids)
        )
        .filter(Q(people_meeting__lt=F("people_required")) | ~Q(recommendation=""))
        .select_related("skill", "service")
        .order_by("coverage", "-essential", "-people_required", "skill__name", "pk")[:limit]
    )


def top_risks(
    organisation: Organisation,
    service_ids: Iterable[int] | None = None,
    *,
    above_target_only: bool = False,
    limit: int | None = 10,
) -> list[Risk]:
    """Open risks by residual score, highest first; None for ``service_ids`` is the
    whole register (corporate risks included). One query."""
    qs = Risk.objects.filter(organisation=organisation, is_open=True)
    if service_ids is not None:
        qs = qs.filter(service_id__in=list(service_ids))
    if above_target_only:
        qs = qs.filter(residual_score__gt=F("target_likelihood") * F("target_impact"))
    qs = qs.select_related("service", "owner").order_by("-residual_score", "title", "pk")
    return list(qs[:limit] if limit else qs)


# --- The quarterly report --------------------------------------------------


@dataclass
class QuarterRow:
    """One KPI in a quarter: its result (the quarter-end month's for a monthly
    KPI), against the previous quarter and the same quarter last year."""

    kpi: KPI
    result: KPIResult | None
    target: KPITarget | None
    # The comparisons' figures (period, value, status): the scorecard's, or loaded.
    previous_quarter: ResultPoint | None
    last_year: ResultPoint | None
    direction_previous: str | None
    direction_last_year: str | None

    @property
    def status(self) -> str:
        return self.result.status if self.result else kpi_rules.GREY

    @property
    def has_result(self) -> bool:
        return self.result is not None

    @property
    def is_exception(self) -> bool:
        return self.status == kpi_rules.RED or self.direction_previous == kpi_rules.WORSENING

    @property
    def period_label(self) -> str:
        if not self.result:
            return "No result for this quarter"
        return kpi_rules.period_label(self.result.period_end, self.kpi.frequency, self.kpi.start_month)

    def show(self, result: KPIResult | None) -> str:
        return self.kpi.format(result.value if result else None)

    @property
    def value_display(self) -> str:
        return self.show(self.result)

    @property
    def target_display(self) -> str:
        return self.kpi.format(self.target.target if self.target else None)

    @property
    def previous_display(self) -> str:
        return self.show(self.previous_quarter)

    @property
    def last_year_display(self) -> str:
        return self.show(self.last_year)


def _quarter_earlier(period_end: date, frequency: str, start_month: int) -> date:
    """The comparable period one quarter earlier: three months back for a
    monthly KPI, the previous quarter or year otherwise."""
    if frequency == kpi_rules.MONTHLY:
        end = period_end
        for _ in range(3):
            end = kpi_rules.previous_period_end(end, frequency, start_month)
        return end
    return kpi_rules.previous_period_end(period_end, frequency, start_month)


def quarter_rows(rows: list[ScorecardRow], quarter_start: date) -> list[QuarterRow]:
    """Turn a scorecard taken as of a quarter's end into the report's rows. A
    monthly or quarterly KPI with nothing inside the quarter has no result for
    it. The comparisons come from the figures the scorecard already holds (about
    two years of each KPI); one query, for those older than that."""
    wanted: dict[tuple[int, date], str] = {}
    current: dict[int, KPIResult | None] = {}
    for row in rows:
        kpi, latest = row.kpi, row.latest
        if latest and kpi.frequency != kpi_rules.ANNUAL and latest.period_end < quarter_start:
            latest = None
        current[kpi.pk] = latest
        if latest:
            start = kpi.start_month
            wanted[(kpi.pk, _quarter_earlier(latest.period_end, kpi.frequency, start))] = "previous"
            wanted[(kpi.pk, kpi_rules.same_period_last_year(latest.period_end, kpi.frequency, start))] = (
                "last"
            )
    found: dict[tuple[int, date], ResultPoint] = {}
    held = {row.kpi.pk: row for row in rows}
    older = []
    for kpi_id, period_end in wanted:
        row = held[kpi_id]
        if row.figures_from is None or period_end < row.figures_from:
            older.append((kpi_id, period_end))
        elif period_end in row.by_period:
            found[(kpi_id, period_end)] = row.by_period[period_end]
    # Always the one query, empty when nothing is older: the report then costs the
    # same number of queries whatever the data (a KPI whose latest figure is stale
    # has its comparisons outside the window only now and then).
    for pk, kpi_id, period_end, value, status in (
        KPIResult.objects.filter(
            kpi_id__in={k for k, _ in older} or {0}, period_end__in={d for _, d in older} or {date.min}
        )
        .order_by()
        .values_list("pk", "kpi_id", "period_end", "value", "status")
    ):
        found[(kpi_id, period_end)] = ResultPoint(pk, period_end, value, status)
    result = []
    for row in rows:
        kpi = row.kpi
        latest = current[kpi.pk]
        previous = last = None
        if latest:
            start = kpi.start_month
            previous = found.get((kpi.pk, _quarter_earlier(latest.period_end, kpi.frequency, start)))
            last = found.get(
                (kpi.pk, kpi_rules.same_period_last_year(latest.period_end, kpi.frequency, start))
            )
        value = latest.value if latest else None
        result.append(
            QuarterRow(
                kpi=kpi,
                result=latest,
                target=row.target if latest else None,
                previous_quarter=previous,
                last_year=last,
                direction_previous=kpi_rules.direction_of_travel(
                    current=value, previous=previous.value if previous else None, polarity=kpi.polarity
                ),
                direction_last_year=kpi_rules.direction_of_travel(
                    current=value, previous=last.value if last else None, polarity=kpi.polarity
                ),
            )
        )
    return result


def latest_complete_quarter(today: date, start_month: int) -> tuple[int, int]:
    """(financial year, quarter) of the last quarter that has ended by ``today``."""
    fy = kpi_rules.financial_year_start(today, start_month)
    q = kpi_rules.quarter_of(today, start_month)
    if q == 1:
        return fy - 1, 4
    return fy, q - 1


# --- Public trend ------------------------------------------------------------

TREND_POINTS = {kpi_rules.MONTHLY: 12, kpi_rules.QUARTERLY: 8, kpi_rules.ANNUAL: 5}


@dataclass
class TrendPoint:
    label: str
    value: str
    target: str


def kpi_trends(kpis: list[KPI], today: date) -> dict[int, list[TrendPoint]]:
    """The recent results of each KPI, oldest first, with the target of each
    result's year: 12 months, 8 quarters or 5 years. Two queries."""
    if not kpis:
        return {}
    ids = [k.pk for k in kpis]
    results = KPIResult.objects.filter(kpi_id__in=ids, period_end__lte=today).filter(
        Q(period_end__gte=today - timedelta(days=800))
        | Q(kpi__frequency=kpi_rules.ANNUAL, period_end__gte=today - timedelta(days=366 * 6))
    )
    # Plain tuples, not model instances: a public page of a large council reads
    # thousands of results, and building each KPIResult cost more than the query.
    by_kpi: dict[int, list[tuple[date, Decimal]]] = {}
    for kpi_id, period_end, value in results.order_by("kpi_id", "period_end").values_list(
        "kpi_id", "period_end", "value"
    ):
        by_kpi.setdefault(kpi_id, []).append((period_end, value))
    targets = dict(
        ((kpi_id, year), target)
        for kpi_id, year, target in KPITarget.objects.filter(kpi_id__in=ids)
        .order_by()
        .values_list("kpi_id", "financial_year", "target")
    )
    trends: dict[int, list[TrendPoint]] = {}
    for kpi in kpis:
        points = by_kpi.get(kpi.pk, [])[-TREND_POINTS[kpi.frequency] :]
        start = kpi.start_month
        trends[kpi.pk] = [
            TrendPoint(
                label=kpi_rules.period_label(period_end, kpi.frequency, start),
                value=kpi.format(value),
                target=kpi.format(targets.get((kpi.pk, kpi_rules.financial_year_start(period_end, start)))),
            )
            for period_end, value in points
        ]
    return trends
