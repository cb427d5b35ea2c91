"""The demo council's collection of results: most figures were signed off as
they came in (demo/kpis.py); the latest month's leave a few awaiting sign-off,
and one sent in early has been returned with a reason. Late results are the
gaps demo/kpis.py leaves. Deterministic: the KPIs are taken in code order, with
the seeded random."""

from __future__ import annotations

import random
from datetime import timedelta

from demo.structure import DemoContext
from organisations.models import KPIResult, ResultState
from organisations.selectors.collection import default_period, periods_offered
from organisations.selectors.kpis import latest_due_period

AWAITING = 6
RETURN_REASON = (
    "The figure counts cases opened in the month, not closed: please check against the case system "
    "and submit it again."
)


def seed(ctx: DemoContext) -> None:
    outer, ctx.rng = ctx.rng, random.Random(f"{ctx.rng.random()}-collection")
    try:
        _seed(ctx)
    finally:
        ctx.rng = outer


def _seed(ctx: DemoContext) -> None:
    org = ctx.organisation
    kpis = sorted(ctx.extra.get("kpis_by_org", {}).get(org.pk, []), key=lambda k: k.code)
    if not kpis:
        return
    owned = {k.pk: k for k in kpis if k.owner_id is not None}
    officer = ctx.personas.get("demo-officer")
    results = list(KPIResult.objects.filter(kpi_id__in=list(owned)).order_by("kpi__code", "-period_end"))
    latest: dict[int, KPIResult] = {}
    for r in results:
        latest.setdefault(r.kpi_id, r)
    # Sent in early (before its due date): returning it makes nothing late.
    early = [r for r in latest.values() if r.period_end > latest_due_period(owned[r.kpi_id], ctx.today)]
    # Awaiting sign-off: in the period the collection page opens on.
    period = default_period(periods_offered(ctx.today, org.financial_year_start_month), ctx.today)
    recent = [r for r in latest.values() if r.period_end == period and r not in early]
    now = ctx.now
    if early:
        returned = ctx.rng.choice(early)
        kpi = owned[returned.kpi_id]
        KPIResult.objects.filter(pk=returned.pk).update(
            state=ResultState.RETURNED,
            submitted_by=kpi.owner_id,
            submitted_at=now - timedelta(days=3),
            validated_at=None,
            returned_by=officer.pk if officer is not None else None,
            returned_at=now - timedelta(days=1),
            return_reason=RETURN_REASON,
        )
    awaiting = ctx.rng.sample(recent, min(AWAITING, len(recent)))
    for r in awaiting:
        KPIResult.objects.filter(pk=r.pk).update(
            state=ResultState.SUBMITTED,
            submitted_by=owned[r.kpi_id].owner_id,
            submitted_at=now - timedelta(days=ctx.rng.randint(1, 6)),
            validated_at=None,
        )
