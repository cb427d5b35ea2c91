"""Demo data: social workers' registration with Social Work England and the
council's mandatory training.

The planted story: most social workers are registered and in date, but two
renew within 30 days, two more within 60, and one has lapsed, so the Adults'
and Children's dashboards show a lapsed social worker who must not practise.
Every role requires Information governance (renewed yearly) and the social work
roles Safeguarding adults (every three years); most people are in date, a few
have lapsed and a few have nothing recorded. Social workers get employee
numbers (SW0001...) where they have none, so the sample file of the learning
system (``demo/learning_system_training.csv``) imports on the seeded council.
Bulk inserts; dates relative to ``ctx.today``; seeded random.
"""

from __future__ import annotations

from datetime import timedelta

from demo.structure import DemoContext
from organisations.models import (
    Employee,
    MandatoryCourse,
    ProfessionalRegistration,
    RoleCourseRequirement,
    RoleRegistrationRequirement,
    TrainingRecord,
    TrainingSource,
)
from organisations.rules import registrations as rules

SOCIAL_WORK_ROLES = (
    "Social Worker",
    "Senior Social Worker",
    "Children's Social Worker",
    "Newly Qualified Social Worker",
)
SAFEGUARDING, INFORMATION_GOVERNANCE = "Safeguarding adults", "Information governance"
COURSES = (
    (SAFEGUARDING, 36, "Recognising and responding to abuse and neglect of adults at risk."),
    (INFORMATION_GOVERNANCE, 12, "Handling personal data lawfully and securely: UK GDPR and records."),
)
# Days to expiry of the planted registrations, after the in-date majority.
EXPIRING_30 = (12, 26)
EXPIRING_60 = (41, 55)
LAPSED_DAYS_AGO = 9


def seed(ctx: DemoContext) -> None:
    council, rng, today = ctx.organisation, ctx.rng, ctx.today
    courses = {
        name: MandatoryCourse(organisation=council, name=name, renewal_months=months, description=text)
        for name, months, text in COURSES
    }
    MandatoryCourse.objects.bulk_create(courses.values())
    roles = sorted(
        (r for r in ctx.job_roles.values() if r.organisation_id == council.pk), key=lambda r: r.title
    )
    social_roles = [r for r in roles if r.title in SOCIAL_WORK_ROLES]
    RoleRegistrationRequirement.objects.bulk_create(
        [RoleRegistrationRequirement(job_role=r, body=rules.SOCIAL_WORK_ENGLAND) for r in social_roles]
    )
    RoleCourseRequirement.objects.bulk_create(
        [RoleCourseRequirement(job_role=r, course=courses[INFORMATION_GOVERNANCE]) for r in roles]
        + [RoleCourseRequirement(job_role=r, course=courses[SAFEGUARDING]) for r in social_roles]
    )
    social_ids = {r.pk for r in social_roles}
    people = sorted(
        (e for e in ctx.employees if e.organisation_id == council.pk and e.active and e.job_role_id),
        key=lambda e: (e.last_name, e.first_name, e.pk),
    )
    social = [e for e in people if e.job_role_id in social_ids]
    _number(social)
    planted = [*EXPIRING_30, *EXPIRING_60, -LAPSED_DAYS_AGO]
    # The planted ones fall across the services, not on the first names alphabetically.
    shuffled = list(social)
    rng.shuffle(shuffled)
    registrations = []
    for i, person in enumerate(shuffled):
        days = planted[i] if i < len(planted) else rng.randint(75, 700)
        registrations.append(
            ProfessionalRegistration(
                organisation=council,
                employee=person,
                body=rules.SOCIAL_WORK_ENGLAND,
                number=f"SW{rng.randint(100000, 999999)}",
                expires_on=today + timedelta(days=days),
            )
        )
    ProfessionalRegistration.objects.bulk_create(registrations)

    records = []
    for person in people:
        wanted = [courses[INFORMATION_GOVERNANCE]] + (
            [courses[SAFEGUARDING]] if person.job_role_id in social_ids else []
        )
        for course in wanted:
            roll = rng.random()
            if roll < 0.04:
                continue  # nothing recorded
            period = course.renewal_months * 30
            # Most in date; about one in twelve lapsed (completed a little over a period ago).
            ago = rng.randint(period + 5, period + 120) if roll < 0.12 else rng.randint(20, period - 20)
            completed = today - timedelta(days=ago)
            records.append(
                TrainingRecord(
                    organisation=council,
                    employee=person,
                    course=course,
                    completed_on=completed,
                    expires_on=rules.training_expires_on(completed, course.renewal_months),
                    source=TrainingSource.IMPORT,
                )
            )
    TrainingRecord.objects.bulk_create(records, batch_size=2000)


def _number(social: list[Employee]) -> None:
    """SW0001... for social workers without an employee number, in name order,
    as the sample learning system file names them."""
    numbered = []
    for i, person in enumerate(social, start=1):
        if not person.employee_number:
            person.employee_number = f"SW{i:04d}"
            numbered.append(person)
    Employee.objects.bulk_update(numbered, ["employee_number"], batch_size=2000)
