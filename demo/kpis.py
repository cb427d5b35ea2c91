"""Demo KPIs: about eight a service, with targets and three financial years of results.

Names, units and polarities follow the KPIs UK councils publish.
Each KPI gets a story: steady, improving, worsening, red two periods running,
hovering amber or volatile; a few have periods missing past their data lag.
Red results carry commentary and a corrective action; every commentary is
written from its figure's own status and direction (demo.kpi_commentary). The
year-to-date KPIs build through the year against targets spread over it
(demo.kpi_profiles). Bulk inserts only, and
the number of KPIs depends on the number of services, not of employees.

Shares with later steps: ``ctx.extra["kpis"]`` (every KPI, the council's first;
filter by ``organisation_id``), ``ctx.extra["kpis_by_org"]`` ({org pk: [KPI]}) and
``ctx.extra["kpi_homelessness_prevention"]`` (Housing Options' prevention KPI).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from demo.council import AREAS, base_name
from demo.kpi_catalogue import (
    ABS,
    CATALOGUE,
    CNT,
    DAYS,
    GBP,
    PCT,
    RATE,
    A,
    H,
    M,
    N,
    Q,
    Spec,
)
from demo.kpi_catalogue_shared import OTHER_ORG, workforce
from demo.kpi_commentary import notes
from demo.kpi_profiles import spread_targets, year_to_date
from demo.structure import DemoContext
from organisations.models import KPI, KPIResult, KPITarget, ResultState, ServiceKind
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules
from organisations.selectors.kpis import latest_due_period

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


def _materiality(spec: Spec) -> Decimal:
    """The smallest change that counts: a round figure (1, 2 or 5 of a power of
    ten, no finer than the places shown) up to a fifth of the amber band, so a
    period's wobble reads as no change and a real move does not."""
    limit, places = _band(spec) * 0.2, _places(spec)
    best = Decimal(1).scaleb(-places)
    for exponent in range(-places, 12):
        for digit in (1, 2, 5):
            step = Decimal(digit).scaleb(exponent)
            if step <= Decimal(str(limit)):
                best = step
    return best


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
    if scenario == "worsening" and n >= 4:
        # Worse each of the last four periods, ending amber: the worsening flag's story.
        out[-4:] = [0.15, 0.4, 0.65, 0.9]
    if scenario == "red_run" and n >= 2:
        out[-2], out[-1] = 1.5 + abs(rng.gauss(0, 0.2)), 1.8 + abs(rng.gauss(0, 0.2))
    return out


def _period_ends(spec: Spec, first_year: int, until: date, start_month: int) -> list[date]:
    ends = []
    year = first_year
    while True:
        for end in year_rules.period_ends_in_year(year, spec.frequency, start_month):
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
        # Worse each period for the last four, by at least the smallest change that counts.
        least = max(step, _q(band * 0.2, places), _materiality(spec))
        for i in range(n - 3, n):
            worse = values[i - 1] + sign * least
            if (values[i] - values[i - 1]) * sign < least:
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
                materiality=_materiality(spec),
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
    ctx.extra.setdefault("staff_mix_kpis", []).extend(
        kpi for kpi, (_s, _c, spec, _o) in zip(kpis, plan, strict=True) if spec.staff_mix
    )
    officer = ctx.personas.get("demo-officer")
    entered_by = officer.user if officer is not None and officer.organisation_id == org.pk else None
    current = year_rules.financial_year_start(today, start_month)
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
        following = year_rules.period_end_for(due + timedelta(days=1), kpi.frequency, start_month)
        if following < today - timedelta(days=7) and rng.random() < 0.4:
            until = following
        ends = _period_ends(spec, first_year, until, start_month)
        scenario = FORCED.get(code) or _weighted(rng, SCENARIOS)
        values = year_to_date(spec, ends, _values(rng, spec, scenario, len(ends)), start_month, _places(spec))
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
        kept = {end: value for end, value in zip(ends, values, strict=True) if end not in skip}
        spread_targets(spec, by_year, kept, start_month, _places(spec))
        for end, value in kept.items():
            target = by_year.get(year_rules.financial_year_start(end, start_month))
            status = target.status_for(value, kpi.polarity, end) if target else kpi_rules.GREY
            # The commentary says what the figure shows: its status, and its direction
            # against the same period last year (year to date for a cumulative KPI).
            last_year = kept.get(year_rules.same_period_last_year(end, kpi.frequency, start_month))
            commentary, action = notes(
                rng,
                status=status,
                polarity=kpi.polarity,
                direction=kpi.direction(value, last_year),
                cumulative=kpi.cumulative,
            )
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
                    entered_at=min(timezone.make_aware(entered), ctx.now),
                    # Signed off as they came in; demo/collection.py leaves the
                    # latest few awaiting sign-off, one returned.
                    state=ResultState.VALIDATED,
                    submitted_at=min(timezone.make_aware(entered), ctx.now),
                    validated_at=min(timezone.make_aware(entered), ctx.now),
                )
            )
    return kpis, targets, results


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
    # The KPI stories draw from a stream of their own (one draw from the demo's),
    # so a change to them leaves every later step's people, goals and ratings as they were.
    outer = ctx.rng
    ctx.rng = random.Random(outer.random())
    try:
        _seed(ctx)
    finally:
        ctx.rng = outer


def _seed(ctx: DemoContext) -> None:
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
                name = base_name(service.name)
                if name not in CATALOGUE:
                    continue
                prefix, specs = CATALOGUE[name]
                if name != service.name:  # another area's copy: HO2-01, HO3-01...
                    prefix += str(AREAS.index(service.name[len(name) + 2 : -1]) + 2)
                social_care = "Social" in parent_names.get(
                    service.parent_id, ""
                ) or "Children" in parent_names.get(service.parent_id, "")
                specs = specs + ([] if name == "Human Resources" else workforce(social_care))
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
