"""Skills data for tests: a small framework on the shared world, and a
synthetic organisation of any size (bulk-inserted) for query-count tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from appraisals.models import RatingSource, SkillRating
from organisations.models import (
    Employee,
    JobRole,
    Organisation,
    Service,
    ServiceKind,
    Skill,
    SkillCategory,
    SkillRequirement,
)
from tests.appraisals.skill_factories import SkillRatingFactory
from tests.factories import JobRoleFactory, OrganisationFactory
from tests.organisations.skill_factories import SkillFactory, SkillRequirementFactory

RATED_ON = date(2026, 5, 1)


@dataclass
class SkillsWorld:
    locata: Skill
    law: Skill
    calm: Skill
    people: Skill
    lettings_role: JobRole
    manager_role: JobRole


def rate(employee, skill, level, source=RatingSource.SELF, *, by=None, on=RATED_ON):
    return SkillRatingFactory(
        employee=employee,
        skill=skill,
        level=level,
        source=source,
        rated_by=by or (employee if source == RatingSource.SELF else employee.line_manager),
        rated_on=on,
    )


def build_skills(w) -> SkillsWorld:
    """On the conftest world:

    - staff and peer (Options Team) are Housing Options Officers: Locata 3 (essential),
      homelessness law 2 (essential), de-escalation 2 (desirable);
    - interim (Lettings Team) is a Lettings Officer: Locata 2 (essential);
    - manager (Options Team) is a Team Manager: people management 3 (essential).

    Ratings: staff meets Locata (manager 3 over self 1) and law (self 2), never rated
    de-escalation (0); peer is two short on Locata (manager 1 over self 3) and one
    short on law (manager 1), meets de-escalation (self 2); interim meets Locata
    (manager 2); manager meets people management (self 3)."""
    org = w.org
    locata = SkillFactory(organisation=org, name="Locata case management", category=SkillCategory.DIGITAL)
    law = SkillFactory(organisation=org, name="Homelessness law", category=SkillCategory.HOUSING_LAW)
    calm = SkillFactory(organisation=org, name="De-escalation", category=SkillCategory.CUSTOMER_SERVICE)
    people = SkillFactory(organisation=org, name="People management", category=SkillCategory.LEADERSHIP)
    officer_role = w.staff.job_role
    lettings_role = JobRoleFactory(organisation=org, title="Lettings Officer")
    manager_role = JobRoleFactory(organisation=org, title="Team Manager")
    SkillRequirementFactory(job_role=officer_role, skill=locata, required_level=3, essential=True)
    SkillRequirementFactory(job_role=officer_role, skill=law, required_level=2, essential=True)
    SkillRequirementFactory(job_role=officer_role, skill=calm, required_level=2, essential=False)
    SkillRequirementFactory(job_role=lettings_role, skill=locata, required_level=2, essential=True)
    SkillRequirementFactory(job_role=manager_role, skill=people, required_level=3, essential=True)
    Employee.objects.filter(pk=w.interim.pk).update(job_role=lettings_role)
    Employee.objects.filter(pk=w.manager.pk).update(job_role=manager_role)
    for e in (w.interim, w.manager):
        e.refresh_from_db()

    rate(w.staff, locata, 1, on=RATED_ON + timedelta(days=10))
    rate(w.staff, locata, 3, RatingSource.MANAGER)
    rate(w.staff, law, 2)
    rate(w.peer, locata, 3, on=RATED_ON + timedelta(days=10))
    rate(w.peer, locata, 1, RatingSource.MANAGER)
    rate(w.peer, law, 1, RatingSource.MANAGER)
    rate(w.peer, calm, 2)
    rate(w.interim, locata, 2, RatingSource.MANAGER, by=w.service_head)
    rate(w.manager, people, 3)
    return SkillsWorld(locata, law, calm, people, lettings_role, manager_role)


def build_sized_org(n_employees: int, slug: str) -> Organisation:
    """An organisation of ``n_employees`` staff (bulk-inserted) with the same shape
    whatever the size: a directorate, two services of two teams, three roles, five
    skills; ratings on a fixed pattern, so coverage (and so the flags) are alike."""
    org = OrganisationFactory(slug=slug, name=f"Sized {slug}")
    root = Service.objects.create(organisation=org, name="Council", kind=ServiceKind.DIRECTORATE)
    services = [
        Service.objects.create(organisation=org, name=f"Service {i}", kind=ServiceKind.SERVICE, parent=root)
        for i in range(2)
    ]
    teams = [
        Service.objects.create(organisation=org, name=f"Team {i}{j}", kind=ServiceKind.TEAM, parent=s)
        for i, s in enumerate(services)
        for j in range(2)
    ]
    roles = [JobRole.objects.create(organisation=org, title=f"Role {i}") for i in range(3)]
    skills = Skill.objects.bulk_create(
        [Skill(organisation=org, name=f"Skill {i}", category=SkillCategory.DATA) for i in range(5)]
    )
    requirements = []
    for i, role in enumerate(roles):
        for j, skill in enumerate(skills):
            if (i + j) % 3 != 2:
                requirements.append(
                    SkillRequirement(
                        job_role=role, skill=skill, required_level=1 + (i + j) % 4, essential=j < 3
                    )
                )
    SkillRequirement.objects.bulk_create(requirements)
    by_role: dict[int, list[SkillRequirement]] = {}
    for r in requirements:
        by_role.setdefault(r.job_role_id, []).append(r)
    staff = Employee.objects.bulk_create(
        [
            Employee(
                organisation=org,
                first_name=f"P{i}",
                last_name="Sized",
                service=teams[i % len(teams)],
                job_role=roles[i % len(roles)],
                start_date=date(2024, 1, 1),
            )
            for i in range(n_employees)
        ]
    )
    ratings = []
    for i, person in enumerate(staff):
        for k, req in enumerate(by_role[person.job_role_id]):
            # A fixed pattern: 0-4 levels short or over, alike at every size.
            level = max(0, min(4, req.required_level + ((i + k) % 5) - 2))
            ratings.append(
                SkillRating(
                    employee=person,
                    skill_id=req.skill_id,
                    level=level,
                    source=RatingSource.SELF,
                    rated_on=RATED_ON,
                )
            )
            if i % 2:
                ratings.append(
                    SkillRating(
                        employee=person,
                        skill_id=req.skill_id,
                        level=max(0, level - 1),
                        source=RatingSource.MANAGER,
                        rated_on=RATED_ON,
                    )
                )
    SkillRating.objects.bulk_create(ratings, batch_size=2000)
    return org
