"""Reads shared by pages and dashboards: supervision cadence in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, QuerySet

from organisations.models import Employee, Organisation

from . import cadence
from .models import FeedbackSession


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


def interval_for(employee: Employee, organisation: Organisation, today: date) -> int:
    if employee.newly_qualified:
        return cadence.supervision_interval_for_asye(start_date=employee.start_date, today=today)
    return cadence.effective_interval(
        own_override=employee.feedback_interval_days,
        organisation_default=organisation.default_feedback_interval_days,
    )


def cadence_for(employees: QuerySet[Employee], organisation: Organisation, today: date) -> dict[int, Cadence]:
    """Last session, next due and days overdue for each employee: two queries.

    Every session held counts, draft or shared: the meeting happened."""
    people = list(employees)
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


def compliance(cadences: dict[int, Cadence]) -> tuple[int, int, float]:
    """(in date, total, percent in date)."""
    total = len(cadences)
    in_date = sum(1 for c in cadences.values() if not c.overdue)
    return in_date, total, (in_date / total * 100 if total else 100.0)
