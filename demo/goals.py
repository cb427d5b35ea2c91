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
from typing import Any

from django.utils import timezone

from appraisals.models import Goal, GoalHorizon, GoalLevel, GoalStatus
from appraisals.services.goals import weighted_progress
from core.bulk import update_objects
from demo.council import base_name
from demo.goal_catalogue import (
    COMMENTS,
    COUNCIL_PRIORITIES,
    DEVELOPMENT_GOALS,
    DRAFT_GOALS,
    GENERIC_GOALS,
    LEADER_GOALS,
    OTHER_PRIORITIES,
    ROLE_GOALS,
    SERVICE_GOALS,
    TEAM_GOALS,
    WELL_RUN,
)
from demo.goal_outcomes import due_date, financial_year, outcome
from demo.goal_rows import GoalRows, Objective
from demo.structure import DemoContext
from organisations.models import Employee, Service, ServiceKind


def _aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(10, 0)))


class _Seeder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.fy_start, self.fy_end = financial_year(ctx.today)
        kpis = ctx.extra.get("kpis") or []
        self.kpis_by_service: dict[int, list[Any]] = defaultdict(list)
        for kpi in kpis:
            self.kpis_by_service[getattr(kpi, "service_id", None)].append(kpi)
        self.homelessness_kpi = ctx.extra.get("kpi_homelessness_prevention")
        self.shared: list[Goal] = []
        self.now = ctx.now
        self.rows = GoalRows(self.now)

    def _check_ins(self, goal, goal_id: int, author_ids: list[int | None]) -> None:
        """Check-ins spread from the start to today (or just after the due date),
        progress climbing to the goal's, the last one with the goal's status."""
        if goal.status in (GoalStatus.DRAFT, GoalStatus.AGREED):
            return
        rng = self.rng
        # A fortnight in, or today for a goal of a year that has just begun.
        first = min(goal.start_date + timedelta(days=14), self.today)
        last = max(first, min(self.today, goal.due_date + timedelta(days=7)))
        # Most running goals were last updated around the last review, not since: a
        # share picked from the goal's id (not the shared random stream, so the rest
        # of the demo is unchanged) were updated in between.
        if goal.due_date >= self.today and goal_id % 10 < 7:
            last = max(first, self.today - timedelta(days=35 + goal_id % 30))
        n = rng.randint(1, 5)
        step = max(1, (last - first).days // n)
        created = self.rows.db_datetime(self.now)
        for i in range(n):
            final = i == n - 1
            status = (
                goal.status if final else (GoalStatus.ON_TRACK if rng.random() < 0.8 else GoalStatus.AT_RISK)
            )
            self.rows.check_ins.append(
                (
                    goal_id,
                    rng.choice(author_ids) if author_ids else None,
                    self.rows.db_date(min(last, first + timedelta(days=step * (i + 1)))),
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
        objectives: list[Objective] = []
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
                due = self.fy_end if personal else due_date(rng, self.today, self.fy_start, self.fy_end)
                status, progress = outcome(rng, self.today, start, due)
                objectives.append(
                    Objective(
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
            first.status, first.progress = outcome(rng, self.today, first.start_date, first.due_date)
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
                    Objective(
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
        self.rows.objectives += objectives

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
        """The objectives (ids given as they are written, so their check-ins can name
        them), then every check-in."""
        self.rows.write_objectives()
        for o in self.rows.objectives:
            self._check_ins(o, o.id, o.authors)
        self.rows.write_check_ins()


def seed(ctx: DemoContext) -> None:
    seeder = _Seeder(ctx)
    seeder.seed_organisation(ctx.organisation, COUNCIL_PRIORITIES, ctx.personas)
    seeder.seed_organisation(ctx.other_organisation, OTHER_PRIORITIES, ctx.personas)
    seeder.write()
    ctx.extra["shared_goals"] = seeder.shared
