"""Demo data: the council's corporate risk register and its service registers,
and a workforce mix in Housing that the interim rules have something to say about.

Realistic risks from the field (DOMAIN.md, "Risk"), scored inherent, residual
and target, with controls, actions (some done, some overdue) and owners; some
past their review date and some with the residual score above target, so the
risk flags have something to raise. Bulk inserts only; deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from core.bulk import update_objects
from organisations.models import (
    Employee,
    EmploymentType,
    Risk,
    RiskAction,
    RiskCategory,
    RiskResponse,
    Service,
)
from organisations.models.people import CONTINGENT_TYPES

C = RiskCategory
R = RiskResponse


@dataclass
class DemoRisk:
    register: str | None  # a service's name, or None for the corporate register
    reference: str
    title: str
    description: str
    category: str
    inherent: tuple[int, int]
    residual: tuple[int, int]
    target: tuple[int, int]
    owner: str  # "chief", or the name of the service whose head owns it
    review_in_days: int  # negative: overdue for review
    controls: str
    response: str = R.TREAT
    actions: list[tuple[str, int, int | None]] = field(
        default_factory=list
    )  # (what, due in days, done days ago)
    is_open: bool = True


COUNCIL_RISKS = [
    DemoRisk(
        None,
        "CR01",
        "Cyber attack disrupts council services",
        "Because ransomware groups target local government and some of our systems are old, there is a risk "
        "that an attack encrypts our systems and data, leading to weeks without key services and the loss of records.",
        C.CYBER,
        (4, 5),
        (3, 5),
        (2, 4),
        "Digital and ICT",
        -10,
        "Multi-factor authentication for all staff; immutable offline backups tested quarterly; PSN compliance; "
        "annual penetration test; phishing training for all staff.",
        actions=[
            ("Complete the Cyber Assessment Framework self-assessment", 45, None),
            ("Run a ransomware exercise with the corporate leadership team", -20, None),
            ("Replace the end-of-life firewalls", -60, 50),
        ],
    ),
    DemoRisk(
        None,
        "CR02",
        "Funding gap in the medium-term financial strategy",
        "Because demand for social care and temporary accommodation is rising faster than funding, there is a "
        "risk that we cannot set a balanced budget, leading to unplanned cuts to services or a section 114 notice.",
        C.FINANCIAL,
        (5, 5),
        (4, 5),
        (3, 4),
        "Resources",
        30,
        "Medium-term financial strategy refreshed each autumn; savings programme tracked monthly; reserves policy.",
        actions=[("Agree the savings programme for next year with cabinet", 60, None)],
    ),
    DemoRisk(
        None,
        "CR03",
        "Negative publicity damages trust in the council",
        "Because of high-profile service failures elsewhere and social media, there is a risk that a local "
        "incident is widely reported, leading to a loss of public trust and pressure on members.",
        C.REPUTATIONAL,
        (4, 4),
        (3, 3),
        (2, 3),
        "chief",
        -45,
        "Communications protocol; media training for senior officers; complaints monitored weekly.",
        response=R.TOLERATE,
    ),
    DemoRisk(
        None,
        "CR04",
        "Data breach of residents' personal information",
        "Because staff handle large volumes of sensitive personal data, there is a risk that data is sent to "
        "the wrong person or lost, leading to harm to residents, ICO enforcement and fines.",
        C.CYBER,
        (4, 4),
        (3, 4),
        (2, 4),
        "Information Governance and Performance",
        20,
        "Mandatory data protection training; secure email; breach reporting procedure; DPIAs for new systems.",
        actions=[("Roll out data loss prevention on email", 30, None)],
    ),
    DemoRisk(
        None,
        "CR05",
        "Failure to recruit and retain social workers",
        "Because of a national shortage and competition from agencies and neighbouring councils, there is a "
        "risk that we cannot fill social work posts, leading to high caseloads, delays and unsafe practice.",
        C.WORKFORCE,
        (5, 4),
        (4, 4),
        (3, 3),
        "Children's Services",
        -20,
        "Recruitment and retention allowance; ASYE academy; caseload monitoring; regional agency pay memorandum.",
        actions=[
            ("Launch the 'grow our own' social work apprenticeship", 90, None),
            ("Review the retention allowance with HR", -5, None),
        ],
    ),
    DemoRisk(
        None,
        "CR06",
        "Reliance on agency staff drives cost and weakens practice",
        "Because of vacancies in social care and housing, there is a risk that we rely on agency staff for too "
        "long, leading to higher costs, loss of continuity for residents and weaker practice.",
        C.WORKFORCE,
        (4, 4),
        (4, 3),
        (2, 3),
        "Human Resources",
        10,
        "Agency spend reported to the leadership team monthly; approval needed for placements over 12 weeks.",
        actions=[("Convert long-running agency placements to fixed-term contracts", 45, None)],
    ),
    DemoRisk(
        None,
        "CR07",
        "Severe weather and flooding disrupt services",
        "Because of more frequent extreme weather, there is a risk of flooding and disruption, leading to "
        "services being unavailable and residents needing emergency support.",
        C.OPERATIONAL,
        (3, 4),
        (3, 3),
        (3, 3),
        "Environment",
        60,
        "Business continuity plans for every service; emergency planning rota; Local Resilience Forum exercises.",
        response=R.TOLERATE,
    ),
    DemoRisk(
        "Housing",
        "HS01",
        "Temporary accommodation demand exceeds budget",
        "Because homelessness is rising and private rents are high, there is a risk that nightly-paid "
        "temporary accommodation costs exceed the budget, leading to an overspend and families placed out of area.",
        C.FINANCIAL,
        (5, 4),
        (5, 3),
        (3, 3),
        "Housing",
        -5,
        "Weekly placement panel; block-booking contracts; prevention fund.",
        actions=[("Open the council-owned temporary accommodation scheme", 120, None)],
    ),
    DemoRisk(
        "Housing",
        "HS02",
        "Damp and mould claims under Awaab's Law",
        "Because of an ageing housing stock and new legal timescales, there is a risk that we miss "
        "investigation and repair deadlines, leading to harm to tenants, claims and regulatory action.",
        C.LEGAL,
        (4, 4),
        (3, 4),
        (2, 3),
        "Housing Management",
        25,
        "Damp and mould triage team; repairs timescales tracked daily; stock condition survey under way.",
        actions=[("Finish the stock condition survey", 75, None)],
    ),
    DemoRisk(
        "Housing Options",
        "HO01",
        "Service failure after the new case-management system goes live",
        "Because the Housing Options case-management system is being replaced, there is a risk that data "
        "migration or training problems stop officers recording and acting on cases after go-live, leading "
        "to missed homelessness duties and statutory returns.",
        C.OPERATIONAL,
        (4, 5),
        (3, 4),
        (2, 3),
        "Housing Options",
        -35,
        "Supplier contract with go-live support; data migration rehearsals; super-users in each team.",
        actions=[
            ("Run old and new systems side by side for four weeks after go-live", 14, None),
            ("Train every officer on the new system", -7, None),
            ("Agree a rollback plan with the supplier", -30, 25),
        ],
    ),
    DemoRisk(
        "Housing Options",
        "HO02",
        "Reliance on agency staff in Housing Options",
        "Because of vacancies and rising caseloads, there is a risk that a third of the service is agency "
        "staff, leading to inconsistent decisions, higher cost and knowledge lost when contracts end.",
        C.WORKFORCE,
        (4, 4),
        (4, 3),
        (2, 2),
        "Housing Options",
        15,
        "Agency placements reviewed monthly; handover checklist for leavers.",
        actions=[("Recruit to the six permanent Housing Options Officer posts", 60, None)],
    ),
    DemoRisk(
        "Housing Options",
        "HO03",
        "Homelessness prevention duty missed",
        "Because of caseloads, there is a risk that households are not assessed within the 56-day "
        "prevention duty, leading to avoidable homelessness and complaints to the Ombudsman.",
        C.LEGAL,
        (3, 4),
        (2, 4),
        (2, 4),
        "Housing Options",
        40,
        "Daily triage; caseload dashboard; duty manager checks of cases at day 40.",
        response=R.TOLERATE,
    ),
    DemoRisk(
        "Commissioning and Contracts",
        "AS01",
        "Home care provider exits the market",
        "Because of workforce shortages and fee pressures, there is a risk that a major home care provider "
        "hands back its contract, leading to people without care and delayed hospital discharges.",
        C.PARTNERSHIP,
        (4, 4),
        (3, 4),
        (2, 4),
        "Commissioning and Contracts",
        -12,
        "Provider risk dashboard; contingency provider framework; fee uplift agreed for this year.",
    ),
    DemoRisk(
        "Safeguarding Adults",
        "AS02",
        "Deprivation of Liberty assessments backlog",
        "Because of the volume of applications, there is a risk that DoLS assessments are not completed "
        "in time, leading to unlawful deprivation of liberty and legal challenge.",
        C.LEGAL,
        (5, 3),
        (4, 3),
        (2, 3),
        "Safeguarding Adults",
        30,
        "Prioritisation tool; additional Best Interests Assessors commissioned.",
    ),
    DemoRisk(
        "Children's Social Care",
        "CS01",
        "Ofsted inspection finds services require improvement",
        "Because of workforce instability, there is a risk that the next ILACS inspection judges children's "
        "services as requiring improvement, leading to intervention and loss of confidence.",
        C.REPUTATIONAL,
        (3, 5),
        (3, 4),
        (2, 4),
        "Children's Services",
        20,
        "Quality assurance framework; monthly case audits; improvement board.",
    ),
    DemoRisk(
        "Looked After Children",
        "CS02",
        "Placement costs for looked-after children exceed budget",
        "Because of a shortage of in-house foster carers, there is a risk that more children are placed in "
        "costly residential placements, leading to an overspend and children placed far from home.",
        C.FINANCIAL,
        (5, 4),
        (4, 4),
        (3, 3),
        "Looked After Children",
        -40,
        "Placement panel; foster carer recruitment campaign; regional commissioning.",
        actions=[("Open two in-house children's homes", 180, None)],
    ),
    DemoRisk(
        "Waste and Recycling",
        "EN01",
        "Waste collection fleet breakdowns",
        "Because the collection fleet is past its replacement age, there is a risk of breakdowns, leading to "
        "missed collections and complaints.",
        C.OPERATIONAL,
        (4, 3),
        (3, 3),
        (2, 3),
        "Waste and Recycling",
        -3,
        "Hire vehicles on call; maintenance contract.",
    ),
    DemoRisk(
        "Highways and Transport",
        "EN02",
        "Winter service fails in severe weather",
        "Because of salt supply and driver availability, there is a risk that gritting routes are not treated, "
        "leading to accidents and disruption.",
        C.OPERATIONAL,
        (3, 4),
        (2, 4),
        (2, 4),
        "Highways and Transport",
        70,
        "Salt stock held at 2 depots; trained driver reserve list.",
        response=R.TOLERATE,
    ),
    DemoRisk(
        "Revenues and Benefits",
        "RS01",
        "Council tax collection falls with the cost of living",
        "Because households are under financial pressure, there is a risk that in-year collection falls "
        "below target, leading to a shortfall in the collection fund.",
        C.FINANCIAL,
        (4, 3),
        (3, 3),
        (3, 2),
        "Revenues and Benefits",
        10,
        "Council tax support scheme; early arrears contact; payment plans.",
    ),
    DemoRisk(
        "Digital and ICT",
        "RS02",
        "Legacy systems out of vendor support",
        "Because several line-of-business systems run on unsupported software, there is a risk of "
        "unpatched vulnerabilities and failures, leading to outages and a route for cyber attack.",
        C.CYBER,
        (4, 4),
        (4, 3),
        (2, 3),
        "Digital and ICT",
        -60,
        "Network segmentation of legacy servers; extended support bought for the finance system.",
        actions=[("Migrate the revenues system to the cloud version", 150, None)],
    ),
    DemoRisk(
        "Finance",
        "RS03",
        "Procurement challenge to a major contract award",
        "Because of the value of the highways contract, there is a risk that a losing bidder challenges "
        "the award, leading to delay and costs.",
        C.LEGAL,
        (3, 4),
        (2, 4),
        (2, 3),
        "Finance",
        30,
        "Legal review of evaluation; standstill period observed.",
        response=R.TRANSFER,
        is_open=False,
    ),
]

OTHER_ORG_RISKS = [
    DemoRisk(
        "Maintenance",
        "RH01",
        "Repairs contractor fails",
        "Because our repairs contractor is under financial strain, there is a risk that it fails, leading to "
        "repairs not done and tenants at risk.",
        C.PARTNERSHIP,
        (3, 5),
        (3, 4),
        (2, 3),
        "Maintenance",
        20,
        "Credit checks quarterly; step-in plan.",
    ),
    DemoRisk(
        "Neighbourhoods",
        "RH02",
        "Rent arrears rise",
        "Because of the cost of living, there is a risk that arrears rise, leading to less income for repairs.",
        C.FINANCIAL,
        (4, 3),
        (3, 3),
        (2, 3),
        "Neighbourhoods",
        -15,
        "Tenancy sustainment officers; early arrears contact.",
    ),
]


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
            residual_score=d.residual[0] * d.residual[1],  # bulk_create skips save()
            response=d.response,
            controls=d.controls,
            review_due=ctx.today + timedelta(days=d.review_in_days),
            is_open=d.is_open,
        )
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
