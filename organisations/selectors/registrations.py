"""Reads for registrations and mandatory training: one person's, and a
service's compliance (the service dashboard)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from core import glossary
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

# --- one person ------------------------------------------------------------------


@dataclass
class RegistrationRow:
    registration: ProfessionalRegistration
    status: str
    required: bool


@dataclass
class CourseRow:
    course: MandatoryCourse
    required: bool
    latest: TrainingRecord | None
    status: str
    records: list[TrainingRecord]


@dataclass
class PersonCompliance:
    required_body: str  # "" when the role requires none
    required_body_label: str
    registrations: list[RegistrationRow]
    missing_registration: bool  # the role requires a body and nothing is recorded for it
    courses: list[CourseRow]


def person_compliance(
    person: Employee, registrations: QuerySet, records: QuerySet, today: date
) -> PersonCompliance:
    """A person's registrations and training against their role's requirements.
    ``registrations`` and ``records`` are the viewer's visible querysets.
    Queries: role requirements 2, registrations 1, records 1."""
    body = ""
    course_ids: set[int] = set()
    required_courses: list[MandatoryCourse] = []
    if person.job_role_id:
        body = (
            RoleRegistrationRequirement.objects.filter(job_role_id=person.job_role_id)
            .values_list("body", flat=True)
            .first()
            or ""
        )
        required_courses = [
            r.course
            for r in RoleCourseRequirement.objects.filter(job_role_id=person.job_role_id).select_related(
                "course"
            )
        ]
        course_ids = {c.pk for c in required_courses}
    regs = [
        RegistrationRow(r, rules.status(r.expires_on, today), r.body == body)
        for r in registrations.filter(employee=person).order_by("body")
    ]
    by_course: dict[int, list[TrainingRecord]] = {}
    courses: dict[int, MandatoryCourse] = {c.pk: c for c in required_courses}
    for record in (
        records.filter(employee=person).select_related("course").order_by("course__name", "-expires_on")
    ):
        by_course.setdefault(record.course_id, []).append(record)
        courses.setdefault(record.course_id, record.course)
    rows = []
    for course in sorted(courses.values(), key=lambda c: (c.pk not in course_ids, c.name.lower())):
        history = by_course.get(course.pk, [])
        latest = history[0] if history else None
        rows.append(
            CourseRow(
                course=course,
                required=course.pk in course_ids,
                latest=latest,
                status=rules.status(latest.expires_on if latest else None, today),
                records=history,
            )
        )
    return PersonCompliance(
        required_body=body,
        required_body_label=rules.BODY_LABELS.get(body, ""),
        registrations=regs,
        missing_registration=bool(body) and not any(r.required for r in regs),
        courses=rows,
    )


# --- a service's compliance ----------------------------------------------------------


@dataclass
class PersonLine:
    """One person on a list of lapsed, expiring or missing registrations."""

    employee: Employee
    what: str  # the body's or the course's name
    expires_on: date | None
    status: str


@dataclass
class CourseFigures:
    course: MandatoryCourse
    required: int = 0
    in_date: int = 0
    lapsed: int = 0
    not_recorded: int = 0

    @property
    def percent(self) -> float | None:
        return rules.percent(self.in_date, self.required)


@dataclass
class ServiceCompliance:
    registration_required: int = 0
    registration_in_date: int = 0
    lapsed: list[PersonLine] = field(default_factory=list)
    expiring: list[PersonLine] = field(default_factory=list)
    not_recorded: list[PersonLine] = field(default_factory=list)
    courses: list[CourseFigures] = field(default_factory=list)
    training_lapsed: list[PersonLine] = field(default_factory=list)

    @property
    def registration_percent(self) -> float | None:
        return rules.percent(self.registration_in_date, self.registration_required)

    @property
    def has_requirements(self) -> bool:
        return bool(self.registration_required or self.courses)


def service_compliance(
    organisation: Organisation, service_ids: Iterable[int], today: date
) -> ServiceCompliance:
    """Registration and mandatory training of the people working in
    ``service_ids`` against their roles' requirements: how many are registered
    and in date, each required course's figures, and who has lapsed, is expiring
    within 60 days or has nothing recorded. Queries: 2 (the people with their
    role's body and their latest registration with it; each course their roles
    require with their latest completion), whatever the number of people."""
    out = ServiceCompliance()
    ids = list(service_ids)
    latest_registration = (
        ProfessionalRegistration.objects.filter(
            employee_id=OuterRef("pk"), body=OuterRef("job_role__registration_requirement__body")
        )
        .order_by("-expires_on")
        .values("expires_on")[:1]
    )
    people = {
        e.pk: e
        for e in Employee.objects.filter(
            organisation=organisation, active=True, service_id__in=ids, job_role__isnull=False
        )
        .annotate(
            required_body=F("job_role__registration_requirement__body"),
            registration_expires_on=Subquery(latest_registration),
        )
        .only("pk", "first_name", "last_name", "service_id", "job_role_id", "organisation_id")
        .order_by("last_name", "first_name", "pk")
    }
    for person in people.values():
        body = person.required_body
        if not body:
            continue
        out.registration_required += 1
        expires_on = person.registration_expires_on
        status = rules.status(expires_on, today)
        line = PersonLine(person, rules.BODY_LABELS.get(body, body), expires_on, status)
        if rules.counts_as_in_date(expires_on, today):
            out.registration_in_date += 1
        if status == glossary.LAPSED:
            out.lapsed.append(line)
        elif status == glossary.EXPIRING:
            out.expiring.append(line)
        elif status == glossary.NOT_RECORDED:
            out.not_recorded.append(line)
    out.lapsed.sort(key=lambda line: line.expires_on)
    out.expiring.sort(key=lambda line: line.expires_on)

    latest_completion = (
        TrainingRecord.objects.filter(employee_id=OuterRef("person_id"), course_id=OuterRef("course_id"))
        .order_by("-expires_on")
        .values("expires_on")[:1]
    )
    pairs = (
        RoleCourseRequirement.objects.filter(
            job_role__organisation=organisation,
            job_role__employees__active=True,
            job_role__employees__service_id__in=ids,
        )
        .annotate(person_id=F("job_role__employees__pk"))
        .annotate(expires_on=Subquery(latest_completion))
        .select_related("course")
        .order_by("course__name", "pk")
    )
    figures: dict[int, CourseFigures] = {}
    for pair in pairs:
        person = people.get(pair.person_id)
        if person is None:
            continue
        f = figures.setdefault(pair.course_id, CourseFigures(pair.course))
        f.required += 1
        status = rules.status(pair.expires_on, today)
        if rules.counts_as_in_date(pair.expires_on, today):
            f.in_date += 1
        elif status == glossary.LAPSED:
            f.lapsed += 1
            out.training_lapsed.append(PersonLine(person, pair.course.name, pair.expires_on, status))
        else:
            f.not_recorded += 1
    out.courses = sorted(figures.values(), key=lambda f: f.course.name.lower())
    out.training_lapsed.sort(key=lambda line: (line.employee.last_name, line.employee.first_name, line.what))
    return out


# --- the course list -----------------------------------------------------------------


def courses_with_roles(courses: QuerySet) -> list[MandatoryCourse]:
    """The organisation's courses, each with ``roles`` (the job roles requiring
    it) and ``n_records``. Queries: courses 1, requirements 1."""
    listed = list(courses.annotate(n_records=Count("records")).order_by("name"))
    roles: dict[int, list[JobRole]] = {}
    for r in (
        RoleCourseRequirement.objects.filter(course__in=[c.pk for c in listed])
        .select_related("job_role")
        .order_by("job_role__title")
    ):
        roles.setdefault(r.course_id, []).append(r.job_role)
    for c in listed:
        c.roles = roles.get(c.pk, [])
    return listed


def role_requirements(role: JobRole) -> tuple[str, list[MandatoryCourse]]:
    """The body a role requires (its name, "" for none) and its mandatory
    courses. Queries: 2."""
    body = RoleRegistrationRequirement.objects.filter(job_role=role).values_list("body", flat=True).first()
    courses = [
        r.course
        for r in RoleCourseRequirement.objects.filter(job_role=role)
        .select_related("course")
        .order_by("course__name")
    ]
    return rules.BODY_LABELS.get(body or "", ""), courses
