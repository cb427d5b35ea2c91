"""Builds an organisation's services, job roles and employees in bulk, with realistic spans of control."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.bulk import update_objects
from demo.council import PRACTITIONER, ROLE_DETAILS
from demo.names import FIRST_NAMES, LAST_NAMES
from organisations.models import Employee, EmploymentType, JobRole, Organisation, Service, ServiceKind

EMPLOYMENT_MIX = [
    (EmploymentType.PERMANENT, 80),
    (EmploymentType.FIXED_TERM, 6),
    (EmploymentType.INTERIM, 5),
    (EmploymentType.AGENCY, 8),
    (EmploymentType.SECONDMENT, 1),
]


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
            # A few ending within a month, some within the quarter, most later in the year
            r = rng.random()
            window = (3, 30) if r < 0.12 else (31, 90) if r < 0.4 else (91, 365)
            end = self.today + timedelta(days=rng.randint(*window))
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


def build_org(
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
