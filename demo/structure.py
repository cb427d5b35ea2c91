"""Demo data: a fictional English county council and a small second body, their
sign-ins, and the context every later step seeds around.

Deterministic for a seed and a given "today", bulk inserts throughout so
10,000 employees seed in seconds; the council's shape is in ``demo.council``
and the building of each organisation in ``demo.workforce``. The other modules
of this package add their own steps; ``seed_demo`` runs them in order with the
:class:`DemoContext` built here, whose ``today`` (and ``now``) is the one date
every step places its data around.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from core import clock
from demo.council import COUNCIL, _in_areas, area_count
from demo.workforce import build_org
from organisations.models import KPI, Employee, EmploymentType, JobFamily, JobRole, Organisation, Service

DEMO_ORG_SLUG = "northshire"
OTHER_ORG_SLUG = "riverside-homes"
DEMO_USERNAMES = [
    "demo-director",
    "demo-manager",
    "demo-staff",
    "demo-officer",
    "demo-admin",
    "demo-other-org",
]

# Social work is supervised every 28 days (the LGA employer standard); everyone
# else at the council's default, six weeks.
SOCIAL_WORK_FAMILY = "Social work"
SOCIAL_WORK_ROLES = (
    "Social Worker",
    "Senior Social Worker",
    "Children's Social Worker",
    "Newly Qualified Social Worker",
)
SOCIAL_WORK_INTERVAL_DAYS = 28
COUNCIL_DEFAULT_INTERVAL_DAYS = 42


@dataclass
class DemoContext:
    """What every seeding step needs; each step may add to ``extra``."""

    rng: random.Random
    today: date
    organisation: Organisation
    other_organisation: Organisation
    services: list[Service]
    employees: list[Employee]
    job_roles: dict[str, JobRole]
    personas: dict[str, Employee]
    scale: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        """The demo's present moment: the clock's when ``today`` is the real day,
        else 10:00 on ``today``."""
        return demo_now(self.today)

    def team_members(self, service_id: int) -> list[Employee]:
        return [e for e in self.employees if e.service_id == service_id]


def demo_now(today: date) -> datetime:
    if today == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.combine(today, time(10, 0)))


def _user(username: str, employee: Employee, password_hash: str, *, first: str, last: str) -> None:
    User = get_user_model()
    user = User.objects.create(
        username=username, password=password_hash, first_name=first, last_name=last, email=employee.email
    )
    employee.user = user
    employee.save(update_fields=["user"])


def seed_structure(*, seed: int, employees: int, password: str, today: date | None = None) -> DemoContext:
    today = today or clock.today()
    rng = random.Random(seed)
    org = Organisation.objects.create(
        name="Northshire County Council",
        slug=DEMO_ORG_SLUG,
        default_feedback_interval_days=COUNCIL_DEFAULT_INTERVAL_DAYS,
    )
    services, people, roles, _ = build_org(
        rng, today, org, _in_areas(COUNCIL, area_count(employees)), "Northshire County Council", employees
    )
    social_work = JobFamily.objects.create(
        organisation=org, name=SOCIAL_WORK_FAMILY, feedback_interval_days=SOCIAL_WORK_INTERVAL_DAYS
    )
    JobRole.objects.filter(organisation=org, title__in=SOCIAL_WORK_ROLES).update(job_family=social_work)
    for role in roles.values():
        if role.title in SOCIAL_WORK_ROLES:
            role.job_family = social_work

    other_org = Organisation.objects.create(name="Riverside Homes", slug=OTHER_ORG_SLUG)
    other_structure = {
        "Operations": [
            ("Neighbourhoods", ["Tenancy Team"], ["Tenancy Officer"]),
            ("Maintenance", ["Repairs Team"], ["Repairs Officer"]),
        ]
    }
    o_services, o_people, o_roles, _ = build_org(
        rng, today, other_org, other_structure, "Riverside Homes", 40
    )

    by_name = {s.name: s for s in services}
    housing = by_name["Housing"]
    options_team = by_name["Housing Options Team"]
    director = housing.head
    # demo-manager: the lowest manager in the Housing Options team whose reports are
    # officers with no reports of their own (a team manager, or a team leader in a
    # large team); demo-staff: one of those officers.
    managers = {e.line_manager_id for e in people if e.line_manager_id}
    in_team = [e for e in people if e.service_id == options_team.pk]
    manager, staff = options_team.head, None
    for candidate in [options_team.head, *in_team]:
        if candidate.pk not in managers:
            continue
        officers = [
            e
            for e in in_team
            if e.line_manager_id == candidate.pk
            and e.pk not in managers
            and e.job_role.title == "Housing Options Officer"
        ]
        if officers:
            manager, staff = candidate, officers[0]
            break
    assert staff is not None, "the Housing Options team has no officers to sign in as"
    if staff.employment_type != EmploymentType.PERMANENT:
        staff.employment_type, staff.end_date = EmploymentType.PERMANENT, None
        staff.save(update_fields=["employment_type", "end_date"])
    perf_team = by_name["Performance and Intelligence Team"]
    team_members = [e for e in people if e.service_id == perf_team.pk and e.pk not in managers]
    officer = next((e for e in team_members if e.job_role.title == "Performance Analyst"), team_members[0])
    officer.is_performance_officer = True
    officer.job_role = roles["Performance Analyst"]
    officer.employment_type, officer.end_date = EmploymentType.PERMANENT, None
    officer.save(update_fields=["is_performance_officer", "job_role", "employment_type", "end_date"])
    other = next(e for e in o_people if e.job_role.title == "Tenancy Officer")
    # demo-admin: an HR adviser who looks after the council's settings and roles.
    hr_team = by_name["HR Advisory Team"]
    admin = next(
        e for e in people if e.service_id == hr_team.pk and e.pk not in managers and e.pk != officer.pk
    )
    admin.is_organisation_admin = True
    admin.employment_type, admin.end_date = EmploymentType.PERMANENT, None
    admin.save(update_fields=["is_organisation_admin", "employment_type", "end_date"])

    hashed = make_password(password)
    personas = {
        "demo-director": director,
        "demo-manager": manager,
        "demo-staff": staff,
        "demo-officer": officer,
        "demo-admin": admin,
        "demo-other-org": other,
    }
    for username, emp in personas.items():
        _user(username, emp, hashed, first=emp.first_name, last=emp.last_name)
    return DemoContext(
        rng=rng,
        today=today,
        organisation=org,
        other_organisation=other_org,
        services=services + o_services,
        employees=people + o_people,
        job_roles={
            **{f"{org.pk}:{k}": v for k, v in roles.items()},
            **{f"{other_org.pk}:{k}": v for k, v in o_roles.items()},
        },
        personas=personas,
        scale=employees,
    )


def delete_demo() -> None:
    """Remove both demo organisations and the demo sign-ins."""
    orgs = Organisation.objects.filter(slug__in=[DEMO_ORG_SLUG, OTHER_ORG_SLUG])
    get_user_model().objects.filter(employee__organisation__in=orgs).delete()
    for org in orgs:
        # Services protect their parents, and employees and KPIs their services:
        # unlink, then delete KPIs and people, then services, then the organisation.
        KPI.objects.filter(organisation=org).delete()
        Employee.objects.filter(organisation=org).update(line_manager=None)
        Service.objects.filter(organisation=org).update(head=None, parent=None)
        # Rows of other apps that protect a service (KPIs, risks, goals) go first;
        # found through the relation, so this app imports none of them.
        for rel in Service._meta.related_objects:
            if rel.on_delete is models.PROTECT and rel.related_model not in (Service, Employee):
                rel.related_model._base_manager.filter(**{f"{rel.field.name}__organisation": org}).delete()
        Employee.objects.filter(organisation=org).delete()
        Service.objects.filter(organisation=org).delete()
        org.delete()
