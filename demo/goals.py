"""Demo goals: a council plan's priorities, service and team goals under them,
two to five objectives per person aligned upward, and a year of check-ins.

Bulk inserts only, progress rolled up in memory: at 10,000 employees this is
about 35,000 goals and 100,000 check-ins in a few seconds. Deterministic for a
seed (ctx.rng only). KPIs come from the KPI step when it has run
(``ctx.extra["kpis"]``, ``ctx.extra["kpi_homelessness_prevention"]``); without
them goals are simply not linked to KPIs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from appraisals.models import Goal, GoalCheckIn, GoalHorizon, GoalLevel, GoalStatus
from appraisals.services.goals import weighted_progress
from core.bulk import update_objects
from demo.structure import DemoContext, base_name
from organisations.models import Employee, Service, ServiceKind

# The council plan: (priority, directorate whose services mainly deliver it)
COUNCIL_PRIORITIES = [
    ("Every resident has a safe, secure home", "Housing"),
    ("Children get the best start in life", "Children's Services"),
    ("Adults live independently for longer", "Adults' Social Care"),
    ("A cleaner, greener county", "Environment"),
    ("A well-run council that lives within its means", "Resources"),
]
WELL_RUN = "A well-run council that lives within its means"
OTHER_PRIORITIES = [
    ("Safe, warm and well-maintained homes", "Maintenance"),
    ("Tenants at the heart of everything we do", "Neighbourhoods"),
]

# service: [(title, success measure)]
SERVICE_GOALS: dict[str, list[tuple[str, str]]] = {
    "Adult Social Work": [
        ("Complete Care Act assessments within 28 days", "90% of assessments completed within 28 days"),
        (
            "Review every long-term client at least once a year",
            "85% of long-term clients reviewed in 12 months",
        ),
    ],
    "Safeguarding Adults": [
        ("Complete safeguarding enquiries within timescale", "80% of section 42 enquiries closed on time"),
        ("Clear the Deprivation of Liberty backlog", "Waiting list under 100 by March"),
    ],
    "Occupational Therapy": [
        ("Deliver minor adaptations within four weeks", "90% of minor adaptations fitted within 28 days"),
        ("Cut the waiting list for OT assessments", "No one waits more than 12 weeks"),
    ],
    "Commissioning and Contracts": [
        ("Secure enough home care hours in every locality", "No unmet home care package over 7 days"),
        ("Pay providers a fair cost of care", "All framework rates reviewed by October"),
    ],
    "Children's Social Care": [
        ("Complete child and family assessments within 45 working days", "90% within 45 working days"),
        ("Reduce re-referrals within 12 months", "Re-referrals below 20%"),
    ],
    "Looked After Children": [
        ("Increase the number of in-house foster carers", "20 new fostering households approved"),
        (
            "Every care leaver has a pathway plan and a suitable home",
            "95% of care leavers in suitable accommodation",
        ),
    ],
    "Education and Inclusion": [
        ("Issue EHC plans within 20 weeks", "60% of new plans issued within 20 weeks"),
        ("Offer every child a school place on national offer day", "All on-time applicants offered a place"),
    ],
    "Early Help": [
        ("Open Family Hubs in every district", "Seven hubs open by March"),
        ("Support families early so fewer need social care", "500 families supported through early help"),
    ],
    "Housing Options": [
        (
            "Prevent homelessness for more households at the 56-day duty",
            "65% of prevention cases end with accommodation secured",
        ),
        ("Reduce the use of bed and breakfast for families", "No family in B&B for more than six weeks"),
    ],
    "Housing Management": [
        ("Collect more of the rent due", "Rent collected at 98.5% of rent due"),
        ("Resolve tenancy issues before they reach court", "Evictions for arrears down by a quarter"),
    ],
    "Property Services": [
        ("Re-let empty homes faster", "Average re-let time under 28 days"),
        ("Complete emergency repairs within 24 hours", "98% of emergency repairs within 24 hours"),
    ],
    "Waste and Recycling": [
        ("Increase household waste recycled", "52% of household waste reused, recycled or composted"),
        ("Reduce missed bin collections", "Fewer than 50 missed collections per 100,000"),
    ],
    "Highways and Transport": [
        ("Repair dangerous potholes within 24 hours", "95% of category 1 defects made safe in 24 hours"),
        ("Cut people killed or seriously injured on our roads", "KSI casualties down 10%"),
    ],
    "Planning and Regulation": [
        ("Decide major planning applications within 13 weeks", "80% of major applications in time"),
        ("Protect residents from rogue traders", "Every doorstep crime report visited in 24 hours"),
    ],
    "Revenues and Benefits": [
        ("Collect council tax in year", "97% of council tax collected in year"),
        ("Process new benefit claims within 20 days", "Average new claim processed in 20 days"),
    ],
    "Digital and ICT": [
        ("Move residents' top 20 transactions online", "20 online forms live; 70% of transactions online"),
        ("Meet the cyber assessment framework baseline", "Baseline profile achieved by March"),
    ],
    "Human Resources": [
        ("Reduce sickness absence", "Below 8.5 days per FTE"),
        ("Cut reliance on agency social workers", "Agency social workers below 15% of posts"),
    ],
    "Finance": [
        ("Deliver the savings programme in full", "£12m of savings delivered"),
        ("Close the accounts on time", "Draft accounts published by 31 May"),
    ],
    "Information Governance and Performance": [
        ("Answer FOI requests within 20 working days", "95% answered in time"),
        (
            "Publish quarterly performance reports on time",
            "Each report to cabinet within six weeks of quarter end",
        ),
    ],
}

# team: (title, index of the service goal it supports)
TEAM_GOALS: dict[str, tuple[str, int]] = {
    "North Locality Team": ("Assess new referrals in the north within 28 days", 0),
    "South Locality Team": ("Review long-term clients in the south on time", 1),
    "Hospital Discharge Team": ("Support discharge home within two days of being medically fit", 0),
    "Safeguarding Hub": ("Start safeguarding enquiries within two working days", 0),
    "Deprivation of Liberty Team": ("Halve the DoLS waiting list", 1),
    "Community OT Team": ("Assess OT referrals within six weeks", 1),
    "Equipment and Adaptations Team": ("Fit minor adaptations within four weeks", 0),
    "Care Market Team": ("Commission home care in every rural area", 0),
    "Front Door (MASH)": ("Decide on every contact within 24 hours", 1),
    "Child in Need Team": ("Complete assessments within 45 working days", 0),
    "Child Protection Team": ("Hold every child protection visit on time", 1),
    "Fostering Team": ("Approve 20 new foster households", 0),
    "Leaving Care Team": ("Keep in touch with every care leaver", 1),
    "SEND Team": ("Issue EHC plans within 20 weeks", 0),
    "School Admissions Team": ("Process on-time applications for national offer day", 1),
    "Family Hubs Team": ("Open two more Family Hubs", 0),
    "Housing Options Team": ("Decide housing applications within 10 working days", 0),
    "Homelessness Prevention Team": ("Secure accommodation at the end of the prevention duty", 0),
    "Temporary Accommodation Team": ("Move families out of B&B within six weeks", 1),
    "Tenancy Services Team": ("Visit every new tenant within six weeks", 1),
    "Income Team": ("Reduce tenants more than seven weeks in arrears", 0),
    "Lettings Team": ("Sign up new tenancies with a full affordability check", 0),
    "Repairs Team": ("Complete emergency repairs within 24 hours", 1),
    "Voids Team": ("Turn empty homes around in 20 days", 0),
    "Collections Team": ("Cut missed collections on every round", 1),
    "Recycling Centres Team": ("Raise the share of waste reused or recycled at centres", 0),
    "Highways Maintenance Team": ("Make dangerous potholes safe within 24 hours", 0),
    "Road Safety Team": ("Deliver road safety schemes at the worst sites", 1),
    "Development Management Team": ("Decide major applications within 13 weeks", 0),
    "Trading Standards Team": ("Respond to doorstep crime reports the same day", 1),
    "Council Tax Team": ("Collect council tax arrears from previous years", 0),
    "Benefits Team": ("Process new claims within 20 days", 1),
    "Service Desk": ("Patch every laptop within 14 days", 1),
    "Digital Development Team": ("Launch online forms for the top 20 transactions", 0),
    "HR Advisory Team": ("Support managers to reduce sickness absence", 0),
    "Workforce Development Team": ("Grow our own social workers through apprenticeships", 1),
    "Corporate Finance Team": ("Close the accounts by 31 May", 1),
    "Procurement Team": ("Deliver £2m of contract savings", 0),
    "Information Governance Team": ("Answer FOI requests within 20 working days", 0),
    "Performance and Intelligence Team": ("Publish the quarterly performance report on time", 1),
}

ROLE_GOALS: dict[str, list[str]] = {
    "Housing Options Officer": [
        "Process housing applications within the 10-working-day target",
        "Agree a personalised housing plan within 10 days of each approach",
        "Keep every case record up to date on the housing system",
    ],
    "Homelessness Prevention Officer": [
        "Secure accommodation for at least 65% of my prevention cases",
        "Build working links with five private landlords",
    ],
    "Temporary Accommodation Officer": [
        "Move each family out of B&B within six weeks",
        "Inspect every temporary home before placement",
    ],
    "Social Worker": [
        "Complete my assessments within 28 days",
        "Review everyone on my caseload on time",
    ],
    "Senior Social Worker": [
        "Quality-assure the team's assessments each month",
        "Complete my complex-case reviews on time",
    ],
    "Children's Social Worker": [
        "Complete my assessments within 45 working days",
        "Visit every child on a plan within timescale",
    ],
    "Newly Qualified Social Worker": [
        "Complete my ASYE portfolio",
        "Complete my assessments within 45 working days",
    ],
    "Income Officer": ["Reduce arrears on my patch by 10%", "Contact every new arrears case within a week"],
    "Tenancy Officer": [
        "Complete new tenancy visits within six weeks",
        "Resolve anti-social behaviour cases",
    ],
    "Surveyor": ["Complete void inspections within two days", "Sign off repairs quality checks weekly"],
    "Revenues Officer": [
        "Clear my recovery caseload each month",
        "Process council tax changes within 10 days",
    ],
    "Benefits Assessor": ["Process new claims within 20 days", "Keep my accuracy above 97%"],
    "Planning Officer": ["Decide my applications within the statutory period", "Clear my older cases"],
    "Waste Services Officer": [
        "Resolve missed collection reports within two days",
        "Audit two rounds a month",
    ],
    "Digital Developer": ["Ship two online forms each quarter", "Pass accessibility checks on every release"],
    "Performance Analyst": [
        "Publish the quarterly KPI report on time",
        "Check KPI data quality with each service",
    ],
}
GENERIC_GOALS = [
    "Keep my caseload within the agreed limit",
    "Meet the team's service standards on my cases",
    "Respond to residents' enquiries within five working days",
    "Improve the quality of my case recording",
    "Share learning from a complaint with the team",
    "Complete my mandatory training",
]
LEADER_GOALS = {
    ServiceKind.TEAM: [
        "Hold supervision with every team member each month",
        "Bring the team's sickness absence below 8 days per FTE",
        "Deliver the team goal with the team",
    ],
    ServiceKind.SERVICE: [
        "Deliver the service plan",
        "Keep the service within budget",
        "Fill vacant posts with permanent staff",
    ],
    ServiceKind.DIRECTORATE: [
        "Lead the directorate's part of the council plan",
        "Deliver the directorate's savings",
        "Improve the directorate's inspection outcome",
    ],
}
DEVELOPMENT_GOALS = [
    "Complete a leadership development course",
    "Shadow a colleague in another team",
    "Work towards a professional qualification",
    "Mentor a new member of staff",
]
COMMENTS = {
    GoalStatus.ON_TRACK: [
        "Going well; on track for the deadline.",
        "Steady progress this month.",
        "Ahead of where I expected.",
        "Discussed at 1:1; no concerns.",
    ],
    GoalStatus.AT_RISK: [
        "Caseload has gone up; this has slipped.",
        "Waiting on another team before I can finish.",
        "Sickness in the team has slowed this down.",
        "Agreed to review again at the next 1:1.",
    ],
    GoalStatus.OFF_TRACK: [
        "Not achievable by the due date without more support.",
        "System problems have stopped progress.",
    ],
    GoalStatus.ACHIEVED: ["Done.", "Completed and signed off by my manager.", "Achieved ahead of time."],
    GoalStatus.DROPPED: ["No longer a priority after the restructure.", "Replaced by a new team goal."],
}


def _fy(today: date) -> tuple[date, date]:
    year = today.year if today.month >= 4 else today.year - 1
    return date(year, 4, 1), date(year + 1, 3, 31)


def _aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(10, 0)))


class _Objective:
    """An individual objective before it is inserted: plain attributes, because
    35,000 model instances cost more than the inserts themselves."""

    __slots__ = (
        "id",
        "organisation_id",
        "owner_id",
        "service_id",
        "parent",
        "kpi_id",
        "title",
        "description",
        "success_measure",
        "start_date",
        "due_date",
        "status",
        "progress",
        "created_by_id",
        "agreed_by_id",
        "agreed_at",
        "authors",
    )

    weight = Decimal("1.00")
    level = GoalLevel.INDIVIDUAL

    def __init__(self, **kw: Any):
        self.description = self.success_measure = ""
        self.kpi_id = self.agreed_by_id = self.agreed_at = None
        for k, v in kw.items():
            setattr(self, k, v)


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Multi-row INSERTs straight to the driver: no model instances, no per-field
    compilation, no debug logging. Works on SQLite and PostgreSQL; chunks stay
    under SQLite's limit on parameters."""
    if not rows:
        return
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = max(1, 30000 // len(columns))
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's cursor (Django's SQLite one takes %s)
        for i in range(0, len(rows), per):
            chunk = rows[i : i + per]
            cursor.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


class _Seeder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.fy_start, self.fy_end = _fy(ctx.today)
        kpis = ctx.extra.get("kpis") or []
        self.kpis_by_service: dict[int, list[Any]] = defaultdict(list)
        for kpi in kpis:
            self.kpis_by_service[getattr(kpi, "service_id", None)].append(kpi)
        self.homelessness_kpi = ctx.extra.get("kpi_homelessness_prevention")
        self.shared: list[Goal] = []
        self.objectives: list[_Objective] = []
        self.check_ins: list[tuple] = []
        self.now = ctx.now
        self._db_datetimes: dict[datetime, Any] = {}
        self._db_dates: dict[date, Any] = {}

    def _db_date(self, value: date):
        if value not in self._db_dates:
            self._db_dates[value] = connection.ops.adapt_datefield_value(value)
        return self._db_dates[value]

    def _db_datetime(self, value: datetime | None):
        if value is None:
            return None
        if value not in self._db_datetimes:
            self._db_datetimes[value] = connection.ops.adapt_datetimefield_value(value)
        return self._db_datetimes[value]

    # --- dates and outcomes ------------------------------------------------------
    def _due(self) -> date:
        """Most objectives run to the year end; some to a quarter end (past ones
        mostly achieved, some overdue), a few fall due in the next weeks or have
        just passed their date: the ones the flags pick up."""
        rng = self.rng
        r = rng.random()
        y = self.fy_start.year
        if r < 0.65:
            due = self.fy_end
        elif r < 0.85:
            due = rng.choice([date(y, 6, 30), date(y, 9, 30), date(y, 12, 31)])
        elif r < 0.93:
            due = self.today + timedelta(days=rng.randint(5, 30))
        else:
            due = self.today - timedelta(days=rng.randint(3, 25))
        return max(due, self.fy_start + timedelta(days=30))

    def _outcome(self, start: date, due: date) -> tuple[str, int]:
        rng = self.rng
        span = max(1, (due - start).days)
        elapsed = min(1.0, max(0.0, (self.today - start).days / span))
        expected = int(elapsed * 100)
        r = rng.random()
        if due < self.today:
            if r < 0.7:
                return GoalStatus.ACHIEVED, 100
            if r < 0.85:
                return GoalStatus.ON_TRACK, rng.randint(60, 90)  # overdue, not finished
            if r < 0.92:
                return GoalStatus.AT_RISK, rng.randint(30, 70)
            if r < 0.95:
                return GoalStatus.OFF_TRACK, rng.randint(10, 50)
            return GoalStatus.DROPPED, rng.randint(0, 40)
        if r < 0.08 or expected < 3:
            return GoalStatus.AGREED, 0
        if r < 0.62:
            return GoalStatus.ON_TRACK, max(0, min(99, expected + rng.randint(-8, 12)))
        if r < 0.82:
            return GoalStatus.AT_RISK, max(0, expected - rng.randint(20, 45))
        if r < 0.87:
            return GoalStatus.OFF_TRACK, max(0, expected - rng.randint(35, 60))
        if r < 0.96:
            return GoalStatus.ON_TRACK, min(99, expected + rng.randint(10, 30))
        if r < 0.98:
            return GoalStatus.DROPPED, max(0, expected - 30)
        return GoalStatus.ACHIEVED, 100

    def _check_ins(self, goal, goal_id: int, author_ids: list[int | None]) -> None:
        """Check-ins spread from the start to today (or just after the due date),
        progress climbing to the goal's, the last one with the goal's status."""
        if goal.status in (GoalStatus.DRAFT, GoalStatus.AGREED):
            return
        rng = self.rng
        # A fortnight in, or today for a goal of a year that has just begun.
        first = min(goal.start_date + timedelta(days=14), self.today)
        last = max(first, min(self.today, goal.due_date + timedelta(days=7)))
        n = rng.randint(1, 5)
        step = max(1, (last - first).days // n)
        created = self._db_datetime(self.now)
        for i in range(n):
            final = i == n - 1
            status = (
                goal.status if final else (GoalStatus.ON_TRACK if rng.random() < 0.8 else GoalStatus.AT_RISK)
            )
            self.check_ins.append(
                (
                    goal_id,
                    rng.choice(author_ids) if author_ids else None,
                    self._db_date(min(last, first + timedelta(days=step * (i + 1)))),
                    goal.progress if final else goal.progress * (i + 1) // n,
                    status,
                    rng.choice(COMMENTS[status]) if rng.random() < 0.7 else "",
                    created,
                )
            )

    def _kpi_for(self, service: Service, index: int):
        kpis = self.kpis_by_service.get(service.pk) or []
        return kpis[index % len(kpis)] if kpis and self.rng.random() < 0.8 else None

    # --- one organisation -------------------------------------------------------------
    def seed_organisation(
        self, org, priorities: list[tuple[str, str]], personas: dict[str, Employee]
    ) -> None:
        rng = self.rng
        services = [s for s in self.ctx.services if s.organisation_id == org.pk]
        by_id = {s.pk: s for s in services}
        people = [e for e in self.ctx.employees if e.organisation_id == org.pk]
        start = self.fy_start
        agreed_at = min(_aware(start), self.now)
        long_due = date(self.fy_end.year + 2, 3, 31)

        def directorate_of(s: Service) -> Service | None:
            node = s
            while node is not None and node.kind != ServiceKind.DIRECTORATE:
                node = by_id.get(node.parent_id)
            return node

        # 1. Organisation priorities (long-term), set by the chief executive.
        ceo = next((e for e in people if e.line_manager_id is None), None)
        priority_of: dict[str, Goal] = {}
        for title, area in priorities:
            priority_of[area] = Goal(
                organisation=org,
                level=GoalLevel.ORGANISATION,
                title=title,
                description=f"A priority of the council plan to {long_due.year}.",
                start_date=start,
                due_date=long_due,
                horizon=GoalHorizon.LONG,
                status=GoalStatus.ON_TRACK,
                created_by=ceo,
                agreed_by=ceo,
                agreed_at=agreed_at,
            )
        Goal.objects.bulk_create(list(priority_of.values()))
        well_run = next((g for g in priority_of.values() if g.title == WELL_RUN), None)
        fallback_priority = next(iter(priority_of.values()))

        # 2. Service goals under the priority their directorate delivers.
        service_goals: dict[int, list[Goal]] = defaultdict(list)
        for s in services:
            if s.kind != ServiceKind.SERVICE:
                continue
            d = directorate_of(s)
            parent = priority_of.get(d.name if d else "") or priority_of.get(s.name) or fallback_priority
            specs = SERVICE_GOALS.get(base_name(s.name)) or [
                (f"Improve {s.name.lower()} for residents", "Agreed service standards met"),
                (f"Keep {s.name.lower()} within budget", "Spend within 1% of budget"),
            ]
            for i, (title, measure) in enumerate(specs):
                # Resources' second goals are about running the council well.
                goal_parent = well_run if (well_run and i == 1 and d and d.name == "Resources") else parent
                kpi = self.homelessness_kpi if (s.name == "Housing Options" and i == 0) else None
                service_goals[s.pk].append(
                    Goal(
                        organisation=org,
                        level=GoalLevel.SERVICE,
                        service=s,
                        parent=goal_parent,
                        kpi=kpi or self._kpi_for(s, i),
                        title=title,
                        success_measure=measure,
                        start_date=start,
                        due_date=self.fy_end,
                        status=GoalStatus.ON_TRACK,
                        created_by=s.head,
                        agreed_by=s.head,
                        agreed_at=agreed_at,
                    )
                )
        Goal.objects.bulk_create([g for gs in service_goals.values() for g in gs])

        # 3. A goal for each team under one of its service's goals.
        team_goals: dict[int, list[Goal]] = defaultdict(list)
        for t in services:
            if t.kind != ServiceKind.TEAM:
                continue
            parents = service_goals.get(t.parent_id) or [fallback_priority]
            title, index = TEAM_GOALS.get(base_name(t.name), (f"Meet the {t.name}'s service standards", 0))
            parent = parents[index % len(parents)]
            kpi = parent.kpi
            if t.name == "Housing Options Team" and self.homelessness_kpi is not None:
                kpi = self.homelessness_kpi
            team_goals[t.pk].append(
                Goal(
                    organisation=org,
                    level=GoalLevel.TEAM,
                    service=t,
                    parent=parent,
                    kpi=kpi,
                    title=title,
                    start_date=start,
                    due_date=self.fy_end,
                    status=GoalStatus.ON_TRACK,
                    created_by=t.head,
                    agreed_by=t.head,
                    agreed_at=agreed_at,
                )
            )
        Goal.objects.bulk_create([g for gs in team_goals.values() for g in gs])
        shared = [*priority_of.values(), *(g for gs in service_goals.values() for g in gs)]
        shared += [g for gs in team_goals.values() for g in gs]
        self.shared += shared

        # 4. Two to five objectives each, aligned to their team's goal (leaders: to
        # their service's goals or the priority), now and then a personal one.
        objectives: list[_Objective] = []
        for e in people:
            s = by_id[e.service_id]
            if s.kind == ServiceKind.TEAM:
                parents = team_goals.get(s.pk, [])
            elif s.kind == ServiceKind.SERVICE:
                parents = service_goals.get(s.pk, [])
            elif s.parent_id is None:
                parents = list(priority_of.values())
            else:
                parents = [priority_of.get(s.name) or fallback_priority]
            parents = parents or [fallback_priority]
            role = e.job_role.title if e.job_role_id else ""
            titles = LEADER_GOALS.get(s.kind, []) if s.head_id == e.pk else ROLE_GOALS.get(role, [])
            pool = list(titles) + [t for t in GENERIC_GOALS if t not in titles]
            n = rng.randint(2, 5)
            manager_id = e.line_manager_id
            authors = [e.pk, manager_id] if manager_id else [e.pk]
            for i in range(n):
                personal = i == n - 1 and n >= 3 and rng.random() < 0.3
                parent = None if personal else parents[i % len(parents)]
                due = self.fy_end if personal else self._due()
                status, progress = self._outcome(start, due)
                objectives.append(
                    _Objective(
                        organisation_id=org.pk,
                        owner_id=e.pk,
                        service_id=s.pk,
                        parent=parent,
                        kpi_id=parent.kpi_id if (parent is not None and rng.random() < 0.5) else None,
                        title=rng.choice(DEVELOPMENT_GOALS) if personal else pool[i % len(pool)],
                        start_date=start,
                        due_date=due,
                        status=status,
                        progress=progress,
                        created_by_id=manager_id or e.pk,
                        agreed_by_id=manager_id or e.pk,
                        agreed_at=agreed_at,
                        authors=authors,
                    )
                )

        # The personas: demo-staff's objective on applications processed, supporting
        # the Housing Options team goal and the homelessness-prevention KPI, and one
        # near its due date and behind; drafts from demo-manager's reports.
        staff = personas.get("demo-staff")
        if staff is not None and staff.organisation_id == org.pk:
            mine = [o for o in objectives if o.owner_id == staff.pk]
            first = mine[0]
            first.title = "Process housing applications within the 10-working-day target"
            first.success_measure = "95% of my applications decided within 10 working days"
            first.parent = (team_goals.get(staff.service_id) or [first.parent])[0]
            first.kpi_id = self.homelessness_kpi.pk if self.homelessness_kpi is not None else None
            first.due_date = self.fy_end
            first.status, first.progress = self._outcome(first.start_date, first.due_date)
            if first.status in (GoalStatus.DROPPED, GoalStatus.AGREED, GoalStatus.ACHIEVED):
                first.status, first.progress = GoalStatus.ON_TRACK, max(first.progress, 35)
            second = mine[1]
            second.due_date = min(self.fy_end, self.today + timedelta(days=12))
            second.status, second.progress = GoalStatus.AT_RISK, 30
        manager = personas.get("demo-manager")
        if manager is not None and manager.organisation_id == org.pk:
            draft_due = (
                self.fy_end if (self.fy_end - self.today).days > 60 else date(self.fy_end.year + 1, 3, 31)
            )
            reports = [e for e in people if e.line_manager_id == manager.pk]
            for e, title in zip(reports, DRAFT_GOALS, strict=False):
                objectives.append(
                    _Objective(
                        organisation_id=org.pk,
                        owner_id=e.pk,
                        service_id=e.service_id,
                        parent=(team_goals.get(e.service_id) or [None])[0],
                        title=title,
                        description="Proposed after our last 1:1.",
                        start_date=self.today,
                        due_date=draft_due,
                        status=GoalStatus.DRAFT,
                        progress=0,
                        created_by_id=e.pk,
                        authors=[e.pk],
                    )
                )
        self.objectives += objectives

        # 5. Progress of the shared goals, rolled up in memory from the bottom.
        children: dict[int, list] = defaultdict(list)
        for g in [*objectives, *shared]:
            if g.parent is not None:
                children[g.parent.pk].append(g)
        rank = {GoalLevel.TEAM: 0, GoalLevel.SERVICE: 1, GoalLevel.ORGANISATION: 2}
        for g in sorted(shared, key=lambda g: rank[g.level]):
            rolled = weighted_progress(
                (c.progress, c.weight) for c in children[g.pk] if c.status != GoalStatus.DROPPED
            )
            if rolled is None:
                continue
            span = max(1, (g.due_date - g.start_date).days)
            expected = min(100, max(0, (self.today - g.start_date).days * 100 // span))
            g.progress = rolled
            g.status = (
                GoalStatus.ON_TRACK
                if rolled >= expected - 10
                else GoalStatus.AT_RISK
                if rolled >= expected - 30
                else GoalStatus.OFF_TRACK
            )
            head = g.service.head_id if g.service_id else (ceo.pk if ceo else None)
            self._check_ins(g, g.pk, [head])
        update_objects(Goal, shared, ["progress", "status"])

    # --- writing ------------------------------------------------------------------------
    def write(self) -> None:
        """The objectives, with ids given here so their check-ins can name them, then
        every check-in: a handful of multi-row INSERTs."""
        next_id = (Goal.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        columns = [
            "id",
            "organisation_id",
            "level",
            "owner_id",
            "service_id",
            "parent_id",
            "kpi_id",
            "title",
            "description",
            "success_measure",
            "start_date",
            "due_date",
            "horizon",
            "status",
            "progress",
            "weight",
            "created_by_id",
            "agreed_by_id",
            "agreed_at",
            "created_at",
            "updated_at",
        ]
        now = self._db_datetime(self.now)
        weight = connection.ops.adapt_decimalfield_value(Decimal("1.00"), 5, 2)
        rows = []
        for o in self.objectives:
            o.id = next_id
            next_id += 1
            rows.append(
                (
                    o.id,
                    o.organisation_id,
                    GoalLevel.INDIVIDUAL.value,
                    o.owner_id,
                    o.service_id,
                    o.parent.pk if o.parent is not None else None,
                    o.kpi_id,
                    o.title,
                    o.description,
                    o.success_measure,
                    self._db_date(o.start_date),
                    self._db_date(o.due_date),
                    GoalHorizon.SHORT.value,
                    str(o.status),
                    o.progress,
                    weight,
                    o.created_by_id,
                    o.agreed_by_id,
                    self._db_datetime(o.agreed_at),
                    now,
                    now,
                )
            )
        _insert(Goal, columns, rows)
        with connection.cursor() as cursor:  # PostgreSQL: the id sequence past the ids given here
            for sql in connection.ops.sequence_reset_sql(no_style(), [Goal]):
                cursor.execute(sql)
        for o in self.objectives:
            self._check_ins(o, o.id, o.authors)
        _insert(
            GoalCheckIn,
            ["goal_id", "author_id", "date", "progress", "status", "comment", "created_at"],
            [(g, a, d, p, str(s), c, t) for g, a, d, p, s, c, t in self.check_ins],
        )


DRAFT_GOALS = [
    "Lead the team's work on the new landlord incentive scheme",
    "Run a drop-in advice session at the Family Hub each month",
    "Train as a duty officer for the homelessness line",
]


def seed(ctx: DemoContext) -> None:
    seeder = _Seeder(ctx)
    seeder.seed_organisation(ctx.organisation, COUNCIL_PRIORITIES, ctx.personas)
    seeder.seed_organisation(ctx.other_organisation, OTHER_PRIORITIES, ctx.personas)
    seeder.write()
    ctx.extra["shared_goals"] = seeder.shared
