"""Writes for professional registrations, mandatory courses, what roles require
and training records. Each validates, saves and records history (``by.user``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from core import clock
from organisations.models import (
    Employee,
    JobRole,
    MandatoryCourse,
    Organisation,
    ProfessionalRegistration,
    RoleCourseRequirement,
    RoleRegistrationRequirement,
    TrainingRecord,
)
from organisations.rules import registrations as rules


def _as(obj, by: Employee | None):
    obj._history_user = by.user if by is not None else None
    return obj


@transaction.atomic
def registration_save(
    *,
    person: Employee,
    body: str,
    number: str,
    expires_on: date,
    by: Employee | None,
    registration: ProfessionalRegistration | None = None,
) -> ProfessionalRegistration:
    """Add a person's registration with a body, or change one. One registration
    per body per person."""
    number = number.strip()
    if not number:
        raise ValidationError({"number": "Enter the registration number"})
    clash = ProfessionalRegistration.objects.filter(employee=person, body=body)
    if registration is not None:
        clash = clash.exclude(pk=registration.pk)
    if clash.exists():
        raise ValidationError(
            {
                "body": f"{person.full_name} already has a {rules.BODY_LABELS.get(body, body)} registration: change that one"
            }
        )
    registration = registration or ProfessionalRegistration(organisation=person.organisation, employee=person)
    registration.body, registration.number, registration.expires_on = body, number, expires_on
    registration.full_clean()
    _as(registration, by).save()
    return registration


@transaction.atomic
def registration_delete(*, registration: ProfessionalRegistration, by: Employee | None) -> None:
    _as(registration, by).delete()


def _check_completed_on(completed_on: date, today: date) -> None:
    if completed_on > today:
        raise ValidationError({"completed_on": "The date completed must be today or in the past"})


@transaction.atomic
def training_record_save(
    *,
    person: Employee,
    course: MandatoryCourse,
    completed_on: date,
    by: Employee | None,
    record: TrainingRecord | None = None,
    today: date | None = None,
) -> TrainingRecord:
    """Record that a person completed a course on a day; it expires after the
    course's renewal period."""
    if course.organisation_id != person.organisation_id:
        raise ValidationError({"course": "Choose a course of this organisation"})
    _check_completed_on(completed_on, today or clock.today())
    clash = TrainingRecord.objects.filter(employee=person, course=course, completed_on=completed_on)
    if record is not None:
        clash = clash.exclude(pk=record.pk)
    if clash.exists():
        raise ValidationError({"completed_on": f"{course.name} completed on this date is already recorded"})
    record = record or TrainingRecord(organisation=person.organisation, employee=person)
    record.course, record.completed_on = course, completed_on
    record.expires_on = rules.training_expires_on(completed_on, course.renewal_months)
    record.full_clean(exclude=["employee", "course", "organisation"], validate_constraints=False)
    _as(record, by).save()
    return record


@transaction.atomic
def training_record_delete(*, record: TrainingRecord, by: Employee | None) -> None:
    _as(record, by).delete()


@transaction.atomic
def course_save(
    *,
    organisation: Organisation,
    name: str,
    renewal_months: int,
    description: str = "",
    by: Employee | None,
    course: MandatoryCourse | None = None,
) -> MandatoryCourse:
    """Add a mandatory course or change one. A new renewal period moves the
    expiry date of every completion already recorded."""
    name = name.strip()
    clash = MandatoryCourse.objects.filter(organisation=organisation, name__iexact=name)
    if course is not None:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already a course called {name}"})
    renewal_changed = course is not None and course.renewal_months != renewal_months
    course = course or MandatoryCourse(organisation=organisation)
    course.name, course.renewal_months, course.description = name, renewal_months, description
    course.full_clean(validate_constraints=False)
    _as(course, by).save()
    if renewal_changed:
        records = list(TrainingRecord.objects.filter(course=course))
        for r in records:
            r.expires_on = rules.training_expires_on(r.completed_on, renewal_months)
        bulk_update_with_history(
            records,
            TrainingRecord,
            ["expires_on"],
            batch_size=1000,
            default_user=by.user if by is not None else None,
            default_change_reason=f"{course.name} now renewed every {renewal_months} months",
        )
    return course


@transaction.atomic
def role_requirements_save(
    *, job_role: JobRole, body: str, courses: Iterable[MandatoryCourse], by: Employee | None
) -> dict[str, int]:
    """Set the body a role's holders must be registered with ("" for none) and
    the mandatory courses they must keep in date. Returns counts of what changed."""
    counts = {"added": 0, "removed": 0, "changed": 0}
    current = RoleRegistrationRequirement.objects.filter(job_role=job_role).first()
    if body and current is None:
        _as(RoleRegistrationRequirement(job_role=job_role, body=body), by).save()
        counts["added"] += 1
    elif body and current.body != body:
        current.body = body
        _as(current, by).save()
        counts["changed"] += 1
    elif not body and current is not None:
        _as(current, by).delete()
        counts["removed"] += 1
    wanted = {c.pk: c for c in courses}
    if any(c.organisation_id != job_role.organisation_id for c in wanted.values()):
        raise ValidationError({"courses": "Choose courses of this organisation"})
    existing = {r.course_id: r for r in RoleCourseRequirement.objects.filter(job_role=job_role)}
    for course_id, requirement in existing.items():
        if course_id not in wanted:
            _as(requirement, by).delete()
            counts["removed"] += 1
    for course_id, course in wanted.items():
        if course_id not in existing:
            _as(RoleCourseRequirement(job_role=job_role, course=course), by).save()
            counts["added"] += 1
    return counts
