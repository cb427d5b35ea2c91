"""Reads shared by pages and dashboards: supervision cadence in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from appraisals.models import AppraisalCycle, FeedbackSession, SessionKind, SkillRating
from appraisals.rules import cadence
from organisations.models import Employee, Organisation
from organisations.rules import years as year_rules


@dataclass
class Cadence:
    employee: Employee
    last_session: date | None
    interval_days: int
    next_due: date | None
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


# The person's job role's family's interval, read with the person in the same query.
FAMILY_INTERVAL = "job_role__job_family__feedback_interval_days"


def with_family_interval(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """``employees`` annotated with ``family_interval_days`` (a join, no extra query)."""
    return employees.annotate(family_interval_days=F(FAMILY_INTERVAL))


def family_interval_of(employee: Employee) -> int | None:
    """The interval of the person's job role's family: from the annotation when the
    person was loaded through :func:`with_family_interval`, else from their role."""
    if hasattr(employee, "family_interval_days"):
        return employee.family_interval_days
    if employee.job_role_id is None:
        return None
    family = employee.job_role.job_family
    return family.feedback_interval_days if family is not None else None


def interval_for(employee: Employee, organisation: Organisation, today: date) -> int:
    """The ASYE rhythm for a newly qualified worker; else the person's own interval,
    else their job role's family's, else the organisation's default."""
    if employee.newly_qualified:
        return cadence.supervision_interval_for_asye(start_date=employee.start_date, today=today)
    return cadence.effective_interval(
        own_override=employee.feedback_interval_days,
        family_interval=family_interval_of(employee),
        organisation_default=organisation.default_feedback_interval_days,
    )


def cadence_for(employees: QuerySet[Employee], organisation: Organisation, today: date) -> dict[int, Cadence]:
    """Last session, next due and days overdue for each employee: two queries.

    Every session held counts, draft or shared: the meeting happened."""
    people = list(with_family_interval(employees))
    last = dict(
        FeedbackSession.objects.filter(employee__in=employees)
        .values("employee_id")
        .annotate(last=Max("held_on"))
        .values_list("employee_id", "last")
    )
    result = {}
    for e in people:
        interval = interval_for(e, organisation, today)
        due = cadence.next_due(last_session=last.get(e.pk), start_date=e.start_date, interval_days=interval)
        result[e.pk] = Cadence(
            employee=e,
            last_session=last.get(e.pk),
            interval_days=interval,
            next_due=due,
            days_overdue=cadence.days_overdue(due=due, today=today),
        )
    return result


# --- the same rules in the database --------------------------------------------------
# A page about a whole service tree or organisation needs counts (how many are in
# date, per service) and the few most overdue people, not 10,000 Cadence objects:
# these expressions let the database apply the rules above and group or rank.


class AddDays(Func):
    """``a date + n days`` (n an integer expression) on PostgreSQL and SQLite."""

    arity = 2
    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


def interval_expression(organisation: Organisation, today: date) -> Case:
    """:func:`interval_for` as SQL: the ASYE rhythm for newly qualified workers,
    else the person's own interval, else their job role's family's, else the
    organisation's default."""
    weekly_after, fortnightly_after = cadence.asye_start_cutoffs(today=today)
    return Case(
        When(newly_qualified=True, start_date__gt=weekly_after, then=Value(cadence.ASYE_WEEKLY_DAYS)),
        When(
            newly_qualified=True,
            start_date__gt=fortnightly_after,
            then=Value(cadence.ASYE_FORTNIGHTLY_DAYS),
        ),
        When(newly_qualified=True, then=Value(cadence.DEFAULT_INTERVAL_DAYS)),
        When(feedback_interval_days__isnull=False, then=F("feedback_interval_days")),
        When(**{f"{FAMILY_INTERVAL}__isnull": False}, then=F(FAMILY_INTERVAL)),
        default=Value(organisation.default_feedback_interval_days),
        output_field=IntegerField(),
    )


def with_cadence(
    employees: QuerySet[Employee], organisation: Organisation, today: date
) -> QuerySet[Employee]:
    """The employees annotated with ``last_session`` (the latest session held, one
    index probe each), ``interval_days`` and ``due`` (None when nothing anchors the
    clock): :func:`cadence_for`'s figures, computed by the database. Overdue is
    ``due < today``."""
    last = (
        FeedbackSession.objects.filter(employee_id=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    return (
        with_family_interval(employees)
        .annotate(
            last_session=Subquery(last, output_field=DateField()),
            interval_days=interval_expression(organisation, today),
        )
        .annotate(due=AddDays(Coalesce("last_session", "start_date"), "interval_days"))
    )


def cadence_of_annotated(employee: Employee, organisation: Organisation, today: date) -> Cadence:
    """The Cadence of an employee loaded through :func:`with_cadence` (no query):
    the Python rules over the database's ``last_session``."""
    interval = interval_for(employee, organisation, today)
    due = cadence.next_due(
        last_session=employee.last_session, start_date=employee.start_date, interval_days=interval
    )
    return Cadence(
        employee=employee,
        last_session=employee.last_session,
        interval_days=interval,
        next_due=due,
        days_overdue=cadence.days_overdue(due=due, today=today),
    )


def most_overdue(
    employees: QuerySet[Employee], organisation: Organisation, today: date, *, limit: int
) -> list[Cadence]:
    """The ``limit`` most overdue of ``employees``, most overdue first (then by
    name): one query, whatever the number of people."""
    people = (
        with_cadence(employees, organisation, today)
        .filter(due__lt=today)
        .order_by("due", "last_name", "first_name", "pk")[:limit]
    )
    return [cadence_of_annotated(e, organisation, today) for e in people]


def compliance(cadences: dict[int, Cadence]) -> tuple[int, int, float]:
    """(in date, total, percent in date)."""
    total = len(cadences)
    in_date = sum(1 for c in cadences.values() if not c.overdue)
    return in_date, total, (in_date / total * 100 if total else 100.0)


def cadence_for_employee(employee: Employee, organisation: Organisation, today: date) -> Cadence:
    """One person's cadence (one query)."""
    return cadence_for(Employee.objects.filter(pk=employee.pk), organisation, today)[employee.pk]


def latest_skill_ratings(employee: Employee) -> dict[int, tuple[int, str, date]]:
    """{skill id: (level, source, rated on)} of the most recent rating of each skill."""
    latest: dict[int, tuple[int, str, date]] = {}
    rows = (
        SkillRating.objects.settled()
        .filter(employee=employee)
        .order_by("-rated_on", "-created_at")
        .values_list("skill_id", "level", "source", "rated_on")
    )
    for skill_id, level, source, rated_on in rows:
        latest.setdefault(skill_id, (level, source, rated_on))
    return latest


# --- appraisal cycles -------------------------------------------------------------

DONE = "done"
OUTSTANDING = "outstanding"  # the window is open and it has not happened yet
MISSING = "missing"  # the window has closed and it did not happen
NOT_OPEN = "not_open"
NOT_DUE = "not_due"  # started after the window closed

REVIEW_STATUS_LABELS = {
    DONE: "Done",
    OUTSTANDING: "Outstanding",
    MISSING: "Missing",
    NOT_OPEN: "Not open yet",
    NOT_DUE: "Not due",
}


@dataclass
class CyclePerson:
    """Just what the cycle page shows about a person, from plain values: an
    organisation of thousands would otherwise build thousands of model objects."""

    pk: int
    full_name: str
    start_date: date
    service_id: int
    service_name: str
    line_manager_name: str | None


@dataclass
class CycleRow:
    employee: CyclePerson
    mid_year_on: date | None
    year_end_on: date | None
    mid_year: str
    year_end: str


@dataclass
class ServiceCompletion:
    service_id: int
    service_name: str
    people: int
    mid_year_due: int
    mid_year_done: int
    year_end_due: int
    year_end_done: int

    @staticmethod
    def _percent(done: int, due: int) -> int | None:
        return round(done / due * 100) if due else None

    @property
    def mid_year_percent(self) -> int | None:
        return self._percent(self.mid_year_done, self.mid_year_due)

    @property
    def year_end_percent(self) -> int | None:
        return self._percent(self.year_end_done, self.year_end_due)


def cycle_windows(cycle: AppraisalCycle, start_month: int) -> dict[str, tuple[date, date]]:
    """The dates a review counts in: a mid-year review held from the start of the
    financial year until the year-end window opens; a year-end review held after
    the mid-year window closes until the year-end window closes."""
    fy_start, _fy_end = year_rules.fy_bounds(cycle.financial_year, start_month)
    return {
        "mid_year": (fy_start, cycle.year_end_opens - timedelta(days=1)),
        "year_end": (cycle.mid_year_closes + timedelta(days=1), cycle.year_end_closes),
    }


def _review_status(done_on: date | None, *, started: date, opens: date, closes: date, today: date) -> str:
    if done_on is not None:
        return DONE
    if started > closes:
        return NOT_DUE
    if today < opens:
        return NOT_OPEN
    return OUTSTANDING if today <= closes else MISSING


def cycle_completion(cycle: AppraisalCycle, employees: QuerySet[Employee], *, today: date) -> list[CycleRow]:
    """Each person in ``employees`` with their mid-year and year-end review: two queries."""
    windows = cycle_windows(cycle, cycle.organisation.financial_year_start_month)
    (mid_from, mid_to), (end_from, end_to) = windows["mid_year"], windows["year_end"]
    fields = (
        "pk",
        "first_name",
        "last_name",
        "start_date",
        "service_id",
        "service__name",
        "line_manager__first_name",
        "line_manager__last_name",
    )
    people = [
        CyclePerson(
            pk=pk,
            full_name=f"{first} {last}",
            start_date=started,
            service_id=service_id,
            service_name=service_name,
            line_manager_name=f"{lm_first} {lm_last}" if lm_first is not None else None,
        )
        for pk, first, last, started, service_id, service_name, lm_first, lm_last in employees.order_by(
            "last_name", "first_name", "pk"
        ).values_list(*fields)
    ]
    held = {
        row["employee_id"]: row
        for row in FeedbackSession.objects.filter(
            employee__in=employees,
            kind__in=[SessionKind.MID_YEAR, SessionKind.ANNUAL],
            held_on__gte=min(mid_from, end_from),
            held_on__lte=max(mid_to, end_to),
        )
        .values("employee_id")
        .annotate(
            mid=Max(
                "held_on", filter=Q(kind=SessionKind.MID_YEAR, held_on__gte=mid_from, held_on__lte=mid_to)
            ),
            end=Max("held_on", filter=Q(kind=SessionKind.ANNUAL, held_on__gte=end_from, held_on__lte=end_to)),
        )
    }
    rows = []
    for e in people:
        h = held.get(e.pk, {})
        rows.append(
            CycleRow(
                employee=e,
                mid_year_on=h.get("mid"),
                year_end_on=h.get("end"),
                mid_year=_review_status(
                    h.get("mid"),
                    started=e.start_date,
                    opens=cycle.mid_year_opens,
                    closes=cycle.mid_year_closes,
                    today=today,
                ),
                year_end=_review_status(
                    h.get("end"),
                    started=e.start_date,
                    opens=cycle.year_end_opens,
                    closes=cycle.year_end_closes,
                    today=today,
                ),
            )
        )
    return rows


def completion_by_service(rows: list[CycleRow]) -> list[ServiceCompletion]:
    """Counts per service. A review is 'due' once its window has opened for someone
    who had started by the time it closed."""
    due_states = (DONE, OUTSTANDING, MISSING)
    by_service: dict[int, ServiceCompletion] = {}
    for r in rows:
        s = by_service.setdefault(
            r.employee.service_id,
            ServiceCompletion(r.employee.service_id, r.employee.service_name, 0, 0, 0, 0, 0),
        )
        s.people += 1
        s.mid_year_due += r.mid_year in due_states
        s.mid_year_done += r.mid_year == DONE
        s.year_end_due += r.year_end in due_states
        s.year_end_done += r.year_end == DONE
    return sorted(by_service.values(), key=lambda s: (s.service_name, s.service_id))
