"""The staff-mix KPIs' figures from the seeded workforce, not made up.

"Interim and agency staff as a percentage of FTE" measures what the dashboards'
workforce tables, the organisation overview and the ``interim_reliance`` flag
measure (organisations/rules/workforce.py: FTE of active staff on interim or
agency contracts over all active staff's FTE, in the service and the teams below
it). So this step runs after ``demo.risks`` has settled the workforce mix and
takes each KPI's latest result from the same selectors the overview uses; the
earlier periods move with it, keeping their ups and downs, and every result is
graded again against its year's target. Housing Options, a third agency, is
then red on its own KPI too, as on the overview.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.bulk import update_objects
from demo.council import base_name
from demo.kpi_commentary import agrees, notes
from demo.structure import DemoContext
from insights.selectors.workforce import staff_figures, workforce_mix
from organisations.models import KPI, Employee, KPIResult, KPITarget
from organisations.models.structure import subtree_ids
from organisations.rules import kpis as kpi_rules
from organisations.rules import years as year_rules

HUNDRED = Decimal(100)


def definition(whole_organisation: bool) -> str:
    scope = "the whole organisation" if whole_organisation else "the service and the teams below it"
    return (
        "The full-time equivalent (FTE) of active staff on interim or agency contracts as a percentage "
        f"of the FTE of all active staff, in {scope}, on the last day of the period: the same measure "
        "as the interim and agency share of FTE on the dashboards (FTE, not headcount). Source: the HR system."
    )


def current_shares(ctx: DemoContext, org) -> tuple[dict[int, Decimal], Decimal]:
    """The interim and agency share of FTE of each service's subtree, and of the
    whole organisation, as the organisation overview works it out: one query."""
    counts, _compliance = staff_figures(
        Employee.objects.filter(organisation=org, active=True), org, ctx.today
    )
    services = [s for s in ctx.services if s.organisation_id == org.pk]
    threshold = org.interim_reliance_threshold

    def share(ids) -> Decimal:
        return Decimal(str(workforce_mix(counts, ids, threshold).interim_share))

    by_service = {s.pk: share(subtree_ids(services, [s.pk])) for s in services}
    return by_service, share(None)


def seed(ctx: DemoContext) -> None:
    kpis = ctx.extra.get("staff_mix_kpis", [])
    if not kpis:
        return
    rng = ctx.rng
    shares: dict[int, tuple[dict[int, Decimal], Decimal]] = {}
    targets = {(t.kpi_id, t.financial_year): t for t in KPITarget.objects.filter(kpi__in=kpis)}
    results: dict[int, list[KPIResult]] = {}
    for r in KPIResult.objects.filter(kpi__in=kpis).order_by("period_end"):
        results.setdefault(r.kpi_id, []).append(r)
    changed: list[KPIResult] = []
    for kpi in kpis:
        org = kpi.organisation
        if org.pk not in shares:
            shares[org.pk] = current_shares(ctx, org)
        by_service, whole = shares[org.pk]
        # Human Resources reports the council's figure; every other service its own.
        whole_org = base_name(kpi.service.name) == "Human Resources"
        actual = whole if whole_org else by_service.get(kpi.service_id, Decimal(0))
        kpi.definition = definition(whole_org)
        mine = results.get(kpi.pk, [])
        if not mine:
            continue
        step = Decimal(1).scaleb(-kpi.decimal_places)
        shift = actual.quantize(step, rounding=ROUND_HALF_UP) - mine[-1].value
        for r in mine:
            r.value = min(HUNDRED, max(Decimal(0), r.value + shift)).quantize(step, rounding=ROUND_HALF_UP)
        by_end = {r.period_end: r.value for r in mine}
        for r in mine:
            target = targets.get((kpi.pk, year_rules.financial_year_start(r.period_end, kpi.start_month)))
            status = target.status_for(r.value, kpi.polarity, r.period_end) if target else kpi_rules.GREY
            last_year = by_end.get(
                year_rules.same_period_last_year(r.period_end, kpi.frequency, kpi.start_month)
            )
            facts = {
                "status": status,
                "polarity": kpi.polarity,
                "direction": kpi.direction(r.value, last_year),
                "cumulative": kpi.cumulative,
            }
            # New words only where the moved figure no longer matches them.
            if status != r.status or not agrees(r.commentary, **facts):
                r.status = status
                r.commentary, r.corrective_action = notes(rng, **facts)
            changed.append(r)
    update_objects(KPI, kpis, ["definition"])
    update_objects(KPIResult, changed, ["value", "status", "commentary", "corrective_action"])
