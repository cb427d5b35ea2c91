"""Writes for development plans: add, change, change status, complete; and the
daily reminders of items due.

Each write records who made it (django-simple-history) and asks for the
person's skills gaps to be recomputed on commit, so the service's gap page and
its recommendation follow what is planned. Completing an item may record the
new level at once: a manager's rating from a manager, a self-assessment from the
person (:func:`appraisals.services.skills.skill_rating_record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from appraisals.models import DevelopmentItem, DevelopmentStatus, FeedbackSession, RatingSource
from appraisals.services.skills import skill_rating_record
from core import clock
from core.glossary import long_date
from core.queueing import request_recompute
from organisations.models import Employee, Organisation, Skill
from organisations.services.notifications import notify

# Items whose planned end is this close (or past) and not completed are reminded.
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class DevelopmentInput:
    skill: Skill
    target_level: int
    kind: str
    title: str
    provider: str
    starts_on: date
    ends_on: date
    cost: Decimal


def _save(item: DevelopmentItem, by: Employee) -> None:
    item.full_clean()
    if by.user_id:
        item._history_user = by.user
    item.save()
    request_recompute(item.employee.organisation_id, employees=[item.employee_id])


def development_item_create(
    *, employee: Employee, values: DevelopmentInput, by: Employee, session: FeedbackSession | None = None
) -> DevelopmentItem:
    """Add a development item to a person's plan (from a gap, or agreed in ``session``)."""
    if by.organisation_id != employee.organisation_id:
        raise ValidationError("You can plan development only for people in your organisation.")
    with transaction.atomic():
        item = DevelopmentItem(
            employee=employee,
            session=session,
            created_by=by,
            status=DevelopmentStatus.PLANNED,
            skill=values.skill,
            target_level=values.target_level,
            kind=values.kind,
            title=values.title.strip(),
            provider=values.provider.strip(),
            starts_on=values.starts_on,
            ends_on=values.ends_on,
            cost=values.cost,
        )
        _save(item, by)
    return item


def development_item_update(
    *, item: DevelopmentItem, values: DevelopmentInput, status: str, by: Employee
) -> DevelopmentItem:
    """Change what, when, cost or status (completing goes through :func:`development_item_complete`)."""
    if status == DevelopmentStatus.COMPLETED and item.status != DevelopmentStatus.COMPLETED:
        raise ValidationError({"status": "Use Mark as completed to complete it"})
    with transaction.atomic():
        item.skill, item.target_level, item.kind = values.skill, values.target_level, values.kind
        item.title, item.provider = values.title.strip(), values.provider.strip()
        item.starts_on, item.ends_on, item.cost = values.starts_on, values.ends_on, values.cost
        item.status = status
        if status != DevelopmentStatus.COMPLETED:
            item.completed_on = None
        _save(item, by)
    return item


def development_item_cancel(*, item: DevelopmentItem, by: Employee) -> DevelopmentItem:
    if item.status == DevelopmentStatus.COMPLETED:
        raise ValidationError("A completed item cannot be cancelled.")
    with transaction.atomic():
        item.status = DevelopmentStatus.CANCELLED
        _save(item, by)
    return item


def development_item_complete(
    *, item: DevelopmentItem, by: Employee, on: date | None = None, level: int | None = None
) -> DevelopmentItem:
    """Mark it completed on ``on`` (today); with ``level``, rate the skill now: a
    manager's rating when ``by`` is above the person, else their self-assessment."""
    on = on or clock.today()
    if item.status == DevelopmentStatus.CANCELLED:
        raise ValidationError("A cancelled item cannot be completed: add a new one instead.")
    if on < item.starts_on:
        raise ValidationError({"completed_on": "The completion date must be on or after the planned start"})
    if on > clock.today():
        raise ValidationError({"completed_on": "The completion date cannot be in the future"})
    with transaction.atomic():
        item.status, item.completed_on = DevelopmentStatus.COMPLETED, on
        _save(item, by)
        if level is not None:
            source = RatingSource.SELF if by.pk == item.employee_id else RatingSource.MANAGER
            skill_rating_record(
                employee=item.employee, skill=item.skill, level=level, source=source, rated_by=by, on=on
            )
    return item


def development_due_notify(*, organisation: Organisation, today: date) -> int:
    """Tell each person with an open item whose planned end is within
    ``DUE_SOON_DAYS`` or past, and their line manager, once per item and planned
    end (a new end date is a new reminder). Returns the notifications made."""
    items = (
        DevelopmentItem.objects.open()
        .filter(
            employee__organisation=organisation,
            employee__active=True,
            ends_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("employee__line_manager", "skill")
        .order_by("ends_on", "pk")
    )
    made = 0
    for item in items:
        url = reverse("appraisals:development_item", args=[item.pk])
        when = "was due to end" if item.ends_on < today else "is due to end"
        key = f"development_due:{item.pk}:{item.ends_on.isoformat()}"
        person = item.employee
        mine = (
            f"Your development item “{item.title}” ({item.skill.name}) {when} on {long_date(item.ends_on)}."
        )
        if notify(person, "development_due", key=key, text=mine, url=url):
            made += 1
        theirs = (
            f"{person.full_name}'s development item “{item.title}” ({item.skill.name}) {when} "
            f"on {long_date(item.ends_on)}."
        )
        if notify(person.line_manager, "development_due", key=key, text=theirs, url=url):
            made += 1
    return made
