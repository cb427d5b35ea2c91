"""Demo data: the council's corporate risk register and its service registers,
and a workforce mix in Housing that the interim rules have something to say about.

Realistic risks of the kind UK councils register, scored inherent, residual
and target, with controls, actions (some done, some overdue) and owners; some
past their review date and some with the residual score above target, so the
risk flags have something to raise. Bulk inserts only; deterministic. The
registers themselves are in ``demo.corporate_risks`` and ``demo.service_risks``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.bulk import update_objects
from demo.corporate_risks import CORPORATE_RISKS, DemoRisk
from demo.service_risks import COUNCIL_SERVICE_RISKS, OTHER_ORG_RISKS
from organisations.models import Employee, EmploymentType, Risk, RiskAction, Service
from organisations.models.people import CONTINGENT_TYPES

# The council's corporate register, then its service registers.
COUNCIL_RISKS = CORPORATE_RISKS + COUNCIL_SERVICE_RISKS


def _risks_for(ctx, org, catalogue: list[DemoRisk]) -> tuple[list[Risk], list[RiskAction]]:
    services = {s.name: s for s in ctx.services if s.organisation_id == org.pk}
    root = next(s for s in services.values() if s.parent_id is None)
    officers = [e for e in ctx.employees if e.organisation_id == org.pk and e.is_performance_officer]

    def owner_for(key: str) -> Employee:
        if key == "chief" or key not in services:
            return root.head
        return services[key].head

    risks, actions = [], []
    for d in catalogue:
        service: Service | None = services[d.register] if d.register else None
        owner = owner_for(d.owner)
        risk = Risk(
            organisation=org,
            service=service,
            reference=d.reference,
            title=d.title,
            description=d.description,
            category=d.category,
            owner=owner,
            inherent_likelihood=d.inherent[0],
            inherent_impact=d.inherent[1],
            residual_likelihood=d.residual[0],
            residual_impact=d.residual[1],
            target_likelihood=d.target[0],
            target_impact=d.target[1],
            response=d.response,
            controls=d.controls,
            review_due=ctx.today + timedelta(days=d.review_in_days),
            is_open=d.is_open,
        )
        risk.refresh_score()  # bulk_create skips save()
        risk.full_clean()
        risks.append(risk)
        for what, due_in, done_ago in d.actions:
            actions.append(
                RiskAction(
                    risk=risk,
                    description=what,
                    owner=officers[0] if "self-assessment" in what and officers else owner,
                    due=ctx.today + timedelta(days=due_in),
                    done=ctx.today - timedelta(days=done_ago) if done_ago is not None else None,
                )
            )
    return risks, actions


def _lean_on_agency(ctx) -> None:
    """Make Housing Options lean on agency staff (about a third of its FTE, above the
    threshold plus the high margin), and give demo-manager two reports whose
    agency contracts end soon, so demo-director's directorate shows both workforce flags."""
    org = ctx.organisation
    services = [s for s in ctx.services if s.organisation_id == org.pk]
    options = next(s for s in services if s.name == "Housing Options")
    children: dict[int | None, list[int]] = {}
    for s in services:
        children.setdefault(s.parent_id, []).append(s.pk)
    subtree, stack = set(), [options.pk]
    while stack:
        sid = stack.pop()
        if sid not in subtree:
            subtree.add(sid)
            stack.extend(children.get(sid, []))
    heads = {s.head_id for s in services}
    managers = {e.line_manager_id for e in ctx.employees if e.line_manager_id}
    personas = {e.pk for e in ctx.personas.values()}
    people = [e for e in ctx.employees if e.service_id in subtree and e.active]
    changed: list[Employee] = []

    manager = ctx.personas["demo-manager"]
    reports = [
        e for e in people if e.line_manager_id == manager.pk and e.pk not in personas and e.pk not in managers
    ]
    for e, days in zip(reports[:2], (10, 25), strict=False):
        e.employment_type, e.end_date = EmploymentType.AGENCY, ctx.today + timedelta(days=days)
        changed.append(e)

    total = sum((e.fte for e in people), Decimal(0))
    contingent = sum((e.fte for e in people if e.employment_type in CONTINGENT_TYPES), Decimal(0))
    candidates = [
        e
        for e in people
        if e.employment_type == EmploymentType.PERMANENT and e.pk not in heads | managers | personas
    ]
    goal = total * Decimal("0.33")
    for e in candidates:
        if contingent >= goal:
            break
        e.employment_type = EmploymentType.AGENCY
        e.end_date = ctx.today + timedelta(days=ctx.rng.randint(45, 240))
        contingent += e.fte
        changed.append(e)
    update_objects(Employee, changed, ["employment_type", "end_date"])


def seed(ctx) -> None:
    _lean_on_agency(ctx)
    risks, actions = [], []
    for org, catalogue in ((ctx.organisation, COUNCIL_RISKS), (ctx.other_organisation, OTHER_ORG_RISKS)):
        r, a = _risks_for(ctx, org, catalogue)
        risks += r
        actions += a
    Risk.objects.bulk_create(risks)
    Risk.history.bulk_history_create(risks, default_change_reason="Recorded (demo data)")
    for a in actions:
        a.risk_id = a.risk.pk
    RiskAction.objects.bulk_create(actions)
    RiskAction.history.bulk_history_create(actions, default_change_reason="Action added (demo data)")
    ctx.extra["risks"] = risks
