"""Demo data: a fictional English county council and a small second body.

Deterministic for a seed and a given "today", bulk inserts throughout so
10,000 employees seed in seconds. The other modules of this package add their
own steps; ``seed_demo`` runs them in order with the :class:`DemoContext` built
here, whose ``today`` (and ``now``) is the one date every step places its data
around.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from core import clock
from core.bulk import update_objects
from organisations.models import KPI, Employee, EmploymentType, JobRole, Organisation, Service, ServiceKind

DEMO_ORG_SLUG = "northshire"
OTHER_ORG_SLUG = "riverside-homes"
DEMO_USERNAMES = ["demo-director", "demo-manager", "demo-staff", "demo-officer", "demo-other-org"]

FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Florence",
    "Evie",
    "Poppy",
    "Charlotte",
    "Ella",
    "Harper",
    "Sienna",
    "Daisy",
    "Emily",
    "Alice",
    "Phoebe",
    "Matilda",
    "Ruby",
    "Aisha",
    "Priya",
    "Zara",
    "Fatima",
    "Nia",
    "Siobhan",
    "Bethan",
    "Catrin",
    "Megan",
    "Chloe",
    "Hannah",
    "Sarah",
    "Rachel",
    "Helen",
    "Joanne",
    "Claire",
    "Karen",
    "Lisa",
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Jack",
    "Charlie",
    "Freddie",
    "Thomas",
    "Alfie",
    "William",
    "James",
    "Edward",
    "Samuel",
    "Joshua",
    "Daniel",
    "Benjamin",
    "Mohammed",
    "Yusuf",
    "Ibrahim",
    "Ravi",
    "Arjun",
    "Kwame",
    "Tomasz",
    "Rhys",
    "Owen",
    "Callum",
    "Connor",
    "Liam",
    "Patrick",
    "Andrew",
    "David",
    "Michael",
    "Paul",
    "Mark",
    "Stephen",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Miller",
    "Cox",
    "Marshall",
    "Simpson",
    "Anderson",
    "Ali",
    "Price",
    "Hussain",
    "Ahmed",
    "Murphy",
    "Kaur",
    "Chapman",
    "Mason",
    "Gray",
    "Richards",
    "Webb",
    "Griffiths",
    "Hunt",
    "Palmer",
    "Campbell",
    "Holmes",
    "Mills",
    "Rogers",
    "Barnes",
    "Knight",
    "Matthews",
    "Barker",
    "Powell",
    "Stevens",
    "Kennedy",
    "Dixon",
    "Fisher",
    "Butler",
    "O'Brien",
    "Nowak",
]

# directorate -> [(service, [teams], [staff roles])]
COUNCIL: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "Adults' Social Care": [
        (
            "Adult Social Work",
            ["North Locality Team", "South Locality Team", "Hospital Discharge Team"],
            ["Social Worker", "Senior Social Worker", "Social Care Assessor"],
        ),
        (
            "Safeguarding Adults",
            ["Safeguarding Hub", "Deprivation of Liberty Team"],
            ["Social Worker", "Safeguarding Practitioner"],
        ),
        (
            "Occupational Therapy",
            ["Community OT Team", "Equipment and Adaptations Team"],
            ["Occupational Therapist", "OT Assistant"],
        ),
        ("Commissioning and Contracts", ["Care Market Team"], ["Commissioning Officer"]),
    ],
    "Children's Services": [
        (
            "Children's Social Care",
            ["Front Door (MASH)", "Child in Need Team", "Child Protection Team"],
            ["Children's Social Worker", "Newly Qualified Social Worker", "Family Support Worker"],
        ),
        (
            "Looked After Children",
            ["Fostering Team", "Leaving Care Team"],
            ["Children's Social Worker", "Personal Adviser"],
        ),
        (
            "Education and Inclusion",
            ["SEND Team", "School Admissions Team"],
            ["SEND Caseworker", "Admissions Officer"],
        ),
        ("Early Help", ["Family Hubs Team"], ["Family Support Worker"]),
    ],
    "Housing": [
        (
            "Housing Options",
            ["Housing Options Team", "Homelessness Prevention Team", "Temporary Accommodation Team"],
            ["Housing Options Officer", "Homelessness Prevention Officer", "Temporary Accommodation Officer"],
        ),
        (
            "Housing Management",
            ["Tenancy Services Team", "Income Team", "Lettings Team"],
            ["Tenancy Officer", "Income Officer", "Lettings Officer"],
        ),
        ("Property Services", ["Repairs Team", "Voids Team"], ["Surveyor", "Repairs Officer"]),
    ],
    "Environment": [
        (
            "Waste and Recycling",
            ["Collections Team", "Recycling Centres Team"],
            ["Waste Services Officer", "Recycling Officer"],
        ),
        (
            "Highways and Transport",
            ["Highways Maintenance Team", "Road Safety Team"],
            ["Highways Inspector", "Transport Planner"],
        ),
        (
            "Planning and Regulation",
            ["Development Management Team", "Trading Standards Team"],
            ["Planning Officer", "Trading Standards Officer"],
        ),
    ],
    "Resources": [
        (
            "Revenues and Benefits",
            ["Council Tax Team", "Benefits Team"],
            ["Revenues Officer", "Benefits Assessor"],
        ),
        (
            "Digital and ICT",
            ["Service Desk", "Digital Development Team"],
            ["Digital Developer", "ICT Support Analyst"],
        ),
        (
            "Human Resources",
            ["HR Advisory Team", "Workforce Development Team"],
            ["HR Adviser", "Learning and Development Officer"],
        ),
        (
            "Finance",
            ["Corporate Finance Team", "Procurement Team"],
            ["Finance Officer", "Procurement Officer"],
        ),
        (
            "Information Governance and Performance",
            ["Information Governance Team", "Performance and Intelligence Team"],
            ["Information Governance Officer", "Performance Analyst"],
        ),
    ],
}

ROLE_DETAILS: dict[str, tuple[str, str, str]] = {
    # title: (grade, purpose, expectations)
    "Chief Executive": (
        "Chief Officer",
        "Leads the council and its officers.",
        "Delivers the council plan; accountable for performance to members.",
    ),
    "Director": (
        "Director",
        "Leads a directorate.",
        "Delivers the directorate's priorities and budget; reports to cabinet and scrutiny.",
    ),
    "Head of Service": (
        "Grade 13",
        "Leads a service.",
        "Meets the service's KPIs, manages risk, develops managers.",
    ),
    "Team Manager": (
        "Grade 11",
        "Manages a team day to day.",
        "Holds regular supervision, allocates work, keeps the team's KPIs on track.",
    ),
    "Team Leader": (
        "Grade 9",
        "Leads a group of practitioners within a team.",
        "Supervises practitioners, checks quality, covers for the team manager.",
    ),
}
PRACTITIONER = (
    "Grade 7",
    "Delivers the service to residents.",
    "Manages an allocated caseload to the service's standards and timescales; keeps records up to date.",
)

# A large council delivers each service in areas: one area per AREA_EMPLOYEES
# staff, so 10,000 employees run about 60 services (and about 400 KPIs) while
# the default demo (1,200) keeps one of each. The first area keeps the plain
# names the demo's stories refer to; the others carry the area in brackets.
AREA_EMPLOYEES = 3000
AREAS = ["Vale", "Coast", "Moor", "Forest", "Fens", "Downs", "Marsh", "Wolds"]
_AREA_SUFFIX = re.compile(r" \((?:" + "|".join(AREAS) + r")\)$")


def area_count(employees: int) -> int:
    return max(1, min(len(AREAS) + 1, round(employees / AREA_EMPLOYEES)))


def base_name(name: str) -> str:
    """A service's or team's name without its area: what the catalogues are keyed by."""
    return _AREA_SUFFIX.sub("", name)


def _in_areas(structure: dict, areas: int) -> dict:
    """Each service and its teams once per area, the extra areas named in brackets."""
    out = {}
    for directorate, services in structure.items():
        out[directorate] = [
            (
                name if i == 0 else f"{name} ({AREAS[i - 1]})",
                teams if i == 0 else [f"{t} ({AREAS[i - 1]})" for t in teams],
                roles,
            )
            for name, teams, roles in services
            for i in range(areas)
        ]
    return out


EMPLOYMENT_MIX = [
    (EmploymentType.PERMANENT, 80),
    (EmploymentType.FIXED_TERM, 6),
    (EmploymentType.INTERIM, 5),
    (EmploymentType.AGENCY, 8),
    (EmploymentType.SECONDMENT, 1),
]


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


def _weighted(rng: random.Random, options: list[tuple[Any, int]]) -> Any:
    total = sum(w for _, w in options)
    pick = rng.uniform(0, total)
    for value, weight in options:
        pick -= weight
        if pick <= 0:
            return value
    return options[-1][0]


class _People:
    """Makes employees in memory; saved later in one bulk insert."""

    def __init__(self, rng: random.Random, org: Organisation, today: date):
        self.rng, self.org, self.today = rng, org, today
        self.made: list[Employee] = []

    def make(self, service: Service, role: JobRole, *, permanent: bool = False) -> Employee:
        rng = self.rng
        kind = EmploymentType.PERMANENT if permanent else _weighted(rng, EMPLOYMENT_MIX)
        start = self.today - timedelta(days=rng.randint(20, 365 * 15))
        end = None
        if kind in (EmploymentType.INTERIM, EmploymentType.AGENCY):
            start = self.today - timedelta(days=rng.randint(30, 700))
            # Some ending within a month, most within the year, a few already overrunning
            end = self.today + timedelta(
                days=rng.choice([rng.randint(3, 30), rng.randint(31, 90), rng.randint(91, 365)])
            )
        elif kind in (EmploymentType.FIXED_TERM, EmploymentType.SECONDMENT):
            end = self.today + timedelta(days=rng.randint(60, 540))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        n = len(self.made)
        employee = Employee(
            organisation=self.org,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{n}@{self.org.slug}.example.gov.uk".lower().replace("'", ""),
            service=service,
            job_role=role,
            employment_type=kind,
            start_date=start,
            end_date=end,
            fte=rng.choice([Decimal("1.00")] * 8 + [Decimal("0.80"), Decimal("0.60"), Decimal("0.50")]),
        )
        self.made.append(employee)
        return employee


def _assign_spans(manager: Employee, people: list[Employee], span: int = 9) -> None:
    """Everyone in ``people`` reports to ``manager`` directly or through team leaders,
    keeping spans of control realistic (about 9) however large the team."""
    if len(people) <= span + 1:
        for p in people:
            p._manager = manager
        return
    n_leaders = min(span, math.ceil(len(people) / (span + 1)))
    leaders, rest = people[:n_leaders], people[n_leaders:]
    for leader in leaders:
        leader._manager = manager
    chunk = math.ceil(len(rest) / n_leaders)
    for i, leader in enumerate(leaders):
        _assign_spans(leader, rest[i * chunk : (i + 1) * chunk], span)


def _roles(org: Organisation, titles: set[str]) -> dict[str, JobRole]:
    objs = []
    for title in sorted(titles):
        grade, purpose, expectations = ROLE_DETAILS.get(title, PRACTITIONER)
        objs.append(
            JobRole(organisation=org, title=title, grade=grade, purpose=purpose, expectations=expectations)
        )
    JobRole.objects.bulk_create(objs)
    return {r.title: r for r in JobRole.objects.filter(organisation=org)}


def _services(org: Organisation, structure: dict, root_name: str) -> tuple[Service, list[Service]]:
    root = Service.objects.create(organisation=org, name=root_name, kind=ServiceKind.DIRECTORATE)
    directorates = Service.objects.bulk_create(
        [Service(organisation=org, name=d, kind=ServiceKind.DIRECTORATE, parent=root) for d in structure]
    )
    services = Service.objects.bulk_create(
        [
            Service(organisation=org, name=s, kind=ServiceKind.SERVICE, parent=d)
            for d in directorates
            for (s, _, _) in structure[d.name]
        ]
    )
    by_name = {(s.parent_id, s.name): s for s in services}
    teams = Service.objects.bulk_create(
        [
            Service(organisation=org, name=t, kind=ServiceKind.TEAM, parent=by_name[(d.pk, s)])
            for d in directorates
            for (s, ts, _) in structure[d.name]
            for t in ts
        ]
    )
    return root, [root, *directorates, *services, *teams]


def _build_org(
    rng: random.Random, today: date, org: Organisation, structure: dict, root_name: str, n_employees: int
) -> tuple[list[Service], list[Employee], dict[str, JobRole], dict[str, Employee]]:
    titles = set(ROLE_DETAILS)
    for services in structure.values():
        for _, _, roles in services:
            titles.update(roles)
    roles = _roles(org, titles)
    root, all_services = _services(org, structure, root_name)
    by_id = {s.pk: s for s in all_services}
    people = _People(rng, org, today)

    ceo = people.make(root, roles["Chief Executive"], permanent=True)
    ceo._manager = None
    root._head = ceo
    teams = [s for s in all_services if s.kind == ServiceKind.TEAM]
    team_roles = {}
    for _d_name, svcs in structure.items():
        for s_name, t_names, staff_roles in svcs:
            for t in teams:
                if t.name in t_names and by_id[t.parent_id].name == s_name:
                    team_roles[t.pk] = staff_roles
    # Leaders first, so heads exist before their staff.
    for s in all_services:
        if s is root:
            continue
        title = {
            ServiceKind.DIRECTORATE: "Director",
            ServiceKind.SERVICE: "Head of Service",
            ServiceKind.TEAM: "Team Manager",
        }[s.kind]
        s._head = people.make(s, roles[title], permanent=True)
    for s in all_services:
        if s is not root:
            s._head._manager = by_id[s.parent_id]._head
    remaining = max(0, n_employees - len(people.made))
    # Bigger teams in social care and housing, as in real councils.
    weights = [
        3
        if "Social" in by_id[by_id[t.parent_id].parent_id].name
        or "Housing" in by_id[by_id[t.parent_id].parent_id].name
        else 2
        for t in teams
    ]
    total_w = sum(weights)
    members: dict[int, list[Employee]] = {t.pk: [] for t in teams}
    # Every team gets a couple of staff first (so small demos still have them),
    # the rest by weight.
    floor = min(2, remaining // max(1, len(teams)))
    spread = remaining - floor * len(teams)
    allocated = 0
    for i, t in enumerate(teams):
        extra = spread * weights[i] // total_w if i < len(teams) - 1 else spread - allocated
        allocated += extra
        n = floor + extra
        staff_roles = team_roles[t.pk]
        for j in range(n):
            role_title = staff_roles[0] if j % 3 != 2 else rng.choice(staff_roles)
            members[t.pk].append(people.make(t, roles[role_title]))
    for t in teams:
        team = members[t.pk]
        _assign_spans(t._head, team)
        # Team leaders get the title that goes with supervising.
        leaders = {id(p._manager) for p in team if p._manager is not t._head}
        for p in team:
            if id(p) in leaders:
                p.job_role = roles["Team Leader"]
                p.employment_type = EmploymentType.PERMANENT
                p.end_date = None

    Employee.objects.bulk_create(people.made, batch_size=2000)
    for p in people.made:
        p.line_manager = p._manager
    # One statement (core.bulk): bulk_update's CASE per row is quadratic.
    update_objects(Employee, people.made, ["line_manager", "job_role", "employment_type", "end_date"])
    for s in all_services:
        s.head = s._head
    update_objects(Service, all_services, ["head"])
    return all_services, people.made, roles, {}


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
    org = Organisation.objects.create(name="Northshire County Council", slug=DEMO_ORG_SLUG)
    services, people, roles, _ = _build_org(
        rng, today, org, _in_areas(COUNCIL, area_count(employees)), "Northshire County Council", employees
    )

    other_org = Organisation.objects.create(name="Riverside Homes", slug=OTHER_ORG_SLUG)
    other_structure = {
        "Operations": [
            ("Neighbourhoods", ["Tenancy Team"], ["Tenancy Officer"]),
            ("Maintenance", ["Repairs Team"], ["Repairs Officer"]),
        ]
    }
    o_services, o_people, o_roles, _ = _build_org(
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

    hashed = make_password(password)
    personas = {
        "demo-director": director,
        "demo-manager": manager,
        "demo-staff": staff,
        "demo-officer": officer,
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
