"""Demo KPIs: about eight a service, with targets and three financial years of results.

Names, units and polarities follow the KPIs UK councils publish (DOMAIN.md).
Each KPI gets a story: steady, improving, worsening, red two periods running,
hovering amber or volatile; a few have periods missing past their data lag.
Red results carry commentary and a corrective action. Bulk inserts only, and
the number of KPIs depends on the number of services, not of employees.

Shares with later steps: ``ctx.extra["kpis"]`` (every KPI, the council's first;
filter by ``organisation_id``), ``ctx.extra["kpis_by_org"]`` ({org pk: [KPI]}) and
``ctx.extra["kpi_homelessness_prevention"]`` (Housing Options' prevention KPI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from . import kpi_rules
from .demo import DemoContext
from .models import KPI, KPIResult, KPITarget, ServiceKind
from .selectors.kpis import latest_due_period

H, L, N = kpi_rules.HIGHER, kpi_rules.LOWER, kpi_rules.NONE
M, Q, A = kpi_rules.MONTHLY, kpi_rules.QUARTERLY, kpi_rules.ANNUAL
PCT, CNT, DAYS, GBP, RATE = (
    kpi_rules.UNIT_PERCENT,
    kpi_rules.UNIT_COUNT,
    kpi_rules.UNIT_DAYS,
    kpi_rules.UNIT_CURRENCY,
    kpi_rules.UNIT_RATE,
)


@dataclass(frozen=True)
class Spec:
    name: str
    unit: str
    polarity: str
    target: float | None  # None: monitoring only
    amber: float = 5.0  # amber tolerance
    tolerance: str = kpi_rules.PERCENT  # or kpi_rules.ABSOLUTE
    frequency: str = M
    green: float = 0.0
    places: int | None = None
    lag: int | None = None
    cumulative: bool = False
    baseline: float | None = None  # for monitoring-only KPIs
    definition: str = ""


def K(name, unit, polarity, target, amber=5.0, **kw) -> Spec:
    return Spec(name, unit, polarity, target, amber, **kw)


ABS = kpi_rules.ABSOLUTE

# service name -> (code prefix, specific KPIs). Three workforce KPIs are added to each.
CATALOGUE: dict[str, tuple[str, list[Spec]]] = {
    "Adult Social Work": (
        "ASW",
        [
            K("Adult social care assessments allocated within 7 days", PCT, H, 85),
            K("Long-term clients reviewed in the last 12 months", PCT, H, 80, cumulative=False),
            K("Assessments completed within 28 days of allocation", PCT, H, 75),
            K("Hospital discharges with care in place within 48 hours", PCT, H, 90),
            K(
                "Adults 65+ permanently admitted to care homes, per 100,000",
                RATE,
                L,
                560,
                10,
                frequency=Q,
                places=1,
            ),
        ],
    ),
    "Safeguarding Adults": (
        "SGA",
        [
            K("Safeguarding concerns screened within 24 hours", PCT, H, 95),
            K("Section 42 enquiries completed within 60 days", PCT, H, 70),
            K("Adults whose desired safeguarding outcomes were met", PCT, H, 90, frequency=Q),
            K("Deprivation of Liberty assessments completed within 21 days", PCT, H, 60, 10),
            K("Safeguarding concerns received", CNT, N, None, baseline=310),
        ],
    ),
    "Occupational Therapy": (
        "OT",
        [
            K("OT assessments started within 28 days of referral", PCT, H, 80),
            K("Average wait for an OT assessment", DAYS, L, 35, 7, tolerance=ABS),
            K("Minor adaptations completed within 14 days", PCT, H, 90),
            K("Equipment delivered within 7 days", PCT, H, 95, 3),
            K("People waiting for an OT assessment", CNT, L, 250, 50, tolerance=ABS),
        ],
    ),
    "Commissioning and Contracts": (
        "COM",
        [
            K("Care homes rated good or outstanding by CQC", PCT, H, 80, frequency=Q),
            K("Contract monitoring visits completed on schedule", PCT, H, 90, frequency=Q),
            K("Homecare hours delivered as commissioned", PCT, H, 95, 3),
            K("People waiting for a homecare package", CNT, L, 40, 10, tolerance=ABS),
            K(
                "Average weekly cost of a residential placement",
                GBP,
                N,
                None,
                frequency=Q,
                baseline=1150,
                places=0,
            ),
        ],
    ),
    "Children's Social Care": (
        "CSC",
        [
            K("Child and family assessments completed within 45 working days", PCT, H, 85),
            K("Referrals with a decision within 1 working day", PCT, H, 95, 3),
            K("Re-referrals within 12 months", PCT, L, 22, 3, tolerance=ABS),
            K("Child protection visits within timescale", PCT, H, 90),
            K(
                "Children on a second or later child protection plan",
                PCT,
                L,
                20,
                3,
                tolerance=ABS,
                frequency=Q,
            ),
        ],
    ),
    "Looked After Children": (
        "LAC",
        [
            K(
                "Looked after children with 3 or more placements in the year",
                PCT,
                L,
                10,
                2,
                tolerance=ABS,
                frequency=Q,
            ),
            K("Care leavers in education, employment or training", PCT, H, 55, 10, frequency=Q),
            K("Looked after children with an up-to-date health assessment", PCT, H, 90),
            K("Children in care placed with in-house foster carers", PCT, H, 60, 8, frequency=Q),
            K("Care leavers in suitable accommodation", PCT, H, 90, frequency=Q),
        ],
    ),
    "Education and Inclusion": (
        "EDU",
        [
            K("EHC plans issued within 20 weeks", PCT, H, 60, 10),
            K("Pupils offered a first-preference secondary school", PCT, H, 85, frequency=A, lag=60),
            K("Children missing education found within 20 school days", PCT, H, 90),
            K("Permanent exclusions", CNT, L, 12, 4, tolerance=ABS, frequency=Q),
            K("EHC plan annual reviews completed on time", PCT, H, 80),
        ],
    ),
    "Early Help": (
        "EH",
        [
            K("Families with an early help assessment within 30 days", PCT, H, 85),
            K("Early help cases closed with needs met", PCT, H, 75, frequency=Q),
            K(
                "Families stepped up to social care within 6 months",
                PCT,
                L,
                10,
                2,
                tolerance=ABS,
                frequency=Q,
            ),
            K("Family hub attendances", CNT, N, None, baseline=4200),
        ],
    ),
    "Housing Options": (
        "HO",
        [
            K(
                "Homelessness prevented: accommodation secured at the end of the 56-day prevention duty",
                PCT,
                H,
                60,
                8,
                lag=45,
                definition=(
                    "Households whose prevention duty ended in the month with accommodation secured for "
                    "6 months or more, as a percentage of all prevention duties ended (H-CLIC)."
                ),
            ),
            K("Households in temporary accommodation", CNT, N, None, baseline=410),
            K("Households in bed and breakfast for more than 6 weeks", CNT, L, 0, 3, tolerance=ABS),
            K("Homelessness decisions made within 56 days", PCT, H, 90),
            K("Housing register applications assessed within 28 days", PCT, H, 85),
        ],
    ),
    "Housing Management": (
        "HM",
        [
            K(
                "Rent collected as a percentage of rent due, year to date",
                PCT,
                H,
                98,
                0.5,
                tolerance=ABS,
                places=2,
                cumulative=True,
            ),
            K("Tenants more than 7 weeks in arrears", PCT, L, 3, 0.5, tolerance=ABS, places=2),
            K("Average re-let time of empty homes", DAYS, L, 28, 7, tolerance=ABS),
            K("Tenancy audits completed", PCT, H, 95, frequency=Q),
            K("Anti-social behaviour cases resolved", PCT, H, 85, frequency=Q),
        ],
    ),
    "Property Services": (
        "PS",
        [
            K("Emergency repairs completed within 24 hours", PCT, H, 99, 1, tolerance=ABS),
            K("Routine repairs completed within 28 days", PCT, H, 90),
            K("Homes meeting the Decent Homes Standard", PCT, H, 95, frequency=A, lag=90),
            K("Homes with an in-date gas safety certificate", PCT, H, 100, 0.5, tolerance=ABS, places=2),
            K("Empty homes repaired and ready to let within 20 days", PCT, H, 70, 10),
        ],
    ),
    "Waste and Recycling": (
        "WR",
        [
            K("Missed bin collections per 100,000", RATE, L, 60, 15, places=0),
            K("Household waste recycled, reused or composted", PCT, H, 50, 4, frequency=Q, lag=60),
            K("Residual household waste per household, kg", CNT, L, 130, 5, frequency=Q, lag=60),
            K("Fly-tipping removed within 2 working days", PCT, H, 90),
            K("Assisted collections missed per 100,000", RATE, L, 10, 25, places=0),
        ],
    ),
    "Highways and Transport": (
        "HT",
        [
            K("Dangerous potholes repaired within 24 hours", PCT, H, 95),
            K("Streetlight faults fixed within 5 working days", PCT, H, 90),
            K(
                "Principal roads where maintenance should be considered",
                PCT,
                L,
                4,
                1,
                tolerance=ABS,
                frequency=A,
                lag=90,
            ),
            K("Bus services running on time", PCT, H, 85, frequency=Q),
            K("People killed or seriously injured in road collisions", CNT, L, 60, 10, frequency=Q, lag=90),
        ],
    ),
    "Planning and Regulation": (
        "PLR",
        [
            K(
                "Major planning applications decided in 13 weeks or the agreed time",
                PCT,
                H,
                60,
                10,
                frequency=Q,
            ),
            K("Minor planning applications decided in 8 weeks or the agreed time", PCT, H, 70, 8),
            K("Planning appeals allowed", PCT, L, 10, 3, tolerance=ABS, frequency=Q),
            K("Food hygiene inspections completed on time", PCT, H, 95, frequency=Q),
            K("Trading standards complaints answered within 5 working days", PCT, H, 90),
        ],
    ),
    "Revenues and Benefits": (
        "RB",
        [
            K(
                "Council tax collected in year (outturn)",
                PCT,
                H,
                97,
                0.5,
                tolerance=ABS,
                frequency=A,
                places=2,
            ),
            K("Council tax collected in the month, % of amount due", PCT, H, 96, 1, tolerance=ABS),
            K(
                "Business rates collected in year (outturn)",
                PCT,
                H,
                98,
                0.5,
                tolerance=ABS,
                frequency=A,
                places=2,
            ),
            K("Average days to process a new Housing Benefit claim", DAYS, L, 20, 3, tolerance=ABS),
            K("Average days to process a change of circumstances", DAYS, L, 8, 2, tolerance=ABS),
        ],
    ),
    "Digital and ICT": (
        "ICT",
        [
            K("Service desk calls resolved at first contact", PCT, H, 70, 8),
            K("Core systems availability", PCT, H, 99.5, 0.3, tolerance=ABS, places=2),
            K("Priority 1 incidents resolved within 4 hours", PCT, H, 95),
            K("Transactions completed online", PCT, H, 65, 8, frequency=Q),
            K("Staff completing cyber security training", PCT, H, 95, frequency=Q),
        ],
    ),
    "Human Resources": (
        "HR",
        [
            K(
                "Sickness absence across the council, days per FTE (rolling 12 months)",
                DAYS,
                L,
                8.5,
                0.5,
                tolerance=ABS,
                places=2,
            ),
            K("Staff turnover across the council (rolling 12 months)", PCT, L, 12, 2, tolerance=ABS),
            K("Agency staff as a percentage of the council's workforce", PCT, L, 6, 1.5, tolerance=ABS),
            K("Vacancies filled within 12 weeks", PCT, H, 75, 10),
            K("Appraisals completed", PCT, H, 95, frequency=Q),
        ],
    ),
    "Finance": (
        "FIN",
        [
            K("Undisputed invoices paid within 30 days", PCT, H, 95, 3),
            K("Forecast revenue budget overspend", GBP, L, 0, 500000, tolerance=ABS, frequency=Q, places=0),
            K("Debt more than 90 days old", GBP, L, 1200000, 10, frequency=Q, places=0),
            K("Contracts awarded through competitive tender", PCT, H, 90, frequency=Q),
            K("Spend with local suppliers", PCT, H, 40, 10, frequency=Q),
        ],
    ),
    "Information Governance and Performance": (
        "IGP",
        [
            K("FOI requests answered within 20 working days", PCT, H, 90, 5),
            K("Subject access requests answered within one month", PCT, H, 90),
            K("Complaints answered within 10 working days", PCT, H, 85),
            K(
                "Data breaches reported to the ICO within 72 hours",
                PCT,
                H,
                100,
                0,
                tolerance=ABS,
                frequency=Q,
                places=0,
            ),
            K("Service KPI results submitted on time", PCT, H, 95, frequency=Q),
        ],
    ),
}


def _workforce(social_care: bool) -> list[Spec]:
    """The three workforce KPIs every directorate reports, by service."""
    return [
        K(
            "Sickness absence, days per FTE (rolling 12 months)",
            DAYS,
            L,
            10.0 if social_care else 8.5,
            1,
            tolerance=ABS,
            places=2,
        ),
        K("Staff turnover (rolling 12 months)", PCT, L, 15 if social_care else 12, 2, tolerance=ABS),
        K(
            "Agency staff as a percentage of the workforce",
            PCT,
            L,
            12 if social_care else 5,
            2,
            tolerance=ABS,
        ),
    ]


OTHER_ORG: dict[str, list[Spec]] = {
    "Neighbourhoods": [
        K("Rent collected as a percentage of rent due", PCT, H, 99, 0.5, tolerance=ABS, places=2),
        K("Tenants more than 7 weeks in arrears", PCT, L, 2.5, 0.5, tolerance=ABS, places=2),
    ],
    "Maintenance": [
        K("Average re-let time of empty homes", DAYS, L, 25, 5, tolerance=ABS),
        K("Repairs completed on the first visit", PCT, H, 90),
    ],
}

# Stories, with weights. Forced for a few KPIs so the Housing directorate shows
# every kind of KPI flag.
SCENARIOS = [
    ("steady", 40),
    ("improving", 20),
    ("worsening", 12),
    ("red_run", 10),
    ("amber", 12),
    ("volatile", 6),
]
FORCED = {"HO-01": "red_run", "HM-03": "worsening", "HO-04": "improving"}
FORCED_MISSING = {"HO-03": 2, "HM-04": 1}

REASONS = [
    "two vacancies in the team and a rise in demand",
    "a new case management system bedding in",
    "sickness absence in the team over the period",
    "seasonal pressure, higher than last year",
    "data quality problems found in the monthly audit",
    "a backlog carried over from the previous quarter",
    "a contractor's performance falling short of the contract",
]
ACTIONS = [
    "Agency cover agreed for three months while two posts are recruited to; the head of service reviews progress weekly.",
    "Recovery plan agreed at the directorate management team: backlog cleared by the end of next quarter, reported fortnightly.",
    "Process review with the performance team; the first changes start next month and are tracked in the service plan.",
    "Overtime authorised for six weeks and cases triaged daily by the team manager.",
    "Contract performance notice issued; monthly contract meetings until the measure is back on target.",
    "Data cleansing project under way with the systems team; figures re-checked before the next report.",
]
GOOD_NOTES = [
    "On target, in line with the service plan.",
    "Better than target this period; the new triage process is paying off.",
    "Stable performance; no concerns.",
    "Improved on the same period last year.",
]
AMBER_NOTES = [
    "Slightly below target: {reason}. Expected to recover next period.",
    "Just outside target because of {reason}; being monitored by the team manager.",
]


def _places(spec: Spec) -> int:
    if spec.places is not None:
        return spec.places
    return {PCT: 1, CNT: 0, DAYS: 1, GBP: 0, RATE: 1}[spec.unit]


def _lag(spec: Spec) -> int:
    if spec.lag is not None:
        return spec.lag
    return {M: 30, Q: 45, A: 60}[spec.frequency]


def _band(spec: Spec) -> float:
    """One amber tolerance in the KPI's units: the scale of its stories."""
    if spec.target is None:
        return abs(spec.baseline or 100) * 0.05
    amber = spec.amber if spec.amber else 1.0
    band = amber if spec.tolerance == ABS else abs(spec.target) * amber / 100
    return band or max(abs(spec.target) * 0.05, 1.0)


def _q(x: float, places: int) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _clamp(spec: Spec, x: float) -> float:
    if spec.unit == PCT:
        return min(100.0, max(0.0, x))
    if spec.unit in (CNT, DAYS, RATE):
        return max(0.0, x)
    return x


def _gaps(rng, scenario: str, n: int) -> list[float]:
    """Shortfall against target, in bands (0 on target, 1 at the amber edge), oldest first."""
    out = []
    for i in range(n):
        t = i / max(n - 1, 1)
        if scenario == "improving":
            g = 2.0 - 2.7 * t + rng.gauss(0, 0.25)
        elif scenario == "worsening":
            g = -1.0 + 1.9 * t + rng.gauss(0, 0.25)
        elif scenario == "red_run":
            g = -0.4 + rng.gauss(0, 0.3)
        elif scenario == "amber":
            g = min(0.95, max(0.1, 0.5 + rng.gauss(0, 0.2)))
        elif scenario == "volatile":
            g = 0.1 + rng.gauss(0, 0.6)
        else:
            g = -0.45 + rng.gauss(0, 0.3)
        out.append(g)
    if scenario == "red_run" and n >= 2:
        out[-2], out[-1] = 1.5 + abs(rng.gauss(0, 0.2)), 1.8 + abs(rng.gauss(0, 0.2))
    return out


def _period_ends(spec: Spec, first_year: int, until: date, start_month: int) -> list[date]:
    ends = []
    year = first_year
    while True:
        for end in kpi_rules.period_ends_in_year(year, spec.frequency, start_month):
            if end > until:
                return ends
            ends.append(end)
        year += 1


def _values(rng, spec: Spec, scenario: str, n: int) -> list[Decimal]:
    places = _places(spec)
    step = Decimal(1).scaleb(-places)
    if spec.target is None or spec.polarity == N:
        base = spec.baseline or 100
        level, out = base, []
        for _ in range(n):
            level = max(0.0, level + rng.gauss(0, base * 0.03) + (base - level) * 0.1)
            out.append(_q(_clamp(spec, level), places))
        return out
    band = _band(spec)
    sign = -1 if spec.polarity == H else 1  # a positive gap is on the bad side
    values = [_q(_clamp(spec, spec.target + sign * g * band), places) for g in _gaps(rng, scenario, n)]
    if scenario == "worsening" and n >= 4:
        # Worse each period for the last four, by at least the shown precision.
        for i in range(n - 3, n):
            worse = values[i - 1] + sign * max(step, _q(band * 0.2, places))
            if (values[i] - values[i - 1]) * sign <= 0:
                values[i] = _q(_clamp(spec, float(worse)), places)
    return values


def _make_kpis(ctx: DemoContext, org, plan: list[tuple[object, str, Spec, object]]) -> list[KPI]:
    rng = ctx.rng
    kpis = []
    for service, code, spec, owner in plan:
        kpis.append(
            KPI(
                organisation=org,
                service=service,
                code=code,
                name=spec.name,
                definition=spec.definition
                or f"{spec.name}. Source: the service's case management system, checked by the performance team.",
                unit=spec.unit,
                decimal_places=_places(spec),
                polarity=spec.polarity,
                frequency=spec.frequency,
                cumulative=spec.cumulative,
                data_lag_days=_lag(spec),
                owner=owner,
                active=True,
                published=code in FORCED or rng.random() < 0.3,
            )
        )
    return KPI.objects.bulk_create(kpis)


def _seed_org(ctx: DemoContext, org, plan) -> tuple[list[KPI], list[KPITarget], list[KPIResult]]:
    rng, today = ctx.rng, ctx.today
    start_month = org.financial_year_start_month
    kpis = _make_kpis(ctx, org, plan)
    officer = ctx.personas.get("demo-officer")
    entered_by = officer.user if officer is not None and officer.organisation_id == org.pk else None
    current = kpi_rules.financial_year_start(today, start_month)
    targets: list[KPITarget] = []
    results: list[KPIResult] = []
    for kpi, (_service, code, spec, _owner) in zip(kpis, plan, strict=True):
        kpi.organisation = org  # start_month without a query
        first_year = current - (4 if spec.frequency == A else 2)
        by_year: dict[int, KPITarget] = {}
        if spec.target is not None and spec.polarity != N:
            band = _band(spec)
            tightening = rng.random() < 0.4
            for year in range(first_year, current + 1):
                easier = (current - year) * band * 0.3 if tightening else 0
                value = spec.target + (-easier if spec.polarity == H else easier)
                t = KPITarget(
                    kpi=kpi,
                    financial_year=year,
                    target=_q(_clamp(spec, value), _places(spec)),
                    tolerance_kind=spec.tolerance,
                    green_tolerance=Decimal(str(spec.green)),
                    amber_tolerance=Decimal(str(spec.amber)),
                )
                by_year[year] = t
                targets.append(t)
        # Results up to the latest period due, and sometimes the one just ended.
        due = latest_due_period(kpi, today)
        until = due
        following = kpi_rules.period_end_for(due + timedelta(days=1), kpi.frequency, start_month)
        if following < today - timedelta(days=7) and rng.random() < 0.4:
            until = following
        ends = _period_ends(spec, first_year, until, start_month)
        scenario = FORCED.get(code) or _weighted(rng, SCENARIOS)
        values = _values(rng, spec, scenario, len(ends))
        skip: set[date] = set()
        gaps = FORCED_MISSING.get(code)
        if gaps is None and rng.random() < 0.1:
            gaps = 2 if rng.random() < 0.3 else 1
        if gaps and ends:
            due_index = max((i for i, e in enumerate(ends) if e <= due), default=len(ends) - 1)
            skip = set(ends[max(0, due_index - gaps + 1) : due_index + 1])
            if until != due:
                skip.add(until)  # nobody sends early when they are behind
        elif ends and rng.random() < 0.05:
            skip = {ends[-4]} if len(ends) > 4 else set()  # an older gap, in the last year
        for end, value in zip(ends, values, strict=True):
            if end in skip:
                continue
            target = by_year.get(kpi_rules.financial_year_start(end, start_month))
            status = target.status_for(value, kpi.polarity) if target else kpi_rules.GREY
            commentary, action = _notes(rng, status)
            entered = datetime.combine(
                end + timedelta(days=rng.randint(5, max(6, kpi.data_lag_days))), time(10, 0)
            )
            results.append(
                KPIResult(
                    kpi=kpi,
                    period_end=end,
                    value=value,
                    status=status,
                    commentary=commentary,
                    corrective_action=action,
                    entered_by=entered_by,
                    entered_at=timezone.make_aware(min(entered, datetime.combine(today, time(9, 0)))),
                )
            )
    return kpis, targets, results


def _notes(rng, status: str) -> tuple[str, str]:
    if status == kpi_rules.RED:
        reason = rng.choice(REASONS)
        return f"Below target because of {reason}.", rng.choice(ACTIONS)
    if status == kpi_rules.AMBER:
        return rng.choice(AMBER_NOTES).format(reason=rng.choice(REASONS)), ""
    if rng.random() < 0.5:
        return rng.choice(
            GOOD_NOTES
        ) if status == kpi_rules.GREEN else "Monitoring only: no target is set.", ""
    return "", ""


def _weighted(rng, options):
    total = sum(w for _, w in options)
    pick = rng.uniform(0, total)
    for value, weight in options:
        pick -= weight
        if pick <= 0:
            return value
    return options[-1][0]


def _owner(rng, service, teams):
    """The head of service, or now and then one of its team managers."""
    if teams and rng.random() < 0.3:
        return rng.choice(teams).head
    return service.head


def seed(ctx: DemoContext) -> None:
    all_kpis: list[KPI] = []
    by_org: dict[int, list[KPI]] = {}
    targets: list[KPITarget] = []
    results: list[KPIResult] = []
    rng = ctx.rng
    for org in (ctx.organisation, ctx.other_organisation):
        services = [s for s in ctx.services if s.organisation_id == org.pk and s.kind == ServiceKind.SERVICE]
        teams_of: dict[int, list] = {}
        for s in ctx.services:
            if s.organisation_id == org.pk and s.kind == ServiceKind.TEAM:
                teams_of.setdefault(s.parent_id, []).append(s)
        parent_names = {s.pk: s.name for s in ctx.services if s.organisation_id == org.pk}
        plan = []
        if org.pk == ctx.organisation.pk:
            for service in sorted(services, key=lambda s: s.name):
                if service.name not in CATALOGUE:
                    continue
                prefix, specs = CATALOGUE[service.name]
                social_care = "Social" in parent_names.get(
                    service.parent_id, ""
                ) or "Children" in parent_names.get(service.parent_id, "")
                specs = specs + ([] if service.name == "Human Resources" else _workforce(social_care))
                for i, spec in enumerate(specs, start=1):
                    plan.append(
                        (service, f"{prefix}-{i:02d}", spec, _owner(rng, service, teams_of.get(service.pk)))
                    )
        else:
            n = 0
            for service in sorted(services, key=lambda s: s.name):
                for spec in OTHER_ORG.get(service.name, []):
                    n += 1
                    plan.append((service, f"RH-{n:02d}", spec, service.head))
        if not plan:
            continue
        kpis, org_targets, org_results = _seed_org(ctx, org, plan)
        by_org[org.pk] = kpis
        all_kpis.extend(kpis)
        targets.extend(org_targets)
        results.extend(org_results)
    KPITarget.objects.bulk_create(targets, batch_size=2000)
    # entered_at is auto_now, which would stamp every demo figure with today. The
    # seed alone (one process, one transaction) lifts it for its own insert, so each
    # figure shows when it came in without a second pass over every row.
    entered_at = KPIResult._meta.get_field("entered_at")
    entered_at.auto_now = False
    try:
        KPIResult.objects.bulk_create(results, batch_size=2000)
    finally:
        entered_at.auto_now = True
    ctx.extra["kpis"] = all_kpis
    ctx.extra["kpis_by_org"] = by_org
    ctx.extra["kpi_homelessness_prevention"] = next(
        (k for k in by_org.get(ctx.organisation.pk, []) if k.code == "HO-01"), None
    )
    ctx.extra["kpi_counts"] = {"kpis": len(all_kpis), "targets": len(targets), "results": len(results)}
